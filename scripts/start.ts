/**
 * `npm start`: build when no current build exists, apply migrations, then serve on PORT.
 * Works with no configuration at all (embedded PGlite database under .data/).
 */
import { spawn } from "node:child_process";
import { EnvError, parseEnv } from "../src/server/env";
import { migrateConfiguredDatabase } from "../src/server/db/migrate";
import { ensureCurrentBuild, nextBin } from "./lib/next-app";

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

  const hostArgs = process.env.HOSTNAME ? ["-H", process.env.HOSTNAME] : [];
  const server = spawn(process.execPath, [nextBin(), "start", "-p", String(env.PORT), ...hostArgs], {
    stdio: "inherit",
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => server.kill(signal));
  }
  server.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
}

await main();
