// A delivery runner in a process of its own, started exactly as the server starts it
// (startRunnerOrExit, configured from the environment), for tests that kill it mid-delivery or check
// how a bad configuration stops it. Prints READY_LINE once the runner runs.
import { startRunnerOrExit } from "@/server/runner/start";

// The same line spawnRunnerProcess (runner.ts) waits for.
const READY_LINE = "durian-test-runner-ready";

await startRunnerOrExit();
console.log(READY_LINE);
