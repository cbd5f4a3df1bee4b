/**
 * `npm start`: build when no current build exists, apply migrations, then serve on PORT with
 * scripts/server.mjs, which stops gracefully on SIGTERM or SIGINT (forwarded to it from here).
 * Works with no configuration at all (embedded PGlite database under .data/).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { EnvError, parseEnv } from "../src/server/env";
import { configuredDatabase } from "../src/server/db/config";
import {
  acquireDataDirLock,
  DataDirLockedError,
  dataDirLockHandoverEnv,
  type DataDirLock,
} from "../src/server/db/data-dir-lock";
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

  // The embedded database's lock is taken first and held by this process until the server exits, so
  // a second `npm start` on the same DURIAN_DATA_DIR refuses before building or migrating, and cannot
  // slip in between our migration and the server opening the database. The server, our child, gets
  // the lock handed over (dataDirLockHandoverEnv: a token it checks against the lock on disk) instead
  // of taking it; we never open the database while it runs.
  let server: ChildProcess | undefined;
  let lostLock = false;
  const lock = lockEmbeddedDatabase(() => {
    lostLock = true;
    server?.kill("SIGTERM");
  });

  ensureCurrentBuild((line) => console.log(`durian: ${line}`));

  await migrateConfiguredDatabase({ log: (line) => console.log(`durian: ${line}`) });

  server = spawn(process.execPath, [serverEntry()], {
    stdio: "inherit",
    env: { ...process.env, PORT: String(env.PORT), ...(lock ? dataDirLockHandoverEnv(lock) : {}) },
  });
  // The server drains and closes the database before it exits; this process waits for it and
  // exits with its status (a terminal's Ctrl-C reaches both: the server ignores the repeat).
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => server.kill(signal));
  }
  server.on("exit", (code, signal) => {
    lock?.release();
    process.exit(lostLock ? 1 : (code ?? (signal ? 1 : 0)));
  });
}

/** Takes the embedded database's lock (none for PostgreSQL), or ends with the holder's pid. */
function lockEmbeddedDatabase(onLost: () => void): DataDirLock | undefined {
  const config = configuredDatabase();
  if (config.kind !== "pglite") return undefined;
  try {
    return acquireDataDirLock(config.dataDir, {
      onCompromised(error) {
        console.error(`durian: lost the lock on the embedded database (${error.message}); stopping.`);
        onLost();
      },
    });
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      console.error(`durian: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}

await main();
