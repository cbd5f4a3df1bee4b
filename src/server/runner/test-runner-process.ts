// A delivery runner in a process of its own, started the way the server starts it (startRunner, from
// the environment), for tests that kill it mid-delivery. Prints one JSON line when it is running.
import { startRunner } from "@/server/runner";

const lines: string[] = [];
await startRunner((message) => lines.push(message));
process.stdout.write(`${JSON.stringify({ ready: true, log: lines })}\n`);
