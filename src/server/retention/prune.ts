import { setTimeout as sleep } from "node:timers/promises";
import { Prisma, type PrismaClient } from "@/generated/prisma/client";
import { retentionCutoff } from "./window";

/** How often expired data is looked for (the embedded runner's timer; Inngest's cron says the same). */
export const PRUNE_INTERVAL_MS = 10 * 60 * 1000;
/**
 * Rows deleted per statement, and the pause between statements: about 6,000 rows a second, well above
 * what a busy project adds, while ingest keeps a p99 of 27 ms at 200 events/s (`npm run
 * bench:retention`; 2,000 rows 50 ms apart gave 249 ms, most likely from the write-ahead log the
 * deletes fill, which every ingest commit waits for).
 */
export const PRUNE_BATCH_SIZE = 1_000;
export const PRUNE_PAUSE_MS = 150;
/**
 * Batches per table in one call (500,000 rows at the default batch size): a larger backlog, say on
 * the first run over a database that kept everything until now, is taken up by the next runs.
 */
export const PRUNE_MAX_BATCHES_PER_TABLE = 500;

/**
 * The tables pruned, in the order they are pruned: children before parents, so that deleting a
 * delivery or an event never cascades to rows of its own (each statement stays bounded).
 */
export const PRUNED_TABLES = [
  "deliveryAttempts",
  "deliveries",
  "events",
  "inspectorRequests",
  "attemptRollups",
] as const;
export type PrunedTable = (typeof PRUNED_TABLES)[number];
export type PruneCounts = Record<PrunedTable, number>;

/** A delivery is finished in these states; a pending or delivering one, its attempts and its event stay. */
const FINISHED = Prisma.sql`('succeeded', 'failed')`;

/**
 * For each table, the ids of up to `limit` expired rows of one project `p`. Where few rows are expired
 * (the usual case: a run every few minutes finds the last minutes' worth), each query walks an index
 * that starts with `projectId` and goes on with the row's time, so it reads only expired rows; where
 * most are, a sequential scan finds a batch in its first pages. There is no ORDER BY: sorting would
 * make a sequential scan read the whole table for every batch.
 *
 * Whether a row must stay for another (a delivery still pending, a recent attempt) is checked by a
 * correlated subquery on a primary key or a foreign-key index, row by row. Unlike `NOT EXISTS` or a
 * join, the planner cannot turn it into a hash join that reads the whole other table for each batch.
 */
const EXPIRED_IN_PROJECT: Record<
  PrunedTable,
  {
    table: string;
    /** What rows are found and deleted by: the primary key `id`, or `ctid` for a table keyed otherwise. */
    key?: "id" | "ctid";
    ids: (cutoff: Date, limit: number) => Prisma.Sql;
  }
> = {
  // DeliveryAttempt(projectId, createdAt): attempts of finished deliveries only.
  deliveryAttempts: {
    table: "DeliveryAttempt",
    ids: (cutoff, limit) => Prisma.sql`
      SELECT a.id FROM "DeliveryAttempt" a
      WHERE a."projectId" = p.id AND a."createdAt" < ${cutoff}::timestamp(3)
        AND (SELECT d.status FROM "Delivery" d WHERE d.id = a."deliveryId") IN ${FINISHED}
      LIMIT ${limit}`,
  },
  // Delivery(projectId, status, createdAt): finished deliveries none of whose attempts is still kept
  // (a delivery retried recently stays with its recent attempts).
  deliveries: {
    table: "Delivery",
    ids: (cutoff, limit) => Prisma.sql`
      SELECT d.id FROM "Delivery" d
      WHERE d."projectId" = p.id AND d.status IN ${FINISHED} AND d."createdAt" < ${cutoff}::timestamp(3)
        AND (SELECT 1 FROM "DeliveryAttempt" a WHERE a."deliveryId" = d.id LIMIT 1) IS NULL
      LIMIT ${limit}`,
  },
  // Event(projectId, createdAt): events none of whose deliveries is still kept (pending, delivering,
  // or created or attempted within the window, such as a recent replay's).
  events: {
    table: "Event",
    ids: (cutoff, limit) => Prisma.sql`
      SELECT e.id FROM "Event" e
      WHERE e."projectId" = p.id AND e."createdAt" < ${cutoff}::timestamp(3)
        AND (SELECT 1 FROM "Delivery" d WHERE d."eventId" = e.id LIMIT 1) IS NULL
      LIMIT ${limit}`,
  },
  // InspectorRequest(projectId, receivedAt).
  inspectorRequests: {
    table: "InspectorRequest",
    ids: (cutoff, limit) => Prisma.sql`
      SELECT r.id FROM "InspectorRequest" r
      WHERE r."projectId" = p.id AND r."receivedAt" < ${cutoff}::timestamp(3)
      LIMIT ${limit}`,
  },
  // AttemptRollup(projectId, hour): the charts' hourly counts go with the attempts they count, once
  // their whole hour is past the window. They are kept no longer than the attempts themselves (the
  // charts show 7 days at most, and one window for everything about deliveries is simpler to state).
  // Keyed by (listenerId, hour), so found and deleted by their row address, within the statement.
  attemptRollups: {
    table: "AttemptRollup",
    key: "ctid",
    ids: (cutoff, limit) => Prisma.sql`
      SELECT r.ctid AS id FROM "AttemptRollup" r
      WHERE r."projectId" = p.id AND r.hour <= ${cutoff}::timestamp(3) - interval '1 hour'
      LIMIT ${limit}`,
  },
};

