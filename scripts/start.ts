/**
 * `npm start`: build when no current build exists, apply migrations, then serve on PORT with
 * scripts/server.mjs, which stops gracefully on SIGTERM or SIGINT (forwarded to it from here).
 * Works with no configuration at all (embedded PGlite database under .data/).
 */
import { spawn } from "node:child_process";
import { EnvError, parseEnv } from "../src/server/env";
import { migrateConfiguredDatabase } from "../src/server/db/migrate";
import { ensureCurrentBuild, serverEntry } from "./lib/next-app";

async function main() {
  let env;
  try {
    env = parseEnv(process.env);
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  process.env.NEXT_TELEMETRY_DISABLED = "1";

  ensureCurrentBuild((line) => console.log(`durian: ${line}`));

  await migrateConfiguredDatabase({ log: (line) => console.log(`durian: ${line}`) });

  const server = spawn(process.execPath, [serverEntry()], {
    stdio: "inherit",
    env: { ...process.env, PORT: String(env.PORT) },
  });
  // The server drains and closes the database before it exits; this process waits for it and
  // exits with its status (a terminal's Ctrl-C reaches both: the server ignores the repeat).
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => server.kill(signal));
  }
  server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

await main();
