import type { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";

/*
 * Driver adapters for the schema engine. Both stock adapters mishandle `executeScript`, which the
 * engine uses to run each migration.sql:
 * - pglite-prisma-adapter 0.7.2 starts the script without awaiting it, so a failing migration looks
 *   successful and its error becomes an unhandled rejection;
 * - @prisma/adapter-pg 7.10.1 splits the script on every ";" (breaking string literals and function
 *   bodies) and runs the pieces one by one, so a failure leaves the migration half applied.
 * Here the whole script goes to the server as one simple-protocol query, as the native engine sends it:
 * PostgreSQL runs it as one implicit transaction, so a failing migration changes nothing.
 */

type AdapterWithErrorMapping = SqlDriverAdapter & { onError(error: unknown): never };

export function runScriptsWhole(
  adapter: SqlDriverAdapter,
  run: (script: string) => Promise<unknown>,
): SqlDriverAdapter {
  // onError is the adapter's own mapping of driver errors to Prisma's (not in its public typings).
  const mapped = adapter as AdapterWithErrorMapping;
  adapter.executeScript = async (script: string) => {
    try {
      await run(script);
    } catch (error) {
      mapped.onError(error);
    }
  };
  return adapter;
}

/**
 * `shadow` is the database the engine replays migrations into when it needs one; by default the stock
 * adapter opens a new in-memory PGlite per call (seconds each) and never closes it.
 */
export function migrationAwarePGliteAdapter(
  pglite: PGlite,
  shadow: PGlite = pglite,
): SqlMigrationAwareDriverAdapterFactory {
  const factory = new PrismaPGlite(pglite);
  const shadowFactory = shadow === pglite ? factory : new PrismaPGlite(shadow);
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => runScriptsWhole(await factory.connect(), (script) => pglite.exec(script)),
    connectToShadowDb: async () =>
      runScriptsWhole(await shadowFactory.connect(), (script) => shadow.exec(script)),
  };
}

/** The caller owns `pool` and ends it. No shadow database: deploy-style commands never need one. */
export function migrationAwarePgAdapter(pool: pg.Pool): SqlMigrationAwareDriverAdapterFactory {
  const factory = new PrismaPg(pool);
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => runScriptsWhole(await factory.connect(), (script) => pool.query(script)),
    connectToShadowDb: () => {
      throw new Error("This command needs a shadow database, which migrationAwarePgAdapter does not provide");
    },
  };
}
