// Usage: npm run bench:retention
// Seeds 1 000 000 delivery attempts older than the retention window (500 000 finished deliveries of
// 250 000 events, 31–60 days old) plus a few old deliveries still pending, in a fresh PostgreSQL
// database; shows the plan of each prune statement; then prunes with the app's own defaults (batch
// size, pause) while events arrive at 200/s, and checks that exactly the expired rows went.
//   prune_s        wall time of pruneExpiredData, from the first batch to the last;
//   ingest_p99_ms  99th percentile of accepting an event while the prune runs, measured from the
//                  moment each event was due to be sent (so a stall counts against every event it
//                  held up). For comparison, the same figure without pruning is printed before.
//   pruned         rows deleted in all tables (attempts, deliveries, events, inspector requests).
// Ingest is in process: the events service's sendEvent (payload check, matching, one transaction
// for the event and its delivery), on its own connection pool, with no runner to tell. It leaves out
// the HTTP layer (`scripts/server.mjs`, API key check), which bench:ingest measures; the prune runs on a
// second pool of the same process, as it would in the server. Admin connection: DATABASE_URL or
// postgres://postgres@127.0.0.1:5432/postgres; the benchmark creates and drops its own database.
// BENCH_RETENTION_ATTEMPTS seeds another number of attempts (a multiple of 4), for a quick try.
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { Prisma } from "../src/generated/prisma/client";
import { createPrismaClient } from "../src/server/db/client";
import { applyMigrations } from "../src/server/db/migrate";
import { createEmptyPostgresDatabase, dropPostgresDatabase } from "../src/testing/databases";
import {
  PRUNED_TABLES,
  pruneExpiredData,
  pruneStatement,
  PRUNE_BATCH_SIZE,
  PRUNE_PAUSE_MS,
} from "../src/server/retention/prune";
import { DEFAULT_RETENTION_DAYS, retentionCutoff } from "../src/server/retention/window";
import { idleRunner } from "../src/testing/runner";
import { sendEvent } from "../src/server/services/events/send-event";

const DEFAULT_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";
const ATTEMPTS = Number(process.env.BENCH_RETENTION_ATTEMPTS || 1_000_000);
const ATTEMPTS_PER_DELIVERY = 2;
const DELIVERIES_PER_EVENT = 2;
const DELIVERIES = ATTEMPTS / ATTEMPTS_PER_DELIVERY;
const EVENTS = DELIVERIES / DELIVERIES_PER_EVENT;
/** Old events whose one delivery is still pending: they must survive the prune, attempts and all. */
const PENDING_SURVIVORS = 100;
/** Requests the project's inspector received, as old as the rest. */
const INSPECTOR_REQUESTS = 10_000;
/** The seeded data is this many days old, spread evenly; the window is DEFAULT_RETENTION_DAYS. */
const OLDEST_DAYS = 60;
const NEWEST_DAYS = DEFAULT_RETENTION_DAYS + 1;
const INGEST_PER_SECOND = 200;
const WARMUP_SECONDS = 3;
const BASELINE_SECONDS = 10;
/** The prune must end within this; the benchmark fails rather than wait longer. */
const MAX_PRUNE_SECONDS = 900;
/**
 * Enough batches for the whole seed in one call (the app's default stops at 500 a table): the largest
 * table is the attempts' or, in a small seed, the inspector's requests.
 */
const MAX_BATCHES_PER_TABLE = Math.ceil(Math.max(ATTEMPTS, INSPECTOR_REQUESTS) / PRUNE_BATCH_SIZE) + 1;
const TARGET_P99_MS = 50;
const HOOK_NAME = "order.created";
const log = (line: string) => console.log(`bench:retention: ${line}`);
const seconds = (startedMs: number) => ((performance.now() - startedMs) / 1000).toFixed(1);

/** Tables filled in bulk: their secondary indexes are built once afterwards, which is much faster. */
const BULK_TABLES = ["Event", "Delivery", "DeliveryAttempt"];

/**
 * When old event `n` was made, in SQL (the arguments are SQL expressions): events 1…EVENTS are n / EVENTS
 * of the way from OLDEST_DAYS to NEWEST_DAYS ago, and the pending survivors after them are spread over
 * the same span, so all of them are older than the cutoff whatever the seed's size (placed after the
 * last event, a small seed's survivors were mostly newer than it).
 */
function oldAge(sql: {
  n: string;
  events: string;
  survivors: string;
  oldestDays: string;
  newestDays: string;
}) {
  const { n, events, survivors, oldestDays, newestDays } = sql;
  const fraction = `(CASE WHEN ${n} > ${events} THEN (${n} - ${events})::float8 / (${survivors}::int + 1)
                          ELSE ${n}::float8 / ${events} END)`;
  return `now() - make_interval(days => ${oldestDays}) + make_interval(secs => ${fraction} * (${oldestDays}::int - ${newestDays}::int) * 86400)`;
}

