/**
 * Next's start-up hook: starts the delivery runner in the Node.js server process (the embedded
 * runner's poller, or nothing to run for Inngest), and never while `next build` loads the app. A
 * runner misconfiguration stops the start with its message instead of serving without delivery.
 * It also hands the server entry (scripts/server.mjs) what it calls to stop: see server/shutdown.ts.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { startRunnerOrExit } = await import("./server/runner/start");
  const { registerShutdownHooks } = await import("./server/shutdown");
  await startRunnerOrExit();
  registerShutdownHooks();
}
