import type { ChartRange } from "@/contracts/charts";
import {
  addHistograms,
  estimateLatencyQuantile,
  LATENCY_BUCKET_COUNT,
} from "@/core/delivery/latency-histogram";
import { Prisma, type PrismaClient } from "@/generated/prisma/client";
import { getDb } from "@/server/db/client";

// The dashboard's charts, read from the hourly attempt rollups (never from the attempts): each query
// reads at most one row per listener and hour of the window, through an index that starts with the
// scope (project, hook or listener) and goes on with the hour.

const HOUR_MS = 60 * 60 * 1000;

/** The rows' latency histograms added element by element, as float8[] (PostgreSQL arrays start at 1). */
const SUMMED_HISTOGRAM = Prisma.sql`ARRAY[${Prisma.join(
  Array.from(
    { length: LATENCY_BUCKET_COUNT },
    (_, bucket) => Prisma.sql`COALESCE(sum(r."latencyBuckets"[${Prisma.raw(String(bucket + 1))}]), 0)`,
  ),
)}]::float8[]`;

/**
 * Each range as slots of a fixed length ending with the current hour: 24 hours, or 7 calendar days
 * in UTC (today so far and the 6 before it; the rollups' hours are UTC hours).
 */
const RANGES: Record<ChartRange, { slots: number; slotMs: number }> = {
  "24h": { slots: 24, slotMs: HOUR_MS },
  "7d": { slots: 7, slotMs: 24 * HOUR_MS },
};

export interface ChartSlot {
  /** The slot's first hour (UTC). */
  start: Date;
  /** Deliveries that succeeded (an attempt succeeded). */
  succeeded: number;
  /** Attempts that failed with another one scheduled. */
  retried: number;
  /** Deliveries that failed for good (their last attempt failed). */
  failed: number;
}

export interface ChartTotals {
  succeeded: number;
  retried: number;
  failed: number;
  attempts: number;
  /** Succeeded out of the deliveries that finished in the window; null when none did. */
  successRate: number | null;
  /** Attempt latency, estimated from the histogram; null without attempts. */
  p50Ms: number | null;
  p95Ms: number | null;
}

export interface DeliveryChart {
  range: ChartRange;
  slotMs: number;
  slots: ChartSlot[];
  totals: ChartTotals;
}

export type ChartScope = { hookId?: string; listenerId?: string };

/** The first hour after the current one: every range ends there. */
function rangeEnd(now: Date): Date {
  return new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS + HOUR_MS);
}

const DAY_MS = 24 * HOUR_MS;

function rangeStart(range: ChartRange, end: Date): Date {
  const { slots, slotMs } = RANGES[range];
  if (range === "24h") return new Date(end.getTime() - slots * slotMs);
  const today = Math.floor((end.getTime() - 1) / DAY_MS) * DAY_MS;
  return new Date(today - (slots - 1) * DAY_MS);
}

function scopeCondition(projectId: string, { hookId, listenerId }: ChartScope): Prisma.Sql {
  if (listenerId) return Prisma.sql`r."listenerId" = ${listenerId} AND r."projectId" = ${projectId}`;
  if (hookId) return Prisma.sql`r."hookId" = ${hookId} AND r."projectId" = ${projectId}`;
  return Prisma.sql`r."projectId" = ${projectId}`;
}

/**
 * Deliveries by outcome per slot of `range` (hours for 24 h, days for 7 days), with the window's
 * totals, success rate and attempt latency p50/p95, for a project, one of its hooks or one listener.
 */
export async function deliveryChart(
  projectId: string,
  { range, ...scope }: ChartScope & { range: ChartRange },
  db: PrismaClient = getDb(),
  now: Date = new Date(),
): Promise<DeliveryChart> {
  const { slots: slotCount, slotMs } = RANGES[range];
  const end = rangeEnd(now);
  const start = rangeStart(range, end);
  // One pass, grouped by slot: the counts, and the latency histograms added bucket by bucket (a sum
  // per array element: much cheaper than unnesting every row's histogram).
  const result = await db.$queryRaw<{ slot: number; counts: number[]; histogram: number[] }[]>`
    SELECT floor(extract(epoch FROM r.hour - ${start.toISOString()}::timestamp(3)) * 1000 / ${slotMs})::int AS slot,
      ARRAY[sum(r.succeeded), sum(r.retried), sum(r.failed)]::float8[] AS counts,
      ${SUMMED_HISTOGRAM} AS histogram
    FROM "AttemptRollup" r
    WHERE ${scopeCondition(projectId, scope)}
      AND r.hour >= ${start.toISOString()}::timestamp(3) AND r.hour < ${end.toISOString()}::timestamp(3)
    GROUP BY slot`;

  const slots: ChartSlot[] = Array.from({ length: slotCount }, (_, index) => ({
    start: new Date(start.getTime() + index * slotMs),
    succeeded: 0,
    retried: 0,
    failed: 0,
  }));
  let histogram: number[] = Array<number>(LATENCY_BUCKET_COUNT).fill(0);
  for (const row of result) {
    const slot = slots[row.slot];
    if (!slot) continue;
    [slot.succeeded, slot.retried, slot.failed] = row.counts as [number, number, number];
    histogram = addHistograms(histogram, row.histogram);
  }
  const sum = (pick: (slot: ChartSlot) => number) => slots.reduce((total, slot) => total + pick(slot), 0);
  const succeeded = sum((slot) => slot.succeeded);
  const retried = sum((slot) => slot.retried);
  const failed = sum((slot) => slot.failed);
  return {
    range,
    slotMs,
    slots,
    totals: {
      succeeded,
      retried,
      failed,
      attempts: succeeded + retried + failed,
      successRate: succeeded + failed === 0 ? null : succeeded / (succeeded + failed),
      p50Ms: estimateLatencyQuantile(histogram, 0.5),
      p95Ms: estimateLatencyQuantile(histogram, 0.95),
    },
  };
}

