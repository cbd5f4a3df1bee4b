import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { latencyBucketOf, LATENCY_BUCKET_COUNT } from "@/core/delivery/latency-histogram";
import { readMigrations } from "@/server/db/migration-files";
import { createTestDatabase, type TestDatabase } from "@/testing/databases";
import { seedEvent, seedHook, seedListener } from "@/testing/seed";
import { type AttemptToRecord, recordAttempts } from "./lifecycle";

// The hourly rollups, kept by the statement that records attempts, agree with the attempt table
// itself after any sequence of recorded batches and single attempts: outcomes, latency sums and
// histograms per listener and hour.

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

const LISTENERS = 3;
const DELIVERIES_PER_LISTENER = 4;
/** Attempts start within these hours, so batches straddle hour boundaries. */
const BASE = Date.parse("2026-12-02T10:00:00.000Z");
const SPAN_MS = 3 * 60 * 60 * 1000;

type Transition = AttemptToRecord["transition"];
const attemptArbitrary = fc.record({
  delivery: fc.nat({ max: LISTENERS * DELIVERIES_PER_LISTENER - 1 }),
  transition: fc.constantFrom<Transition>("succeed", "reschedule", "fail"),
  offsetMs: fc.integer({ min: 0, max: SPAN_MS - 1 }),
  durationMs: fc.oneof(
    fc.integer({ min: 0, max: 40_000 }),
    fc.constantFrom(0, 4, 5, 9, 10, 999, 1_000, 29_999, 30_000),
  ),
});
/** A step records a batch (one statement) or a single attempt in its own transaction. */
const stepArbitrary = fc.record({
  single: fc.boolean(),
  attempts: fc.array(attemptArbitrary, { minLength: 1, maxLength: 8 }),
});

interface RollupRow {
  listenerId: string;
  hour: Date;
  succeeded: number;
  retried: number;
  failed: number;
  latencyMsSum: number;
  latencyBuckets: number[];
}

/** The rollups as the attempt table says they must be, counted here in TypeScript. */
async function countedFromAttempts(hookId: string): Promise<RollupRow[]> {
  const attempts = await database.db.deliveryAttempt.findMany({
    where: { delivery: { hookId } },
    select: {
      startedAt: true,
      durationMs: true,
      errorClass: true,
      nextAttemptAt: true,
      delivery: { select: { listenerId: true } },
    },
  });
  const rows = new Map<string, RollupRow>();
  for (const attempt of attempts) {
    const hour = new Date(Math.floor(attempt.startedAt.getTime() / 3_600_000) * 3_600_000);
    const key = `${attempt.delivery.listenerId} ${hour.toISOString()}`;
    const row = rows.get(key) ?? {
      listenerId: attempt.delivery.listenerId,
      hour,
      succeeded: 0,
      retried: 0,
      failed: 0,
      latencyMsSum: 0,
      latencyBuckets: Array<number>(LATENCY_BUCKET_COUNT).fill(0),
    };
    if (attempt.errorClass === null) row.succeeded++;
    else if (attempt.nextAttemptAt !== null) row.retried++;
    else row.failed++;
    row.latencyMsSum += attempt.durationMs;
    row.latencyBuckets[latencyBucketOf(attempt.durationMs)]!++;
    rows.set(key, row);
  }
  return sortRows([...rows.values()]);
}

async function rollups(hookId?: string): Promise<RollupRow[]> {
  const rows = await database.db.attemptRollup.findMany({ where: hookId ? { hookId } : {} });
  return sortRows(
    rows.map(({ listenerId, hour, succeeded, retried, failed, latencyMsSum, latencyBuckets }) => ({
      listenerId,
      hour,
      succeeded,
      retried,
      failed,
      latencyMsSum: Number(latencyMsSum),
      latencyBuckets,
    })),
  );
}

function sortRows(rows: RollupRow[]): RollupRow[] {
  return rows.sort((a, b) => a.listenerId.localeCompare(b.listenerId) || a.hour.getTime() - b.hour.getTime());
}

