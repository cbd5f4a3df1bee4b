import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import type { PrismaClient } from "@/generated/prisma/client";
import { createPrismaClient } from "@/server/db/client";
import { assertPostgresUrl, redactUrl } from "@/server/db/config";
import { applyMigrations } from "@/server/db/migrate";
import { DEFAULT_MIGRATIONS_DIR, readMigrations } from "@/server/db/migration-files";

export interface TestDatabase {
  db: PrismaClient;
  /** Set for a PostgreSQL test database: its own URL (e.g. for a server under test). */
  url?: string;
  /** Set for an embedded test database. */
  pglite?: PGlite;
  /** Disconnects and deletes the database. */
  drop(): Promise<void>;
}

export type TestDatabaseKind = "postgres" | "pglite";

/**
 * The PostgreSQL server tests use: TEST_DATABASE_URL, else DATABASE_URL, when it is a postgres URL.
 * Test databases are created next to the database it names, never inside it.
 */
export function testDatabaseServerUrl(): string | undefined {
  // Read directly: these are test-run settings, not part of the app's configuration.
  const url = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (!url) return undefined;
  assertPostgresUrl(url);
  return url;
}

/**
 * A fresh, fully migrated database of its own: a new database on the test PostgreSQL server when one
 * is configured (see testDatabaseServerUrl), otherwise an in-memory PGlite. Call drop() when done.
 */
export async function createTestDatabase(options: { kind?: TestDatabaseKind } = {}): Promise<TestDatabase> {
  const serverUrl = testDatabaseServerUrl();
  const kind = options.kind ?? (serverUrl ? "postgres" : "pglite");
  if (kind === "pglite") return createPGliteTestDatabase();
  if (!serverUrl) throw new Error("A PostgreSQL test database needs TEST_DATABASE_URL or DATABASE_URL");
  return createPostgresTestDatabase(serverUrl);
}

const TEST_DATABASE_PREFIX = "durian_test_";
/** `durian_test_<creation time, base 36 milliseconds>_<random>`: the time lets a later run sweep leftovers. */
const TEST_DATABASE_NAME = /^durian_test_([0-9a-z]+)_[0-9a-f]{8}$/;
/** A test database this old was left behind by a run that crashed before drop(). */
export const STALE_TEST_DATABASE_AGE_MS = 6 * 60 * 60 * 1000;

/** Creates an empty, uniquely named database on the server of `serverUrl`; returns its URL. */
export async function createEmptyPostgresDatabase(serverUrl: string): Promise<{ url: string; name: string }> {
  const name = `${TEST_DATABASE_PREFIX}${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  await withAdminClient(serverUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), name };
}

export async function dropPostgresDatabase(serverUrl: string, name: string): Promise<void> {
  await withAdminClient(serverUrl, (client) =>
    client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  );
}

/** Drops test databases older than STALE_TEST_DATABASE_AGE_MS (leftovers of crashed runs). */
export async function dropStaleTestDatabases(serverUrl: string): Promise<string[]> {
  const { rows } = await withAdminClient(serverUrl, (client) =>
    client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE 'durian\\_test\\_%'",
    ),
  );
  const stale = staleTestDatabaseNames(
    rows.map((row) => row.datname),
    Date.now(),
  );
  for (const name of stale) await dropPostgresDatabase(serverUrl, name);
  return stale;
}

/** The names among `names` that are test databases created more than STALE_TEST_DATABASE_AGE_MS before `now`. */
export function staleTestDatabaseNames(names: string[], now: number): string[] {
  return names.filter((name) => {
    const createdAt = TEST_DATABASE_NAME.exec(name)?.[1];
    return createdAt !== undefined && now - parseInt(createdAt, 36) > STALE_TEST_DATABASE_AGE_MS;
  });
}

async function withAdminClient<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  try {
    await client.connect();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Cannot reach the test PostgreSQL server at ${redactUrl(serverUrl)}: ${reason}`);
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function createPostgresTestDatabase(serverUrl: string): Promise<TestDatabase> {
  const { url, name } = await createEmptyPostgresDatabase(serverUrl);
  try {
    await applyMigrations(url);
  } catch (error) {
    await dropPostgresDatabase(serverUrl, name);
    throw error;
  }
  const db = createPrismaClient(url);
  return {
    db,
    url,
    async drop() {
      await db.$disconnect();
      await dropPostgresDatabase(serverUrl, name);
    },
  };
}

async function createPGliteTestDatabase(): Promise<TestDatabase> {
  const pglite = new PGlite({ loadDataDir: await migratedPGliteSnapshot() });
  await pglite.waitReady;
  const db = createPrismaClient(pglite);
  return {
    db,
    pglite,
    async drop() {
      await db.$disconnect();
      if (!pglite.closed) await pglite.close();
    },
  };
}

/**
 * Starting an empty PGlite runs initdb (2–4 s); loading a data directory that already holds the
 * migrated schema takes about 1 s. The snapshot is made by applyMigrations on a fresh PGlite and
 * cached on disk under a key of the migrations' checksums and the PGlite version, so an edited or new
 * migration, or a PGlite upgrade, makes a new one.
 */
async function migratedPGliteSnapshot(): Promise<Blob> {
  const key = snapshotKey();
  const cacheDir = path.join(os.tmpdir(), "durian-test-pglite");
  const file = path.join(cacheDir, `${key}.tar`);
  if (existsSync(file)) return new Blob([readFileSync(file)]);

  const scratch = new PGlite();
  try {
    await applyMigrations(scratch);
    const snapshot = await scratch.dumpDataDir("none");
    mkdirSync(cacheDir, { recursive: true });
    // Written under a unique name and renamed, so parallel test workers never read half a file.
    const partial = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.partial`;
    writeFileSync(partial, Buffer.from(await snapshot.arrayBuffer()));
    renameSync(partial, file);
    removeStaleSnapshots(cacheDir, key);
    return snapshot;
  } finally {
    await scratch.close();
  }
}

function snapshotKey(): string {
  const hash = createHash("sha256");
  hash.update(`pglite ${pgliteVersion()}\n`);
  for (const migration of readMigrations(DEFAULT_MIGRATIONS_DIR))
    hash.update(`${migration.name} ${migration.checksum}\n`);
  return hash.digest("hex").slice(0, 16);
}

function pgliteVersion(): string {
  const require = createRequire(import.meta.url);
  const entry = require.resolve("@electric-sql/pglite");
  let dir = path.dirname(entry);
  while (!existsSync(path.join(dir, "package.json"))) dir = path.dirname(dir);
  return (JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { version: string }).version;
}

function removeStaleSnapshots(cacheDir: string, currentKey: string): void {
  for (const entry of readdirSync(cacheDir)) {
    if (entry.endsWith(".tar") && !entry.startsWith(currentKey))
      rmSync(path.join(cacheDir, entry), { force: true });
  }
}