export interface HookSparkline {
  hookId: string;
  /** Finished deliveries per hour of the last 24 hours, oldest first. */
  succeeded: number[];
  failed: number[];
}

/** Each hook's finished deliveries per hour over the last 24 hours, for the hooks list. */
export async function hookSparklines(
  projectId: string,
  hookIds: readonly string[],
  db: PrismaClient = getDb(),
  now: Date = new Date(),
): Promise<HookSparkline[]> {
  if (hookIds.length === 0) return [];
  const { slots: hours } = RANGES["24h"];
  const end = rangeEnd(now);
  const start = new Date(end.getTime() - hours * HOUR_MS);
  const rows = await db.$queryRaw<{ hookId: string; slot: number; succeeded: number; failed: number }[]>`
    SELECT r."hookId", floor(extract(epoch FROM r.hour - ${start.toISOString()}::timestamp(3)) / 3600)::int AS slot,
      sum(r.succeeded)::int AS succeeded, sum(r.failed)::int AS failed
    FROM "AttemptRollup" r
    WHERE r."hookId" = ANY(${hookIds as string[]}::text[]) AND r."projectId" = ${projectId}
      AND r.hour >= ${start.toISOString()}::timestamp(3) AND r.hour < ${end.toISOString()}::timestamp(3)
    GROUP BY r."hookId", slot`;
  const lines = new Map(
    hookIds.map((hookId) => [
      hookId,
      { hookId, succeeded: Array<number>(hours).fill(0), failed: Array<number>(hours).fill(0) },
    ]),
  );
  for (const row of rows) {
    const line = lines.get(row.hookId);
    if (!line || row.slot < 0 || row.slot >= hours) continue;
    line.succeeded[row.slot] = row.succeeded;
    line.failed[row.slot] = row.failed;
  }
  return [...lines.values()];
}

/**
 * Due deliveries looked at per backlog question at most: the oldest ones of the project, through the
 * partial index of its pending deliveries by due time. A larger backlog is reported as truncated, with
 * counts that are lower bounds.
 */
export const BACKLOG_SCAN_LIMIT = 10_000;

export interface ListenerBacklog {
  listenerId: string;
  /** Deliveries due now (pending, past their time) among those looked at. */
  due: number;
  /** When the oldest of them fell due. */
  oldestDueAt: Date;
}

export interface ProjectBacklog {
  /** More than BACKLOG_SCAN_LIMIT deliveries are due: the counts cover only the oldest. */
  truncated: boolean;
  listeners: ListenerBacklog[];
}

/** The project's due deliveries per listener (how many, and since when the oldest waits). */
export async function projectBacklog(
  projectId: string,
  db: PrismaClient = getDb(),
  now: Date = new Date(),
): Promise<ProjectBacklog> {
  const rows = await db.$queryRaw<{ listenerId: string; due: number; oldestDueAt: Date; scanned: number }[]>`
    WITH due AS (
      SELECT d."listenerId", d."nextAttemptAt" FROM "Delivery" d
      WHERE d."projectId" = ${projectId} AND d.status = 'pending' AND NOT d.relay
        AND d."nextAttemptAt" <= ${now.toISOString()}::timestamp(3)
      ORDER BY d."nextAttemptAt"
      LIMIT ${BACKLOG_SCAN_LIMIT + 1}
    )
    SELECT "listenerId", count(*)::int AS due, min("nextAttemptAt") AS "oldestDueAt",
      (SELECT count(*) FROM due)::int AS scanned
    FROM due GROUP BY "listenerId" ORDER BY min("nextAttemptAt")`;
  return {
    truncated: (rows[0]?.scanned ?? 0) > BACKLOG_SCAN_LIMIT,
    listeners: rows.map(({ listenerId, due, oldestDueAt }) => ({ listenerId, due, oldestDueAt })),
  };
}
