import { DataDirLockedError } from "@/server/db/data-dir-lock";
import { EnvError } from "@/server/env";
import { RunnerConfigurationError } from "./choose-runner";
import { startRunner } from "./index";

/** Exit status when the runner cannot start because of its configuration. */
const CONFIGURATION_EXIT_CODE = 1;

/**
 * Starts the configured runner when the server starts. A configuration problem (Inngest asked for
 * without its keys, an invalid variable) ends the process with the message naming the variables, and
 * an embedded database another process holds with the message naming that process, rather than
 * leaving a server up that accepts events nobody delivers.
 */
export async function startRunnerOrExit(): Promise<void> {
  try {
    await startRunner();
  } catch (error) {
    if (
      error instanceof RunnerConfigurationError ||
      error instanceof EnvError ||
      error instanceof DataDirLockedError
    ) {
      console.error(`durian: cannot start the delivery runner: ${error.message}`);
      process.exit(CONFIGURATION_EXIT_CODE);
    }
    throw error;
  }
}
