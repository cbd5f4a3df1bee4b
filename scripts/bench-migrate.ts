// Usage: npm run bench:migrate
// How long `npm run db:migrate` takes, as a whole process (Node + tsx start, WebAssembly engine,
// opening the database, applying), on a fresh and an existing embedded PGlite directory and on a fresh
// and an existing PostgreSQL database. `npm start` pays this before serving.
// Admin connection: TEST_DATABASE_URL, DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres; the
// benchmark creates its own database and PGlite directory and removes both. The last line is
// machine-readable: bench:migrate pglite_fresh_s=<x> pglite_existing_s=<x> pg_fresh_s=<x> pg_existing_s=<x>
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { promisify } from "node:util";
import { redactUrl } from "../src/server/db/config";
import { createEmptyPostgresDatabase, dropPostgresDatabase } from "../src/testing/databases";

const DEFAULT_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";
const TSX_CLI = path.resolve("node_modules/tsx/dist/cli.mjs");

/** Runs scripts/migrate.ts in a new process with `env`; returns its wall-clock seconds. */
async function timeMigrate(env: Record<string, string | undefined>): Promise<number> {
  const startedAt = performance.now();
  const { stdout } = await promisify(execFile)(process.execPath, [TSX_CLI, "scripts/migrate.ts"], {
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
  const seconds = (performance.now() - startedAt) / 1000;
  console.log(`  ${seconds.toFixed(2)} s  ${stdout.trim().split("\n").at(-1)}`);
  return seconds;
}

async function main(): Promise<void> {
  const adminUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || DEFAULT_ADMIN_URL;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "durian-bench-migrate-"));
  const database = await createEmptyPostgresDatabase(adminUrl);
  try {
    console.log(`PGlite in ${dataDir}`);
    const pgliteEnv = { DATABASE_URL: undefined, DURIAN_DATA_DIR: dataDir };
    const pgliteFresh = await timeMigrate(pgliteEnv);
    const pgliteExisting = await timeMigrate(pgliteEnv);
    console.log(`PostgreSQL at ${redactUrl(database.url)}`);
    const pgEnv = { DATABASE_URL: database.url };
    const pgFresh = await timeMigrate(pgEnv);
    const pgExisting = await timeMigrate(pgEnv);
    console.log(
      `bench:migrate pglite_fresh_s=${pgliteFresh.toFixed(2)} pglite_existing_s=${pgliteExisting.toFixed(2)} ` +
        `pg_fresh_s=${pgFresh.toFixed(2)} pg_existing_s=${pgExisting.toFixed(2)}`,
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    await dropPostgresDatabase(adminUrl, database.name);
  }
}

await main();
