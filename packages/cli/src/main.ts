import os from "node:os";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { DurianError } from "@durian/sdk";
import { CliApi, type Connection } from "./api";
import { describe, listen } from "./listen";
import { consoleOutput, type Output } from "./output";
import { parseSince, tail } from "./tail";
import { trigger } from "./trigger";

declare const DURIAN_CLI_VERSION: string;
const VERSION = typeof DURIAN_CLI_VERSION === "string" ? DURIAN_CLI_VERSION : "dev";
const DEFAULT_URL = "http://localhost:3000";

const HELP = `durian ${VERSION}: receive, send and follow Durian webhooks from a terminal

Usage:
  durian listen <hook> --forward <url> [--filter <json>] [--name <name>] [--forget]
      Receive the hook's deliveries on this machine and POST each to <url> with its original body
      and Standard Webhooks headers. Prints the listener's whsec_ signing secret, then one line per
      delivery: time, hook, event id, local status, duration. The local answer is recorded as the
      attempt (2xx succeeds; anything else follows the hook's retry schedule). Deliveries sent
      while listen is not running wait for the next run with the same hook, filter and name.
  durian trigger <hook> --data <json> [--sender <name>] [--wait <seconds>]
      Send an event with the payload <json>.
  durian tail [--hook <name>] [--listener <id>] [--since <duration or time>]
      Follow the delivery log: one line per attempt from now on. With --since (10m, 2h, 1d, or an
      ISO 8601 time such as 2026-12-02T10:00:00Z), first the attempts of the deliveries created
      since then, oldest first.

Options:
  --url <url>        Durian's address (env DURIAN_URL; default ${DEFAULT_URL})
  --api-key <key>    A project API key (env DURIAN_API_KEY)
  -h, --help         Show this help
  -v, --version      Show the version
`;

const OPTIONS = {
  url: { type: "string" },
  "api-key": { type: "string" },
  forward: { type: "string" },
  filter: { type: "string" },
  name: { type: "string" },
  forget: { type: "boolean" },
  data: { type: "string" },
  sender: { type: "string" },
  wait: { type: "string" },
  hook: { type: "string" },
  listener: { type: "string" },
  since: { type: "string" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
} satisfies ParseArgsConfig["options"];

/** A mistake in the command line: printed with a hint, exit status 2. */
class UsageError extends Error {}

export async function run(argv: string[], out: Output, env: NodeJS.ProcessEnv): Promise<number> {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
    if (values.version) {
      out.line(VERSION);
      return 0;
    }
    const [command, ...rest] = positionals;
    if (values.help || command === undefined || command === "help") {
      out.line(HELP);
      return values.help || command === "help" ? 0 : 2;
    }
    switch (command) {
      case "listen": {
        const hook = onePositional(rest, "listen <hook>");
        if (!values.forward)
          throw new UsageError("listen needs --forward <url>, e.g. --forward http://localhost:3000/webhooks");
        const api = new CliApi(connection(values, env));
        await listen(
          api,
          {
            hook,
            forward: values.forward,
            filter: values.filter === undefined ? {} : jsonObject(values.filter, "--filter"),
            name: values.name ?? `durian listen on ${os.hostname()}`,
            forget: values.forget ?? false,
          },
          out,
          stopOnSignals(),
        );
        return 0;
      }
      case "trigger": {
        const hook = onePositional(rest, "trigger <hook>");
        if (values.data === undefined) throw new UsageError(`trigger needs --data '{"field": "value"}'`);
        const wait = values.wait === undefined ? undefined : Number(values.wait);
        if (wait !== undefined && !Number.isFinite(wait))
          throw new UsageError("--wait takes a number of seconds");
        await trigger(
          connection(values, env),
          { hook, payload: jsonObject(values.data, "--data"), sender: values.sender, wait },
          out,
        );
        return 0;
      }
      case "tail": {
        if (rest.length > 0) throw new UsageError(`tail takes no arguments, got ${rest.join(" ")}`);
        const api = new CliApi(connection(values, env));
        const since = values.since === undefined ? undefined : sinceOption(values.since);
        await tail(api, { hook: values.hook, listenerId: values.listener, since }, out, stopOnSignals());
        return 0;
      }
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && "code" in error)) {
      out.note(`durian: ${error.message}\nRun \`durian --help\` for usage.`);
      return 2;
    }
    if (error instanceof DurianError) {
      out.note(`durian: ${hint(error)}`);
      return 1;
    }
    throw error;
  }
}

function connection(values: { url?: string; "api-key"?: string }, env: NodeJS.ProcessEnv): Connection {
  const url = values.url ?? env.DURIAN_URL ?? DEFAULT_URL;
  if (!/^https?:\/\//i.test(url))
    throw new UsageError(`--url / DURIAN_URL must be an http(s) URL, got "${url}"`);
  const apiKey = values["api-key"] ?? env.DURIAN_API_KEY;
  if (!apiKey) {
    throw new UsageError(
      "no API key: set DURIAN_API_KEY or pass --api-key (create one under API keys in the dashboard)",
    );
  }
  return { url, apiKey };
}

function onePositional(rest: string[], usage: string): string {
  if (rest.length !== 1) throw new UsageError(`usage: durian ${usage}`);
  return rest[0]!;
}

function sinceOption(text: string): Date {
  const since = parseSince(text);
  if (!since) {
    throw new UsageError(
      `--since takes a duration (90s, 10m, 2h, 1d) or an ISO 8601 time (2026-12-02T10:00:00Z), got "${text}"`,
    );
  }
  return since;
}

function jsonObject(text: string, option: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${option} is not JSON: ${error instanceof Error ? error.message : error}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new UsageError(`${option} must be a JSON object, e.g. '{"name": "Joe"}'`);
  }
  return value as Record<string, unknown>;
}

/** What went wrong, with what to do about the usual causes. */
function hint(error: DurianError): string {
  const status = (error as { status?: number }).status;
  if (status === 401) return `${error.message}\nCheck the API key (DURIAN_API_KEY or --api-key).`;
  return error instanceof Error ? describe(error) : String(error);
}

/** Aborted by the first Ctrl-C or SIGTERM (the commands then finish up); a second one exits at once. */
function stopOnSignals(): AbortSignal {
  const controller = new AbortController();
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (controller.signal.aborted) process.exit(130);
      controller.abort();
    });
  }
  return controller.signal;
}

process.exitCode = await run(process.argv.slice(2), consoleOutput, process.env);
