import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { Prisma, PrismaClient } from "@/generated/prisma/client";
import { assertPostgresUrl, configuredDatabase } from "./config";
import { acquireDataDirLock, type DataDirLock } from "./data-dir-lock";
import { DatabaseUnavailableError } from "./unavailable";

/** A PostgreSQL URL (postgres:// or postgresql://) or an open PGlite instance. */
export type DbTarget = string | PGlite;

/** The planner setting of noBitmapScanQueryFor. */
const NO_BITMAP_SCANS = "enable_bitmapscan = off";

/** Connections a client opens to PostgreSQL at most, unless told otherwise (node-postgres's default). */
const DEFAULT_POOL_SIZE = 10;

/**
 * A Prisma client for an explicit database; the caller disconnects it (and closes a PGlite).
 * `poolSize`: connections it opens to PostgreSQL at most.
 */
export function createPrismaClient(
  target: DbTarget,
  { poolSize = DEFAULT_POOL_SIZE }: { poolSize?: number } = {},
): PrismaClient {
  if (target instanceof PGlite) {
    const client = new PrismaClient({ adapter: new PrismaPGlite(target) });
    const plain: PlainQuery = async (query) => (await target.query(query.text, query.values)).rows as never;
    const withoutBitmapScans: PlainQuery = (query) =>
      target.transaction(async (transaction) => {
        await transaction.exec(`SET LOCAL ${NO_BITMAP_SCANS}`);
        return (await transaction.query(query.text, query.values)).rows as never;
      });
    plainQueries.set(client, { plain, prepared: plain, withoutBitmapScans });
    return client;
  }
  assertPostgresUrl(target);
  // The client's own pool, shared with plainQueryFor; Prisma ends it on $disconnect.
  const pool = new pg.Pool({ connectionString: target, max: poolSize });
  const client = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  plainQueries.set(client, {
    plain: async (query) => (await pool.query(query.text, query.values)).rows,
    prepared: preparedStatementsOn(pool),
    withoutBitmapScans: withoutBitmapScansOn(pool),
  });
  return client;
}

/**
 * Each query in a transaction of its own that turns bitmap scans off (see noBitmapScanQueryFor).
 * Not set once on connections of their own, although that costs a claim of 100 about 1 ms less:
 * behind PgBouncer in transaction mode, a connection's setting would reach other clients' statements.
 */
function withoutBitmapScansOn(pool: pg.Pool): PlainQuery {
  return async (query) => {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query(`BEGIN; SET LOCAL ${NO_BITMAP_SCANS}`);
      const { rows } = await client.query(query.text, query.values);
      await client.query("COMMIT");
      return rows;
    } catch (error) {
      await client.query("ROLLBACK").catch((rollbackFailed: Error) => (broken = rollbackFailed));
      throw error;
    } finally {
      // A connection that could not even roll back is closed rather than handed to the next caller.
      client.release(broken);
    }
  };
}

/**
 * Distinct statements prepared by name at most: prepared statements are written with every value in
 * a parameter, so their texts are a handful; past this many a caller must be building text from data,
 * and the rest run unprepared rather than filling each connection with prepared statements.
 */
export const MAX_PREPARED_STATEMENTS = 100;

/** Queries run as statements named by their text, so each connection parses and plans each once. */
function preparedStatementsOn(pool: pg.Pool): PlainQuery {
  const names = new Map<string, string>();
  let warned = false;
  const nameOf = (text: string): string | undefined => {
    const known = names.get(text);
    if (known) return known;
    if (names.size >= MAX_PREPARED_STATEMENTS) {
      if (!warned) {
        warned = true;
        console.warn(
          `durian: over ${MAX_PREPARED_STATEMENTS} distinct prepared statements; the rest run unprepared`,
        );
      }
      return undefined;
    }
    const name = `durian_${createHash("sha1").update(text).digest("hex").slice(0, 20)}`;
    names.set(text, name);
    return name;
  };
  return async (query) =>
    (await pool.query({ name: nameOf(query.text), text: query.text, values: query.values })).rows;
}

/** Runs SQL on a client's own connections, returning rows as the driver parses them. */
export type PlainQuery = <Row>(query: Prisma.Sql) => Promise<Row[]>;

// On globalThis: Next bundles this module into several chunks, and the client getDb() opened in one
// must find its plain queries from the others (else the hot path silently falls back to Prisma).
const processPlainQueries = globalThis as typeof globalThis & {
  __durianPlainQueries?: WeakMap<
    PrismaClient,
    { plain: PlainQuery; prepared: PlainQuery; withoutBitmapScans: PlainQuery }
  >;
};
const plainQueries = (processPlainQueries.__durianPlainQueries ??= new WeakMap());

/**
 * Plain SQL, bypassing Prisma's per-query work (about 0.7 ms of CPU a query here), for the few hot
 * paths that show it: matching on event ingest, claiming and recording deliveries. Rows come straight from the driver (jsonb parsed,
 * timestamps without a time zone read as local time), so select only what such rows can carry safely.
 */
export function plainQueryFor(db: PrismaClient | Prisma.TransactionClient): PlainQuery {
  return plainQueries.get(db as PrismaClient)?.plain ?? viaPrisma(db);
}

/**
 * `plainQueryFor` as prepared statements on PostgreSQL: each connection parses and plans the statement
 * once and then reuses a generic plan, which PostgreSQL makes again when the tables' statistics
 * change. Planning was as much as executing for accepting and fanning out an event. Only for
 * statements whose text never varies with the data and whose every plan is a lookup by key (a generic
 * plan made while a table is small may scan it until its statistics are refreshed), never for the
 * delivery claims, whose best plan depends on the backlog, nor for recording attempts (prepared, with
 * the generic plan made while bench:deliver's runner was idle, a 5,000-delivery fan-out went 35 %
 * slower). (Behind PgBouncer in transaction mode this needs its `max_prepared_statements`, 1.21 and
 * later.)
 */
