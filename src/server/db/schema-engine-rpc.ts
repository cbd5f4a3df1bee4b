import { mkdirSync, readFileSync } from "node:fs";
import readline from "node:readline";
import pg from "pg";
import {
  openEngineConnection,
  isPGliteUrl,
  pgliteDirFromUrl,
  runOnServer,
  type EngineConnection,
} from "./engine-connections";
import {
  openSchemaEngine,
  describeEngineError,
  schemaEngineVersion,
  type SchemaEngine,
} from "./schema-engine";

/**
 * A stand-in for Prisma's native `schema-engine` executable, backed by the same engine compiled to
 * WebAssembly, so the stock `prisma migrate deploy|status|diff|dev|reset` and `db push|pull` work on
 * machines that cannot download the native one. The CLI starts it as
 *   <engine> [--datamodels <file>]… --datasource '{"url":…}'        (JSON-RPC 2.0, one message a line)
 *   <engine> --datasource '{"url":…}' cli can-connect-to-database|create-database
 *   <engine> --version
 * The protocol is Prisma's internal one: keep `prisma` and `@prisma/schema-engine-wasm` pinned, and
 * src/server/db/prisma-cli.test.ts running the stock commands.
 */

interface Arguments {
  datamodels: string[];
  datasource?: { url?: string; shadowDatabaseUrl?: string };
  version: boolean;
  cliCommand?: string;
}

function parseArguments(argv: string[]): Arguments {
  const parsed: Arguments = { datamodels: [], version: false };
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    const next = () => {
      const value = argv[++index];
      if (value === undefined) throw new Error(`${arg} needs a value`);
      return value;
    };
    if (arg === "--datamodels") parsed.datamodels.push(next());
    else if (arg === "--datasource") parsed.datasource = JSON.parse(next()) as Arguments["datasource"];
    else if (arg === "--version" || arg === "-V") parsed.version = true;
    else if (arg === "cli") parsed.cliCommand = next();
    else if (arg === "--enabled-preview-features" || arg === "--extension-types") next();
  }
  return parsed;
}

export async function main(argv: string[]): Promise<void> {
  const args = parseArguments(argv);
  if (args.version) {
    process.stdout.write(`schema-engine-cli ${await schemaEngineVersion()} (WebAssembly stand-in)\n`);
    return;
  }
  const url = args.datasource?.url;
  if (args.cliCommand) {
    if (!url) return failCli("P1012", "No datasource URL: set datasource.url in prisma.config.ts");
    return runCliCommand(args.cliCommand, url);
  }
  if (!url) throw new Error("No datasource URL: set datasource.url in prisma.config.ts");
  await serveJsonRpc(args, url);
}

// ---------------------------------------------------------------------------------------------------
// One-shot sub-commands. The CLI skips the first stderr line and reads the rest as JSON log lines; an
// ERROR line from schema_engine::logger with an error_code is how it learns why (P1003 → create it).
// ---------------------------------------------------------------------------------------------------

function failCli(errorCode: string, message: string): never {
  const line = {
    level: "ERROR",
    target: "schema_engine::logger",
    fields: { message, error_code: errorCode },
  };
  process.stderr.write(`schema-engine stand-in failed\n${JSON.stringify(line)}\n`);
  process.exit(1);
}

async function runCliCommand(command: string, url: string): Promise<void> {
  if (isPGliteUrl(url)) {
    // A PGlite directory always "exists": opening it creates it.
    if (command === "create-database") mkdirSync(pgliteDirFromUrl(url), { recursive: true });
    return;
  }
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    await client.end();
    if (command === "create-database") failCli("P1009", "The database already exists");
  } catch (error) {
    const code = (error as { code?: string }).code;
    const message = error instanceof Error ? error.message : String(error);
    if (code !== "3D000") failCli("P1001", `Can't reach database server: ${message}`);
    if (command !== "create-database") failCli("P1003", `Database does not exist: ${message}`);
    const server = new URL(url);
    const name = decodeURIComponent(server.pathname.slice(1));
    server.pathname = "/postgres";
    await runOnServer(server.toString(), `CREATE DATABASE "${name.replaceAll('"', '""')}"`);
    process.stdout.write(JSON.stringify({ databaseName: name }) + "\n");
  }
}