/** Everything old in SQL with generate_series; returns nothing, checks counts itself. */
async function seedOldData(client: pg.Client, projectId: string, hookId: string, listenerId: string) {
  const step = async (label: string, sql: string, values: unknown[]) => {
    const started = performance.now();
    const result = await client.query(sql, values);
    log(`seeded ${label}: ${result.rowCount ?? 0} rows in ${seconds(started)} s`);
  };
  const { rows: indexes } = await client.query<{ indexname: string; indexdef: string }>(
    `SELECT i.indexname, i.indexdef FROM pg_indexes i
     WHERE i.schemaname = 'public' AND i.tablename = ANY($1)
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.contype = 'p')`,
    [BULK_TABLES],
  );
  for (const index of indexes) await client.query(`DROP INDEX "${index.indexname}"`);
  await client.query("SET maintenance_work_mem = '256MB'");
  const age = oldAge({ n: "n", events: "$2", survivors: "$7", oldestDays: "$3", newestDays: "$4" });
  await step(
    "events",
    `INSERT INTO "Event" (id, "projectId", "hookId", "hookName", payload, "createdAt")
     SELECT 'event-' || lpad(n::text, 7, '0'), $1, $5, $6,
            jsonb_build_object('customer', 'cust-' || n, 'total', n % 1000), ${age}
     FROM generate_series(1, $2::int + $7::int) n`,
    [projectId, EVENTS, OLDEST_DAYS, NEWEST_DAYS, hookId, HOOK_NAME, PENDING_SURVIVORS],
  );
  // Delivery d belongs to event ceil(d / DELIVERIES_PER_EVENT); those past DELIVERIES are the pending
  // survivors, one per survivor event.
  await step(
    "deliveries",
    `INSERT INTO "Delivery" (id, "projectId", "eventId", "listenerId", "hookId", "fanOut", status, "attemptCount",
                             "nextAttemptAt", "lastAttemptAt", "lastStatusCode", "createdAt", "updatedAt")
     SELECT 'delivery-' || lpad(d::text, 7, '0'), $1, 'event-' || lpad(e.n::text, 7, '0'), $5, $6,
            -- An event's deliveries to the one listener: its first fan-out and replays.
            CASE WHEN d > $2 THEN 0 ELSE (d - 1) % $4 END,
            (CASE WHEN d > $2 THEN 'pending' WHEN d % 10 = 0 THEN 'failed' ELSE 'succeeded' END)::"DeliveryStatus",
            $7, CASE WHEN d > $2 THEN now() + interval '1 hour' END, e.at, 200, e.at, e.at
     FROM generate_series(1, $2::int + $8::int) d
     CROSS JOIN LATERAL (SELECT CASE WHEN d > $2 THEN $3::int + d - $2::int ELSE (d + $4 - 1) / $4 END AS n) k
     CROSS JOIN LATERAL (SELECT k.n AS n,
       ${oldAge({ n: "k.n", events: "$3", survivors: "$8", oldestDays: "$9", newestDays: "$10" })} AS at) e`,
    [
      projectId,
      DELIVERIES,
      EVENTS,
      DELIVERIES_PER_EVENT,
      listenerId,
      hookId,
      ATTEMPTS_PER_DELIVERY,
      PENDING_SURVIVORS,
      OLDEST_DAYS,
      NEWEST_DAYS,
    ],
  );
  // Attempt a belongs to delivery ceil(a / ATTEMPTS_PER_DELIVERY), made when its delivery was created.
  await step(
    "attempts",
    `INSERT INTO "DeliveryAttempt" (id, "deliveryId", "projectId", number, "startedAt", "durationMs", "requestUrl",
                                    "requestHeaders", "requestBody", "responseStatus", "responseHeaders", "responseBody",
                                    "errorClass", "errorMessage", "createdAt")
     SELECT 'attempt-' || lpad(a::text, 8, '0'), d.id, $1, (a - 1) % $3 + 1, d."createdAt", 20 + a % 200,
            'https://receiver.example.test/hooks', '{"content-type": "application/json", "webhook-id": "bench"}'::jsonb,
            '{"customer":"cust-1","total":120}', CASE WHEN (a - 1) % $3 + 1 = $3 THEN 200 ELSE 500 END,
            '{"content-type": "text/plain"}'::jsonb, repeat('x', 200),
            CASE WHEN (a - 1) % $3 + 1 = $3 THEN NULL ELSE 'http' END,
            CASE WHEN (a - 1) % $3 + 1 = $3 THEN NULL ELSE 'HTTP 500 Internal Server Error' END, d."createdAt"
     FROM generate_series(1, $2::int + $4::int * $3::int) a
     JOIN "Delivery" d ON d.id = 'delivery-' || lpad(((a + $3 - 1) / $3)::text, 7, '0')`,
    [projectId, ATTEMPTS, ATTEMPTS_PER_DELIVERY, PENDING_SURVIVORS],
  );
  await step(
    "inspector requests",
    `INSERT INTO "InspectorRequest" (id, "projectId", method, headers, body, "bodySize", "receivedAt")
     SELECT 'request-' || n, $1, 'POST', '{"content-type": "application/json"}'::jsonb, '{"customer":"cust-1"}', 20,
            now() - make_interval(days => $3) + make_interval(secs => (n::float8 / $2) * ($3::int - $4::int) * 86400)
     FROM generate_series(1, $2) n`,
    [projectId, INSPECTOR_REQUESTS, OLDEST_DAYS, NEWEST_DAYS],
  );
  const started = performance.now();
  for (const index of indexes) await client.query(index.indexdef);
  log(`rebuilt ${indexes.length} indexes in ${seconds(started)} s`);
  await client.query("VACUUM ANALYZE");
}

