import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { SchemaFilter } from "@prisma/schema-engine-wasm";
import pg from "pg";
import type { PrismaClient } from "@/generated/prisma/client";
import { prepareListenerSecrets } from "@/server/secrets";
import { createPrismaClient } from "./client";
import { assertPostgresUrl, configuredDatabase, describeDatabase } from "./config";
import { acquireDataDirLock } from "./data-dir-lock";
import { DEFAULT_MIGRATIONS_DIR, readMigrations, toMigrationList } from "./migration-files";
import { migrationAwarePgAdapter, migrationAwarePGliteAdapter } from "./migration-adapters";
import { describeEngineError, openSchemaEngine } from "./schema-engine";

/** A PostgreSQL URL (postgres:// or postgresql://) or an open PGlite instance. */
export type MigrationTarget = string | PGlite;

export interface ApplyMigrationsOptions {
  migrationsDir?: string;
  /** Receives one line per notable step (e.g. each applied migration). */
  log?: (line: string) => void;
}

export interface ApplyMigrationsResult {
  /** Names of the migrations applied by this call, in order; empty when the database was current. */
  applied: string[];
}

/** The migrations table and the database disagree in a way only a person should resolve. */
export class MigrationHistoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MigrationHistoryError";
  }
}

const NO_FILTER: SchemaFilter = { externalTables: [], externalEnums: [] };

/**
 * Applies the pending migrations of prisma/migrations, in order, with Prisma's own schema engine
 * (compiled to WebAssembly), so `_prisma_migrations` ends up exactly as `prisma migrate deploy`
 * leaves it. Refuses to run when an applied migration's file was edited or a migration failed
 * earlier. A PGlite target stays open; a URL target's connection is closed before returning.
 */
export async function applyMigrations(
  target: MigrationTarget,
  options: ApplyMigrationsOptions = {},
): Promise<ApplyMigrationsResult> {
  const migrationsDir = options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR;
  const log = options.log ?? (() => {});
  const migrationsList = toMigrationList(migrationsDir, readMigrations(migrationsDir));
  const connection = connectForMigrations(target);
  try {
    const engine = await openSchemaEngine(connection.factory);
    try {
      const history = await engine
        .diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters: NO_FILTER })
        .catch((error: unknown) => {
          throw new Error(`Could not read the migration history: ${describeEngineError(error)}`);
        });
      if (history.editedMigrationNames.length > 0) {
        throw new MigrationHistoryError(
          `Refusing to migrate: ${formatNames(history.editedMigrationNames)} changed after being applied to this ` +
            `database (the SHA-256 of migration.sql differs from the checksum in _prisma_migrations). ` +
            `Restore the original file(s) from version control and put changes in a new migration ` +
            `(npm run db:migration:new -- <name>).`,
        );
      }
      if (history.failedMigrationNames.length > 0) {
        throw new MigrationHistoryError(
          `Refusing to migrate: ${formatNames(history.failedMigrationNames)} failed earlier and ` +
            `is marked failed in _prisma_migrations. Fix the database by hand, then mark the migration ` +
            `rolled back (DELETE its row from _prisma_migrations) and run the migration again.`,
        );
      }
      if (history.history?.diagnostic === "migrationsDirectoryIsBehind") {
        log(
          `Warning: the database has migrations this checkout lacks: ${history.history.unpersistedMigrationNames.join(", ")}`,
        );
      }
      const { appliedMigrationNames } = await engine
        .applyMigrations({ migrationsList, filters: NO_FILTER })
        .catch((error: unknown) => {
          throw new Error(`Migration failed: ${describeEngineError(error)}`);
        });
      for (const name of appliedMigrationNames) log(`Applied migration ${name}`);
      return { applied: appliedMigrationNames };
    } finally {
      engine.free();
    }
  } finally {
    await connection.close();
  }
}

/**
 * Migrates the database this process is configured for, schema then data (runDataMigrations), and
 * closes it again. Call it before the server opens the database (scripts/start.ts, npm run db:migrate).
 * A PGlite directory is opened under its lock (data-dir-lock.ts): while another process holds it, this
 * throws DataDirLockedError.
 */
export async function migrateConfiguredDatabase(
  options: { log?: (line: string) => void } = {},
): Promise<ApplyMigrationsResult> {
  const log = options.log ?? (() => {});
  const config = configuredDatabase();
  const startedAt = performance.now();
  let result: ApplyMigrationsResult;
  if (config.kind === "postgres") {
    result = await applyMigrations(config.url, { log });
    await withPrismaClient(config.url, (db) => runDataMigrations(db, log));
  } else {
    const dataDirLock = acquireDataDirLock(config.dataDir);
    try {
      mkdirSync(config.dataDir, { recursive: true });
      const pglite = await PGlite.create(config.dataDir);
      try {
        result = await applyMigrations(pglite, { log });
        await withPrismaClient(pglite, (db) => runDataMigrations(db, log));
      } finally {
        await pglite.close();
      }
    } finally {
      dataDirLock.release();
    }
  }
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
  log(
    result.applied.length === 0
      ? `Database is up to date (${describeDatabase(config)}, ${seconds} s)`
      : `Applied ${result.applied.length} migration(s) to ${describeDatabase(config)} in ${seconds} s`,
  );
  return result;
}

/**
 * Data changes that follow the schema, run on every migrate; each is quick when there is nothing to do.
 * Listener secrets from before encryption are encrypted here (and a wrong DURIAN_SECRET_KEY stops the start).
 */
async function runDataMigrations(db: PrismaClient, log: (line: string) => void): Promise<void> {
  await prepareListenerSecrets(db, { log });
}

async function withPrismaClient(
  target: MigrationTarget,
  use: (db: PrismaClient) => Promise<void>,
): Promise<void> {
  const db = createPrismaClient(target);
  try {
    await use(db);
  } finally {
    await db.$disconnect();
  }
}

function formatNames(names: string[]): string {
  return names.length === 1 ? `migration ${names[0]}` : `migrations ${names.join(", ")}`;
}

interface MigrationConnection {
  factory: SqlMigrationAwareDriverAdapterFactory;
  close(): Promise<void>;
}

function connectForMigrations(target: MigrationTarget): MigrationConnection {
  if (target instanceof PGlite) {
    return { factory: migrationAwarePGliteAdapter(target), close: async () => {} };
  }
  assertPostgresUrl(target);
  // One connection, so the engine's advisory lock and the migration run in the same session.
  const pool = new pg.Pool({ connectionString: target, max: 1 });
  return { factory: migrationAwarePgAdapter(pool), close: () => pool.end() };
}
