import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyMigrations, MigrationHistoryError, type MigrationTarget } from "./migrate";
import { DEFAULT_MIGRATIONS_DIR, migrationChecksum, readMigrations } from "./migration-files";
import {
  createEmptyPostgresDatabase,
  dropPostgresDatabase,
  testDatabaseServerUrl,
} from "@/testing/databases";

interface EmptyDatabase {
  target: MigrationTarget;
  query<Row>(sql: string): Promise<Row[]>;
  close(): Promise<void>;
}

async function emptyPGlite(): Promise<EmptyDatabase> {
  const pglite = await PGlite.create();
  return {
    target: pglite,
    query: async <Row>(sql: string) => (await pglite.query<Row>(sql)).rows,
    close: () => pglite.close(),
  };
}

async function emptyPostgres(serverUrl: string): Promise<EmptyDatabase> {
  const { url, name } = await createEmptyPostgresDatabase(serverUrl);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    target: url,
    query: async <Row>(sql: string) => (await client.query(sql)).rows as Row[],
    async close() {
      await client.end();
      await dropPostgresDatabase(serverUrl, name);
    },
  };
}

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  applied_steps_count: number;
  logs: string | null;
}

const recordedMigrations = (database: EmptyDatabase) =>
  database.query<MigrationRow>(
    "SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count, logs " +
      "FROM _prisma_migrations ORDER BY started_at, migration_name",
  );

/** The `_prisma_migrations` columns `prisma migrate deploy` creates, as information_schema shows them. */
const PRISMA_MIGRATIONS_COLUMNS = [
  "applied_steps_count integer NO",
  "checksum character varying NO",
  "finished_at timestamp with time zone YES",
  "id character varying NO",
  "logs text YES",
  "migration_name character varying NO",
  "rolled_back_at timestamp with time zone YES",
  "started_at timestamp with time zone NO",
];

const serverUrl = testDatabaseServerUrl();
const kinds = [
  { kind: "PGlite", open: emptyPGlite },
  ...(serverUrl ? [{ kind: "PostgreSQL", open: () => emptyPostgres(serverUrl) }] : []),
];

/** PGlite is PostgreSQL in WebAssembly: seconds per database on a loaded machine. */
const DATABASE_TEST_TIMEOUT_MS = 120_000;

