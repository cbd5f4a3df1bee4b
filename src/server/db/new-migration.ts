import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import {
  DEFAULT_MIGRATIONS_DIR,
  DEFAULT_SCHEMA_PATH,
  LOCKFILE_CONTENT,
  LOCKFILE_NAME,
  MIGRATION_FILE,
  migrationTimestamp,
  normalizeMigrationName,
  readMigrations,
  toMigrationList,
} from "./migration-files";
import { migrationAwarePGliteAdapter } from "./migration-adapters";
import { describeEngineError, openSchemaEngine } from "./schema-engine";

export interface MigrationSources {
  migrationsDir?: string;
  schemaPath?: string;
}

/** The engine's `diff` exit code when the two sides differ (with `exitCode: true`). */
const DIFF_EXIT_CODE_CHANGED = 2;

/**
 * The SQL that takes a database from the state the existing migrations leave to the one
 * prisma/schema.prisma describes, or null when they already agree. The engine replays the migrations
 * into a throwaway in-memory PGlite (its "shadow database", as in `prisma migrate dev`).
 */
export async function diffSchemaAgainstMigrations(sources: MigrationSources = {}): Promise<string | null> {
  const migrationsDir = sources.migrationsDir ?? DEFAULT_MIGRATIONS_DIR;
  const schemaPath = sources.schemaPath ?? DEFAULT_SCHEMA_PATH;
  const schema = readFileSync(schemaPath, "utf8");
  const scratch = new PGlite();
  try {
    const engine = await openSchemaEngine(migrationAwarePGliteAdapter(scratch));
    try {
      const result = await engine.diff({
        from: { tag: "migrations", ...toMigrationList(migrationsDir, readMigrations(migrationsDir)) },
        to: { tag: "schemaDatamodel", files: [{ path: schemaPath, content: schema }] },
        script: true,
        exitCode: true,
        filters: { externalTables: [], externalEnums: [] },
      });
      return result.exitCode === DIFF_EXIT_CODE_CHANGED ? (result.stdout ?? "") : null;
    } catch (error) {
      throw new Error(`Could not diff the schema against the migrations: ${describeEngineError(error)}`);
    } finally {
      engine.free();
    }
  } finally {
    await scratch.close();
  }
}

export interface CreatedMigration {
  name: string;
  file: string;
}

/** Writes `<timestamp>_<name>/migration.sql` when the schema changed; returns null when it did not. */
export async function createMigration(
  rawName: string,
  sources: MigrationSources = {},
): Promise<CreatedMigration | null> {
  const migrationsDir = sources.migrationsDir ?? DEFAULT_MIGRATIONS_DIR;
  const suffix = normalizeMigrationName(rawName);
  const sql = await diffSchemaAgainstMigrations(sources);
  if (sql === null) return null;
  const name = `${migrationTimestamp()}_${suffix}`;
  const dir = path.join(migrationsDir, name);
  if (existsSync(dir)) throw new Error(`Migration ${name} already exists; wait a second and retry`);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, MIGRATION_FILE);
  writeFileSync(file, sql);
  const lockfile = path.join(migrationsDir, LOCKFILE_NAME);
  if (!existsSync(lockfile)) writeFileSync(lockfile, LOCKFILE_CONTENT);
  return { name, file };
}