export function preparedQueryFor(db: PrismaClient | Prisma.TransactionClient): PlainQuery {
  return plainQueries.get(db as PrismaClient)?.prepared ?? viaPrisma(db);
}

/**
 * `plainQueryFor` for a statement whose reads must follow an index's order whatever the table's
 * statistics say: it is planned with bitmap scans off, in a transaction of its own. The delivery
 * claims read the oldest due deliveries in due order from a partial index; on statistics that predate
 * a backlog (a run of small fan-outs, or a stopped runner, before autovacuum analyses the table) the
 * planner expected a few due rows and read every one of them by a bitmap scan, then sorted them: a
 * claim of 100 spent 77 ms reading a backlog of 240,000, and claiming cost 300–900 µs a delivery
 * instead of about 90, growing with the backlog (npm run bench:backlog).
 */
export function noBitmapScanQueryFor(db: PrismaClient): PlainQuery {
  const query = plainQueries.get(db)?.withoutBitmapScans;
  // Every client comes from createPrismaClient; running the statement some other way would drop the setting.
  if (!query) throw new Error("noBitmapScanQueryFor: the client was not made by createPrismaClient");
  return query;
}

// A transaction's statements must run on its own connection, so they go through Prisma.
function viaPrisma(db: PrismaClient | Prisma.TransactionClient): PlainQuery {
  return <Row>(query: Prisma.Sql) => db.$queryRaw<Row[]>(query);
}

interface ProcessDb {
  db: PrismaClient;
  /** Set for PostgreSQL: the database the embedded runner's own client (getBackgroundDb) opens. */
  postgresUrl?: string;
  background?: PrismaClient;
  /** Set when the process owns an embedded database it must close. */
  pglite?: PGlite;
  /** This process's claim on the embedded database's directory, given up by closeDb(). */
  dataDirLock?: DataDirLock;
  /** Set by setDbForTesting: someone else owns and closes the client. */
  external?: boolean;
}

// Kept on globalThis so Next's dev-mode hot reload reuses the open database instead of opening the
// PGlite directory a second time (two handles on one directory lose writes; data-dir-lock.ts keeps
// other processes out).
const holder = globalThis as typeof globalThis & {
  __durianDb?: ProcessDb;
  __durianDbClosedForGood?: boolean;
};

/**
 * The process-wide Prisma client, opened on first use (never at import time, so `next build` does not
 * open the database). DATABASE_URL selects PostgreSQL; otherwise the embedded PGlite directory under
 * DURIAN_DATA_DIR, which only one process may hold at a time: opening it takes the directory's lock
 * (or the one npm start handed over) and throws DataDirLockedError while another process holds it.
 * Migrations must already be applied.
 */
export function getDb(): PrismaClient {
  if (holder.__durianDbClosedForGood) throw new DatabaseUnavailableError("The server is shutting down");
  holder.__durianDb ??= openConfiguredDb();
  return holder.__durianDb.db;
}

/**
 * Connections of the embedded runner's own pool: its fan-outs (16 at once), a claim, a batch of
 * records, and its sweeps.
 */
export const BACKGROUND_POOL_SIZE = 20;

/**
 * The client for the embedded runner's work: on PostgreSQL one with a pool of its own, so that
 * fan-outs, claims and records never hold the connections requests wait for, nor wait for theirs
 * (sharing getDb()'s ten, bench:ingest's runner had matched 83–98 % of the accepted events by the
 * end; with its own, all of them). The embedded database has one connection, shared: getDb() itself.
 */
export function getBackgroundDb(): PrismaClient {
  const db = getDb();
  const open = holder.__durianDb!;
  if (!open.postgresUrl) return db;
  open.background ??= createPrismaClient(open.postgresUrl, { poolSize: BACKGROUND_POOL_SIZE });
  return open.background;
}

/**
 * For tests: makes getDb() return `db` (a test database's client) until called again; `undefined`
 * goes back to opening the configured database. The caller keeps ownership and disconnects `db`.
 */
export function setDbForTesting(db: PrismaClient | undefined): void {
  holder.__durianDb = db ? { db, external: true } : undefined;
  holder.__durianDbClosedForGood = undefined;
}

function openConfiguredDb(): ProcessDb {
  const config = configuredDatabase();
  if (config.kind === "postgres") return { db: createPrismaClient(config.url), postgresUrl: config.url };
  const dataDirLock = acquireDataDirLock(config.dataDir);
  try {
    mkdirSync(config.dataDir, { recursive: true });
    const pglite = new PGlite(config.dataDir);
    return { db: createPrismaClient(pglite), pglite, dataDirLock };
  } catch (error) {
    dataDirLock.release();
    throw error;
  }
}

/**
 * Disconnects the process-wide client, closes the embedded database and gives up its directory's
 * lock; getDb() opens it again, unless `final` (the server is stopping): then a late caller gets
 * DatabaseUnavailableError rather than reopening a database that nobody would close.
 */
export async function closeDb(options: { final?: boolean } = {}): Promise<void> {
  if (options.final) holder.__durianDbClosedForGood = true;
  const open = holder.__durianDb;
  if (!open) return;
  holder.__durianDb = undefined;
  if (open.external) return;
  await open.background?.$disconnect();
  await open.db.$disconnect();
  if (open.pglite && !open.pglite.closed) await open.pglite.close();
  // Only once closed: a directory whose close failed stays ours until the process ends.
  open.dataDirLock?.release();
}
