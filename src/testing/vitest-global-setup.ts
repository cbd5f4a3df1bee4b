import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { redactUrl } from "@/server/db/config";
import { dropStaleTestDatabases } from "./databases";

/**
 * Runs once per `vitest run`, before any test process starts (they inherit process.env):
 * - the data directory becomes a fresh temporary one, so no test opens the developer's .data/pglite
 *   (a PGlite directory held by two processes loses writes);
 * - a configured PostgreSQL server is used only to create throwaway databases next to the one the URL
 *   names (databases.ts): DATABASE_URL moves to TEST_DATABASE_URL, so code under test that
 *   reaches for the process-wide client cannot write into the real database;
 * - an unreachable server fails the run once, up front, with the URL and the reason;
 * - test databases that crashed runs left behind (older than STALE_TEST_DATABASE_AGE_MS) are dropped.
 */
export default async function setup(): Promise<() => void> {
  if (process.env.DATABASE_URL && !process.env.TEST_DATABASE_URL) {
    process.env.TEST_DATABASE_URL = process.env.DATABASE_URL;
  }
  delete process.env.DATABASE_URL;

  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    await assertReachable(serverUrl);
    const swept = await dropStaleTestDatabases(serverUrl);
    if (swept.length > 0) console.log(`Dropped ${swept.length} test database(s) left by crashed runs`);
  }

  const dataDir = mkdtempSync(path.join(os.tmpdir(), "durian-test-data-"));
  process.env.DURIAN_DATA_DIR = dataDir;

  return () => rmSync(dataDir, { recursive: true, force: true });
}

async function assertReachable(serverUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Test PostgreSQL server at ${redactUrl(serverUrl)} (TEST_DATABASE_URL or DATABASE_URL) is unreachable: ${reason}`,
    );
  } finally {
    await client.end().catch(() => {});
  }
}