export interface BatchInput {
  cutoff: Date;
  batchSize: number;
}

/**
 * The statement that deletes up to `batchSize` expired rows of one table. Projects are visited one
 * after another (a lateral join: the project id feeds each table's per-project index) until the batch
 * is full. Exported so that its plan can be checked (prune-plan.test.ts, the benchmark).
 */
export function pruneStatement(table: PrunedTable, { cutoff, batchSize }: BatchInput): Prisma.Sql {
  assertPositiveInteger("batchSize", batchSize);
  const { table: name, key = "id", ids } = EXPIRED_IN_PROJECT[table];
  // ARRAY(…) makes the ids a value computed once, so the rows are then found by primary key (an
  // `IN (…)` may be planned as a join that reads the whole table).
  return Prisma.sql`
    DELETE FROM ${Prisma.raw(`"${name}"`)} WHERE ${Prisma.raw(key)} = ANY(ARRAY(
      SELECT expired.id FROM "Project" p CROSS JOIN LATERAL (${ids(cutoff, batchSize)}) expired
      LIMIT ${batchSize}
    ))`;
}

/**
 * A batch's transaction may stay open this long (Prisma's default, 5 s, was exceeded on a machine
 * under heavy load; a batch normally takes well under a second).
 */
const BATCH_TRANSACTION_TIMEOUT_MS = 60_000;

/** Deletes up to `batchSize` expired rows of one table, in one statement; returns how many. */
export async function pruneBatch(db: PrismaClient, table: PrunedTable, input: BatchInput): Promise<number> {
  const statement = pruneStatement(table, input);
  return db.$transaction(
    async (tx) => {
      // The planner's cost estimates for these statements can be far too high (it cannot tell how
      // many rows pass the per-row checks), and above `jit_above_cost` PostgreSQL compiles the
      // statement first: measured at 1.8 s of JIT for a delete that took 0.15 s.
      await tx.$executeRaw`SET LOCAL jit = off`;
      return tx.$executeRaw(statement);
    },
    { timeout: BATCH_TRANSACTION_TIMEOUT_MS },
  );
}

export interface PruneOptions {
  now: Date;
  /** `DURIAN_RETENTION_DAYS`. */
  retentionDays: number;
  batchSize?: number;
  /** Pause between batches, in milliseconds. */
  pauseMs?: number;
  maxBatchesPerTable?: number;
  /** Stops between batches (the server is shutting down); what was deleted so far is reported. */
  signal?: AbortSignal;
}

export interface PruneResult {
  cutoff: Date;
  deleted: PruneCounts;
  /** False when a table reached `maxBatchesPerTable` or the signal stopped the work: more may be left. */
  complete: boolean;
}

export function noneDeleted(): PruneCounts {
  return { deliveryAttempts: 0, deliveries: 0, events: 0, inspectorRequests: 0, attemptRollups: 0 };
}

/**
 * Deletes everything older than the retention window, in bounded batches with a pause between them:
 * attempts (of finished deliveries), then finished deliveries left without attempts, then events left
 * without deliveries, then inspector requests, then the charts' hourly rollups. A delivery still pending or delivering is never
 * deleted, and so neither is its event nor any of its attempts.
 */
export async function pruneExpiredData(db: PrismaClient, options: PruneOptions): Promise<PruneResult> {
  const {
    now,
    retentionDays,
    batchSize = PRUNE_BATCH_SIZE,
    pauseMs = PRUNE_PAUSE_MS,
    maxBatchesPerTable = PRUNE_MAX_BATCHES_PER_TABLE,
    signal,
  } = options;
  const cutoff = retentionCutoff(now, retentionDays);
  assertPositiveInteger("batchSize", batchSize);
  assertPositiveInteger("maxBatchesPerTable", maxBatchesPerTable);
  const deleted = noneDeleted();
  let complete = true;
  let batchesRun = 0;
  for (const table of PRUNED_TABLES) {
    let finished = false;
    for (let batch = 0; batch < maxBatchesPerTable && !finished; batch++) {
      if (signal?.aborted) return { cutoff, deleted, complete: false };
      if (batchesRun++ > 0 && pauseMs > 0) await sleep(pauseMs);
      const count = await pruneBatch(db, table, { cutoff, batchSize });
      deleted[table] += count;
      finished = count < batchSize;
    }
    if (!finished) complete = false;
  }
  return { cutoff, deleted, complete };
}

function assertPositiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name}: expected a positive integer, got ${value}`);
  }
}
