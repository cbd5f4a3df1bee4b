import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { configuredDatabase, describeDatabase } from "./config";
import { applyMigrations, type ApplyMigrationsResult } from "./migrate";

/**
 * Migrates the database this process is configured for and closes it again. Call it before the
 * server opens the database (scripts/start.ts, npm run db:migrate): a PGlite directory must never be
 * open in two places at once.
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
  } else {
    mkdirSync(config.dataDir, { recursive: true });
    const pglite = await PGlite.create(config.dataDir);
    try {
      result = await applyMigrations(pglite, { log });
    } finally {
      await pglite.close();
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