/**
 * The plan of each prune statement on this database, where every row is expired: a scan that stops at
 * the first batch of rows found. (Where few rows are expired, as in use, the plans walk the tables'
 * time indexes: prune-plan.test.ts checks that.)
 */
async function showPlans(db: ReturnType<typeof createPrismaClient>, cutoff: Date): Promise<void> {
  for (const table of PRUNED_TABLES) {
    const rows = await db.$queryRaw<Record<string, string>[]>(
      Prisma.sql`EXPLAIN ${pruneStatement(table, { cutoff, batchSize: PRUNE_BATCH_SIZE })}`,
    );
    const scans = rows
      .map((row) => Object.values(row)[0]!)
      .filter((line) => /Scan/.test(line))
      .map((line) =>
        line
          .trim()
          .replace(/^->\s*/, "")
          .replace(/\s+\(cost.*$/, ""),
      );
    log(`plan of ${table}: ${scans.join("; ")}`);
  }
}

interface IngestRun {
  latenciesMs: number[];
  failures: number;
  sent: number;
}

/**
 * Sends events at `perSecond`, each at its own moment whether or not the earlier ones were answered
 * (an open loop), until `keepGoing()` turns false or `maxSeconds` pass; latency is counted from the
 * moment an event was due.
 */
async function ingestAtFixedRate(
  send: (index: number) => Promise<unknown>,
  perSecond: number,
  maxSeconds: number,
  keepGoing: () => boolean = () => true,
): Promise<IngestRun> {
  const run: IngestRun = { latenciesMs: [], failures: 0, sent: 0 };
  const intervalMs = 1000 / perSecond;
  const startedAt = performance.now();
  const inFlight = new Set<Promise<void>>();
  const maxEvents = Math.ceil(perSecond * maxSeconds);
  for (let index = 0; index < maxEvents && keepGoing(); index++) {
    const dueAt = startedAt + index * intervalMs;
    const wait = dueAt - performance.now();
    if (wait > 1) await sleep(wait);
    run.sent++;
    const request: Promise<void> = send(index).then(
      () => {
        run.latenciesMs.push(performance.now() - dueAt);
      },
      (error: unknown) => {
        run.failures++;
        if (run.failures <= 3) console.error("bench:retention: ingest failed:", error);
      },
    );
    const tracked = request.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  }
  await Promise.all(inFlight);
  return run;
}

function percentile(samples: number[], fraction: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!;
}

const describeRun = (run: IngestRun) =>
  `${run.sent} events, p50 ${percentile(run.latenciesMs, 0.5).toFixed(1)} ms, ` +
  `p99 ${percentile(run.latenciesMs, 0.99).toFixed(1)} ms, max ${percentile(run.latenciesMs, 1).toFixed(1)} ms, ` +
  `${run.failures} failed`;

async function main(): Promise<void> {
  if (!Number.isInteger(ATTEMPTS) || ATTEMPTS < 4 || ATTEMPTS % 4 !== 0)
    throw new Error(`BENCH_RETENTION_ATTEMPTS: expected a positive multiple of 4, got ${ATTEMPTS}`);
  const adminUrl = process.env.DATABASE_URL || DEFAULT_ADMIN_URL;
  const database = await createEmptyPostgresDatabase(adminUrl);
  const ingestDb = createPrismaClient(database.url);
  const pruneDb = createPrismaClient(database.url);
  try {
    await applyMigrations(database.url);
    const project = await ingestDb.project.create({ data: { name: "bench" } });
    const hook = await ingestDb.hook.create({
      data: { projectId: project.id, name: HOOK_NAME, providesArgs: ["customer", "total"] },
    });
    const listener = await ingestDb.listener.create({
      data: {
        projectId: project.id,
        hookId: hook.id,
        url: "https://receiver.example.test/hooks",
        secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
      },
    });

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const seedStarted = performance.now();
    try {
      await seedOldData(client, project.id, hook.id, listener.id);
    } finally {
      await client.end();
    }
    log(`seeded ${ATTEMPTS} expired attempts in ${seconds(seedStarted)} s`);

    await showPlans(pruneDb, retentionCutoff(new Date(), DEFAULT_RETENTION_DAYS));

    const send = (index: number) =>
      sendEvent(
        project.id,
        HOOK_NAME,
        { payload: { customer: `cust-new-${index}`, total: index } },
        {},
        { db: ingestDb, runner: idleRunner },
      );
    const warmup = await ingestAtFixedRate(
      (index) => send(1_000_000_000 + index),
      INGEST_PER_SECOND,
      WARMUP_SECONDS,
    );
    const baseline = await ingestAtFixedRate(
      (index) => send(2_000_000_000 + index),
      INGEST_PER_SECOND,
      BASELINE_SECONDS,
    );
    log(`ingest without pruning (${BASELINE_SECONDS} s at ${INGEST_PER_SECOND}/s): ${describeRun(baseline)}`);

    log(
      `pruning (batches of ${PRUNE_BATCH_SIZE}, ${PRUNE_PAUSE_MS} ms apart) while ingesting at ${INGEST_PER_SECOND}/s…`,
    );
    let pruning = true;
    const pruneStarted = performance.now();
    const prune = pruneExpiredData(pruneDb, {
      now: new Date(),
      retentionDays: DEFAULT_RETENTION_DAYS,
      maxBatchesPerTable: MAX_BATCHES_PER_TABLE,
    }).finally(() => {
      pruning = false;
    });
    const during = ingestAtFixedRate(send, INGEST_PER_SECOND, MAX_PRUNE_SECONDS, () => pruning);
    // Ingest stops when the prune ends, failed or not, and is waited for before the database goes.
    const [pruneOutcome, ingested] = await Promise.allSettled([
      prune.then((result) => ({ result, seconds: (performance.now() - pruneStarted) / 1000 })),
      during,
    ]);
    if (pruneOutcome.status === "rejected") throw pruneOutcome.reason;
    if (ingested.status === "rejected") throw ingested.reason;
    const { result, seconds: pruneSeconds } = pruneOutcome.value;
    const ingest = ingested.value;
    log(`ingest while pruning: ${describeRun(ingest)}`);
    log(`pruned in ${pruneSeconds.toFixed(1)} s: ${JSON.stringify(result.deleted)}`);

    // Exactly the expired, finished rows went: the survivors and every new event are still there.
    const [left] = await pruneDb.$queryRaw<
      { attempts: number; deliveries: number; pending: number; events: number; old_events: number }[]
    >`SELECT (SELECT count(*) FROM "DeliveryAttempt")::int AS attempts,
             (SELECT count(*) FROM "Delivery")::int AS deliveries,
             (SELECT count(*) FROM "Delivery" WHERE status = 'pending' AND "createdAt" < ${result.cutoff}::timestamp(3))::int AS pending,
             (SELECT count(*) FROM "Event")::int AS events,
             (SELECT count(*) FROM "Event" WHERE "createdAt" < ${result.cutoff}::timestamp(3))::int AS old_events`;
    const accepted = warmup.latenciesMs.length + baseline.latenciesMs.length + ingest.latenciesMs.length;
    const expected = {
      attempts: PENDING_SURVIVORS * ATTEMPTS_PER_DELIVERY,
      // Nothing matches the accepted events here (the idle runner runs no fan-out): no new delivery.
      deliveries: PENDING_SURVIVORS,
      pending: PENDING_SURVIVORS,
      events: PENDING_SURVIVORS + accepted,
      old_events: PENDING_SURVIVORS,
    };
    if (JSON.stringify(left) !== JSON.stringify(expected))
      throw new Error(`after the prune: ${JSON.stringify(left)}, expected ${JSON.stringify(expected)}`);
    if (!result.complete) throw new Error("the prune stopped before the end");
    log(
      `kept: ${JSON.stringify(left)} (the old pending deliveries with their attempts and events, and every new event)`,
    );

    const p99 = percentile(ingest.latenciesMs, 0.99);
    log(`target ingest p99 < ${TARGET_P99_MS} ms while pruning: ${p99 < TARGET_P99_MS ? "met" : "NOT met"}`);
    const pruned = Object.values(result.deleted).reduce((sum, count) => sum + count, 0);
    console.log(
      `bench:retention pruned=${pruned} prune_s=${pruneSeconds.toFixed(1)} ingest_p99_ms=${p99.toFixed(1)}`,
    );
  } finally {
    await ingestDb.$disconnect();
    await pruneDb.$disconnect();
    await dropPostgresDatabase(adminUrl, database.name);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