describe("attempt rollups", () => {
  it("agree with the attempt table after any sequence of recorded attempts", async () => {
    const db = database.db;
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(stepArbitrary, { minLength: 1, maxLength: 10 }), async (steps) => {
        // A hook of its own per run, so each run compares only what it recorded.
        const hook = await seedHook(db, { name: `rollups.run_${run++}` });
        const listenerIds: string[] = [];
        for (let index = 0; index < LISTENERS; index++)
          listenerIds.push(
            (await seedListener(db, hook, { url: `https://example.com/${index}` })).listenerId,
          );
        const deliveryListeners = listenerIds.flatMap((id) =>
          Array<string>(DELIVERIES_PER_LISTENER).fill(id),
        );
        const { deliveryIds } = await seedEvent(db, hook, deliveryListeners);
        const attemptsMade = new Map<string, number>();

        for (const step of steps) {
          const records = step.attempts.map(({ delivery, transition, offsetMs, durationMs }) => {
            const deliveryId = deliveryIds[delivery]!;
            const number = (attemptsMade.get(deliveryId) ?? 0) + 1;
            attemptsMade.set(deliveryId, number);
            const startedAt = new Date(BASE + offsetMs);
            return attemptRecord({
              deliveryId,
              projectId: hook.projectId,
              listenerId: deliveryListeners[delivery]!,
              hookId: hook.hookId,
              number,
              transition,
              startedAt,
              durationMs,
            });
          });
          if (step.single) {
            for (const record of records) await db.$transaction((tx) => recordAttempts(tx, [record]));
          } else {
            await recordAttempts(db, records);
          }
        }

        expect(await rollups(hook.hookId)).toEqual(await countedFromAttempts(hook.hookId));
      }),
      { numRuns: 15, seed: 20261202 },
    );

    // The migration that created the rollups filled them from the attempts already recorded; its
    // query, run over the attempts above, finds the same rows the recording statement kept.
    expect(await backfilledFromAttempts()).toEqual(await rollups());
  });
});

/** The rows the migration's backfill query computes from the attempt table, as they are now. */
async function backfilledFromAttempts(): Promise<RollupRow[]> {
  const migration = readMigrations().find((entry) => entry.name.endsWith("_attempt_rollups"));
  if (!migration) throw new Error("no attempt_rollups migration");
  const sql = migration.sql;
  const select = sql.slice(sql.indexOf("SELECT", sql.indexOf("-- Backfill"))).replace(/;\s*$/, "");
  const rows = await database.db.$queryRawUnsafe<
    {
      listenerId: string;
      hour: Date;
      succeeded: bigint;
      retried: bigint;
      failed: bigint;
      sum: bigint;
      buckets: number[];
    }[]
  >(
    `SELECT b.* FROM (${select}) AS b("listenerId", hour, "projectId", "hookId", succeeded, retried, failed, sum, buckets)`,
  );
  return sortRows(
    rows.map((row) => ({
      listenerId: row.listenerId,
      hour: row.hour,
      succeeded: Number(row.succeeded),
      retried: Number(row.retried),
      failed: Number(row.failed),
      latencyMsSum: Number(row.sum),
      latencyBuckets: row.buckets,
    })),
  );
}

function attemptRecord(input: {
  deliveryId: string;
  projectId: string;
  listenerId: string;
  hookId: string;
  number: number;
  transition: Transition;
  startedAt: Date;
  durationMs: number;
}): AttemptToRecord {
  const { deliveryId, projectId, listenerId, hookId, number, transition, startedAt, durationMs } = input;
  const failed = transition !== "succeed";
  return {
    attempt: {
      deliveryId,
      projectId,
      number,
      startedAt,
      durationMs,
      requestUrl: "https://example.com/hook",
      requestHeaders: {},
      requestBody: "{}",
      responseStatus: failed ? 500 : 200,
      errorClass: failed ? "http" : null,
      errorMessage: failed ? "HTTP 500" : null,
      nextAttemptAt: transition === "reschedule" ? new Date(startedAt.getTime() + 60_000) : null,
    },
    transition,
    listenerId,
    hookId,
    now: new Date(startedAt.getTime() + durationMs),
  };
}
