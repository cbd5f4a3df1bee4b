/**
 * Next's start-up hook: starts the delivery runner in the Node.js server process (the embedded
 * runner's poller, or nothing to run for Inngest), and never while `next build` loads the app. A
 * runner misconfiguration stops the start with its message instead of serving without delivery.
 * It also hands the server entry (scripts/server.mjs) what it calls to stop (see server/shutdown.ts)
 * and what serves /api/v1 (see server/rest/serve.ts).
 * When OTEL_* asks for traces, the OpenTelemetry SDK is loaded first (only then: it is large).
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  await startTracingIfConfigured();
  const { startRunnerOrExit } = await import("./server/runner/start");
  const { registerShutdownHooks } = await import("./server/shutdown");
  const { registerApiHandler } = await import("./server/rest/serve");
  await startRunnerOrExit();
  registerShutdownHooks();
  registerApiHandler();
}

async function startTracingIfConfigured(): Promise<void> {
  const { setRunningTracing, tracingSettings, TracingSettingsError } =
    await import("./server/telemetry/tracing-settings");
  let settings;
  try {
    settings = tracingSettings(process.env);
  } catch (error) {
    if (!(error instanceof TracingSettingsError)) throw error;
    console.error(`durian: cannot start: ${error.message}`);
    process.exit(1);
  }
  if (!settings) return;
  const { startTracing } = await import("./server/telemetry/start-tracing");
  setRunningTracing(startTracing({ settings }));
  console.log(`durian: exporting traces (${settings.exporters.join(", ")})`);
}
