/**
 * Next's start-up hook: starts the delivery runner in the Node.js server process (the embedded
 * runner's poller, or nothing to run for Inngest), and never while `next build` loads the app. A
 * runner misconfiguration stops the start with its message instead of serving without delivery.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { startRunnerOrExit } = await import("./server/runner/start");
  await startRunnerOrExit();
}
