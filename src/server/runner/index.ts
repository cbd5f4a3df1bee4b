import { parseAllowlist } from "@/core/delivery";
import { getBackgroundDb, getDb } from "@/server/db/client";
import { env } from "@/server/env";
import { syncOperationalHooks } from "@/server/operational/hooks";
import { chooseRunner, type RunnerChoice } from "./choose-runner";
import { EmbeddedRunner } from "./embedded";
import { inngestApp } from "./inngest/app";
import { InngestRunner } from "./inngest/runner";
import type { DeliveryRunner } from "./port";

export type { DeliveryRunner } from "./port";
export { chooseRunner, inngestDevMode, RunnerConfigurationError, type RunnerChoice } from "./choose-runner";
export { EmbeddedRunner, type EmbeddedRunnerOptions, type RunnerLog } from "./embedded";

interface ProcessRunner {
  runner: DeliveryRunner;
  choice: RunnerChoice;
}

// On globalThis so that Next's dev-mode module reloads keep one runner per process.
const holder = globalThis as typeof globalThis & { __durianRunner?: ProcessRunner };

/**
 * The process's delivery runner, chosen from the environment on first use (see `chooseRunner`).
 * Throws `RunnerConfigurationError` when Inngest is asked for without the settings it needs.
 */
export function getRunner(): DeliveryRunner {
  holder.__durianRunner ??= createConfiguredRunner();
  return holder.__durianRunner.runner;
}

/** The process's runner if one was made already (never makes one: for reporting, such as metrics). */
export function existingRunner(): DeliveryRunner | undefined {
  return holder.__durianRunner?.runner;
}

/** Chooses, logs and starts the runner; called once when the server starts. */
export async function startRunner(
  log: (message: string) => void = (message) => console.log(message),
): Promise<DeliveryRunner> {
  const runner = getRunner();
  const { choice } = holder.__durianRunner!;
  const settings = env();
  const details =
    choice.kind === "embedded"
      ? `concurrency ${settings.DURIAN_RUNNER_CONCURRENCY}, ${settings.DURIAN_RUNNER_PROJECT_CONCURRENCY} per project, ${settings.DURIAN_RUNNER_LISTENER_CONCURRENCY} per listener`
      : `functions served at /api/inngest, ${choice.mode === "dev" ? "Inngest Dev Server" : "Inngest Cloud or self-hosted"}`;
  log(`durian: delivery runner: ${choice.kind} (${choice.why}; ${details})`);
  await syncOperationalHooks(getDb()).catch((error: unknown) =>
    // Each project's are also created when an operational event finds them missing.
    console.error("durian: could not create the projects' operational hooks now", error),
  );
  await runner.start();
  return runner;
}

function createConfiguredRunner(): ProcessRunner {
  const settings = env();
  const choice = chooseRunner(settings);
  if (choice.kind === "inngest") {
    return { choice, runner: new InngestRunner(inngestApp().client, getDb) };
  }
  const runner = new EmbeddedRunner({
    db: getBackgroundDb(),
    allowlist: parseAllowlist(settings.DURIAN_ALLOWED_HOSTS),
    concurrency: settings.DURIAN_RUNNER_CONCURRENCY,
    projectConcurrency: settings.DURIAN_RUNNER_PROJECT_CONCURRENCY,
    listenerConcurrency: settings.DURIAN_RUNNER_LISTENER_CONCURRENCY,
    disableAfterFailures: settings.DURIAN_DISABLE_AFTER_FAILURES,
    failingAfterFailures: settings.DURIAN_FAILING_AFTER_FAILURES,
    retentionDays: settings.DURIAN_RETENTION_DAYS,
  });
  return { choice, runner };
}