describe.each(kinds)("applyMigrations on $kind", { timeout: DATABASE_TEST_TIMEOUT_MS }, ({ open }) => {
  let database: EmptyDatabase;
  let scratchDirs: string[] = [];

  beforeEach(async () => {
    database = await open();
  });
  afterEach(async () => {
    await database.close();
    for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
    scratchDirs = [];
  });

  /** A copy of prisma/migrations the test may change. */
  function copyOfMigrations(): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), "durian-migrations-"));
    scratchDirs.push(dir);
    cpSync(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
    return dir;
  }

  function addMigration(migrationsDir: string, name: string, sql: string): void {
    mkdirSync(path.join(migrationsDir, name));
    writeFileSync(path.join(migrationsDir, name, "migration.sql"), sql);
  }

  it("applies every migration and records it as prisma migrate deploy does, then applies nothing", async () => {
    const onDisk = readMigrations();
    expect(onDisk.length).toBeGreaterThan(0);

    const first = await applyMigrations(database.target);
    expect(first.applied).toEqual(onDisk.map((migration) => migration.name));

    const rows = await recordedMigrations(database);
    expect(rows.map((row) => row.migration_name)).toEqual(first.applied);
    for (const [index, row] of rows.entries()) {
      const file = path.join(DEFAULT_MIGRATIONS_DIR, row.migration_name, "migration.sql");
      expect(row.checksum).toBe(migrationChecksum(readFileSync(file, "utf8")));
      expect(row.checksum).toBe(onDisk[index]?.checksum);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
    const columns = await database.query<{ column: string }>(
      "SELECT column_name || ' ' || data_type || ' ' || is_nullable AS column FROM information_schema.columns " +
        "WHERE table_name = '_prisma_migrations' ORDER BY column_name",
    );
    expect(columns.map((row) => row.column)).toEqual(PRISMA_MIGRATIONS_COLUMNS);
    const tables = await database.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
    );
    expect(tables.map((row) => row.table_name)).toEqual(
      expect.arrayContaining(["user", "Project", "Delivery"]),
    );

    const second = await applyMigrations(database.target);
    expect(second.applied).toEqual([]);
    expect(await recordedMigrations(database)).toHaveLength(rows.length);
  });

  it("applies a new migration on top of the applied ones, in name order", async () => {
    const migrationsDir = copyOfMigrations();
    await applyMigrations(database.target, { migrationsDir });
    // A ";" inside a literal: the script must reach the server whole, not split into statements.
    addMigration(
      migrationsDir,
      "99990102000000_second",
      `ALTER TABLE "Extra" ADD COLUMN "note" TEXT DEFAULT 'a; b';`,
    );
    addMigration(migrationsDir, "99990101000000_first", 'CREATE TABLE "Extra" ("id" TEXT PRIMARY KEY);');

    const result = await applyMigrations(database.target, { migrationsDir });

    expect(result.applied).toEqual(["99990101000000_first", "99990102000000_second"]);
    const columns = await database.query<{ column_name: string }>(
      "SELECT column_name FROM information_schema.columns WHERE table_name = 'Extra' ORDER BY column_name",
    );
    expect(columns.map((row) => row.column_name)).toEqual(["id", "note"]);
    await database.query(`INSERT INTO "Extra" ("id") VALUES ('x')`);
    expect(await database.query('SELECT "note" FROM "Extra"')).toEqual([{ note: "a; b" }]);
  });

  it("refuses to run when an applied migration was edited, naming it", async () => {
    const migrationsDir = copyOfMigrations();
    const [first] = readMigrations(migrationsDir);
    if (!first) throw new Error("expected at least one migration");
    await applyMigrations(database.target, { migrationsDir });
    appendFileSync(path.join(migrationsDir, first.name, "migration.sql"), "\n-- edited afterwards\n");
    addMigration(migrationsDir, "99990101000000_pending", 'CREATE TABLE "Pending" ("id" TEXT PRIMARY KEY);');

    const attempt = applyMigrations(database.target, { migrationsDir });

    await expect(attempt).rejects.toThrow(MigrationHistoryError);
    await expect(attempt).rejects.toThrow(new RegExp(`${first.name} changed after being applied`));
    const pending = await database.query(
      "SELECT 1 FROM information_schema.tables WHERE table_name = 'Pending'",
    );
    expect(pending).toEqual([]);
  });

  it("records a failing migration as failed, rolls its statements back and refuses to continue", async () => {
    const migrationsDir = copyOfMigrations();
    await applyMigrations(database.target, { migrationsDir });
    addMigration(
      migrationsDir,
      "99990101000000_broken",
      'CREATE TABLE "HalfDone" ("id" TEXT PRIMARY KEY);\nINSERT INTO "NoSuchTable" VALUES (1);',
    );

    await expect(applyMigrations(database.target, { migrationsDir })).rejects.toThrow(/NoSuchTable/);

    const broken = (await recordedMigrations(database)).find(
      (row) => row.migration_name === "99990101000000_broken",
    );
    expect(broken?.finished_at).toBeNull();
    expect(broken?.logs).toMatch(/NoSuchTable/);
    const halfDone = await database.query(
      "SELECT 1 FROM information_schema.tables WHERE table_name = 'HalfDone'",
    );
    expect(halfDone).toEqual([]);
    await expect(applyMigrations(database.target, { migrationsDir })).rejects.toThrow(
      /99990101000000_broken failed earlier/,
    );
  });
});

describe("applyMigrations input", () => {
  it("rejects a URL that is not PostgreSQL, naming the expectation", async () => {
    await expect(applyMigrations("mysql://user:secret@localhost/db")).rejects.toThrow(
      'Expected a postgres:// or postgresql:// URL, got "mysql://user:***@localhost/db"',
    );
  });
});

afterAll(() => {
  if (!serverUrl)
    console.warn("applyMigrations: PostgreSQL cases skipped (set TEST_DATABASE_URL or DATABASE_URL)");
});