// ---------------------------------------------------------------------------------------------------
// JSON-RPC: the engine object has a method per RPC method, except getDatabaseVersion → version.
// ---------------------------------------------------------------------------------------------------

const RPC_METHOD_ALIASES: Record<string, string> = { getDatabaseVersion: "version" };
const RPC_ERROR_CODE = 4466;

interface RpcRequest {
  id: number;
  method: string;
  params?: unknown;
}

async function serveJsonRpc(args: Arguments, url: string): Promise<void> {
  let connection: EngineConnection | undefined;
  let engine: SchemaEngine | undefined;
  let nextPrintId = 1_000_000;
  const pendingPrints = new Map<number, () => void>();
  const send = (message: object) =>
    process.stdout.write(JSON.stringify({ jsonrpc: "2.0", ...message }) + "\n");

  async function ensureEngine(): Promise<SchemaEngine> {
    connection ??= await openEngineConnection(url, args.datasource?.shadowDatabaseUrl);
    engine ??= await openSchemaEngine(connection.factory, {
      // An empty list makes the engine panic on some commands; "none given" must be undefined.
      datamodels:
        args.datamodels.length > 0
          ? args.datamodels.map((file): [string, string] => [file, readFileSync(file, "utf8")])
          : undefined,
      onLog: (line) => process.stderr.write(line.endsWith("\n") ? line : `${line}\n`),
    });
    return engine;
  }

  /** The native engine streams `migrate diff` output to the CLI with a `print` request. */
  function print(content: string): Promise<void> {
    const id = nextPrintId++;
    return new Promise((resolve) => {
      pendingPrints.set(id, resolve);
      send({ id, method: "print", params: { content } });
    });
  }

  async function handle(request: RpcRequest): Promise<void> {
    try {
      const current = await ensureEngine();
      const name = RPC_METHOD_ALIASES[request.method] ?? request.method;
      const method = (current as unknown as Record<string, unknown>)[name];
      if (typeof method !== "function") throw new Error(`Unknown schema engine method "${request.method}"`);
      const result =
        (await (method as (params: unknown) => Promise<unknown>).call(current, request.params ?? {})) ?? {};
      if (request.method === "diff") {
        const diff = result as { stdout?: string | null };
        if (diff.stdout) await print(diff.stdout.replace(/\n$/, ""));
        diff.stdout = null;
      }
      send({ id: request.id, result });
    } catch (error) {
      const message = describeEngineError(error);
      send({
        id: request.id,
        error: { code: RPC_ERROR_CODE, message, data: { is_panic: false, message, meta: null } },
      });
    }
  }

  let shuttingDown: Promise<void> | undefined;
  const queue: Promise<void>[] = [];
  const shutdown = () => {
    shuttingDown ??= (async () => {
      await Promise.allSettled(queue);
      engine?.free();
      await connection?.close();
      // The engine leaves timers behind; exit once the database is safely closed.
      process.exit(0);
    })();
    return shuttingDown;
  };

  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on("line", (line) => {
    if (!line.trim()) return;
    const message = JSON.parse(line) as RpcRequest & { result?: unknown };
    if (message.method === undefined) {
      pendingPrints.get(message.id)?.();
      pendingPrints.delete(message.id);
      return;
    }
    // One request at a time, in order, as the native engine handles them.
    const previous = queue.at(-1) ?? Promise.resolve();
    queue.push(previous.then(() => handle(message)));
  });
  lines.on("close", () => void shutdown());
  // A Rust panic surfaces as an uncaught RuntimeError; exit code 101 is how the CLI recognises one.
  process.on("uncaughtException", (error) => {
    const message = `schema engine panicked: ${describeEngineError(error)}`;
    process.stderr.write(
      JSON.stringify({ level: "ERROR", target: "schema_engine::logger", fields: { message } }) + "\n",
    );
    process.exit(101);
  });
  // The CLI ends stdin and sends SIGTERM at once; both mean "close the database and go".
  process.on("SIGTERM", () => void shutdown());
  process.on("SIGINT", () => void shutdown());
  await new Promise<never>(() => {});
}
