import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { acquireDataDirLock } from "./data-dir-lock";
import { migrationAwarePGliteAdapter, runScriptsWhole } from "./migration-adapters";

/**
 * Connections for the schema engine behind Prisma's CLI (scripts/prisma-schema-engine.mjs), for every
 * command including those that need a shadow database (migrate dev, migrate diff --from-migrations).
 *
 * A datasource URL is either PostgreSQL (postgres:// or postgresql://) or `pglite:<directory>` for the
 * embedded database (relative to the working directory).
 */
export const PGLITE_URL_PREFIX = "pglite:";

export interface EngineConnection {
  factory: SqlMigrationAwareDriverAdapterFactory;
  close(): Promise<void>;
}

export function isPGliteUrl(url: string): boolean {
  return url.startsWith(PGLITE_URL_PREFIX);
}

export function pgliteDirFromUrl(url: string): string {
  const dir = url.slice(PGLITE_URL_PREFIX.length).replace(/^\/\/(?=\/)/, "");
  if (!dir) throw new Error(`"${url}" names no directory; expected e.g. pglite:.data/pglite`);
  return path.resolve(dir);
}

export async function openEngineConnection(
  url: string,
  shadowDatabaseUrl?: string,
): Promise<EngineConnection> {
  if (isPGliteUrl(url)) return openPGliteConnection(pgliteDirFromUrl(url));
  return openPostgresConnection(url, shadowDatabaseUrl);
}

async function openPGliteConnection(dataDir: string): Promise<EngineConnection> {
  // Released when the engine closes the connection; on exit proper-lockfile removes it anyway.
  const dataDirLock = acquireDataDirLock(dataDir);
  let main: PGlite;
  try {
    mkdirSync(dataDir, { recursive: true });
    main = await PGlite.create(dataDir);
  } catch (error) {
    dataDirLock.release();
    throw error;
  }
  const shadows: PGlite[] = [];
  const base = migrationAwarePGliteAdapter(main);
  return {
    factory: {
      ...base,
      connect: () => base.connect(),
      // Each shadow is a fresh in-memory database, closed when the engine disposes it.
      connectToShadowDb: async () => {
        const shadow = await PGlite.create();
        shadows.push(shadow);
        const adapter = await migrationAwarePGliteAdapter(shadow).connect();
        return onDispose(adapter, () => shadow.close());
      },
    },
    async close() {
      await Promise.all(shadows.filter((shadow) => !shadow.closed).map((shadow) => shadow.close()));
      if (!main.closed) await main.close();
      dataDirLock.release();
    },
  };
}

/** PostgreSQL's internal one-byte `"char"` type, which the schema describer reads from the catalog. */
const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

async function openPostgresConnection(url: string, shadowDatabaseUrl?: string): Promise<EngineConnection> {
  // One connection, so the engine's advisory lock and its migrations share a session.
  const pool = reportCharAsText(new pg.Pool({ connectionString: url, max: 1 }));
  const shadowPools: pg.Pool[] = [];
  const createdShadows: string[] = [];

  async function connectToShadowDb(): Promise<SqlDriverAdapter> {
    let shadowUrl = shadowDatabaseUrl;
    if (!shadowUrl) {
      // adapter-pg 7.10.1 would reuse the main database as its "shadow"; make a real, throwaway one.
      const name = `prisma_shadow_${randomBytes(6).toString("hex")}`;
      await runOnServer(url, `CREATE DATABASE "${name}"`);
      createdShadows.push(name);
      const parsed = new URL(url);
      parsed.pathname = `/${name}`;
      shadowUrl = parsed.toString();
    }
    const shadowPool = reportCharAsText(new pg.Pool({ connectionString: shadowUrl, max: 1 }));
    shadowPools.push(shadowPool);
    const adapter = runScriptsWhole(await new PrismaPg(shadowPool).connect(), (script) =>
      shadowPool.query(script),
    );
    return onDispose(adapter, () => endPool(shadowPool));
  }

  return {
    factory: {
      provider: "postgres",
      adapterName: "@prisma/adapter-pg",
      connect: async () =>
        runScriptsWhole(await new PrismaPg(pool).connect(), (script) => pool.query(script)),
      connectToShadowDb,
    },
    async close() {
      await Promise.all(shadowPools.map(endPool));
      for (const name of createdShadows)
        await runOnServer(url, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await endPool(pool);
    },
  };
}

/** Runs one statement on its own connection (CREATE/DROP DATABASE cannot share the engine's). */
export async function runOnServer(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** adapter-pg refuses `"char"` columns; their values arrive as text anyway. */
function reportCharAsText(pool: pg.Pool): pg.Pool {
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<pg.QueryResult>;
  (pool as { query: unknown }).query = async (...args: unknown[]) => {
    const result = await query(...args);
    for (const field of result.fields ?? []) {
      if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
    }
    return result;
  };
  return pool;
}

const endedPools = new WeakSet<pg.Pool>();
async function endPool(pool: pg.Pool): Promise<void> {
  if (endedPools.has(pool)) return;
  endedPools.add(pool);
  await pool.end();
}

function onDispose(adapter: SqlDriverAdapter, cleanup: () => Promise<void>): SqlDriverAdapter {
  const dispose = adapter.dispose.bind(adapter);
  adapter.dispose = async () => {
    await dispose();
    await cleanup();
  };
  return adapter;
}
