// Usage: npm run bench:charts
// Fills a fresh PostgreSQL database with 1 000 000 attempts' worth of hourly rollups (100 listeners of
// 10 hooks, over the last 7 days), then measures the dashboard's charts:
//   query_ms  the slowest median of the chart service's queries: the project's, a hook's and a
//             listener's chart over 24 hours and 7 days, and the hooks list's sparklines;
//   render_ms the slower median of React's server render (react-dom/server) of the project's chart
//             over 24 hours and over 7 days, with the sparklines of its 10 hooks.
// Most rollups are generated in bulk with SQL; a sample of attempts is recorded through the real
// recording statement (`recordAttempts`) on top of them, and the totals are checked before measuring.
// Admin connection: DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres; the benchmark
// creates and drops its own database.
import { performance } from "node:perf_hooks";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { DeliveryChartView } from "../src/components/charts/delivery-chart-view";
import { Sparkline } from "../src/components/charts/sparkline";
import { LATENCY_BUCKET_BOUNDS_MS, LATENCY_BUCKET_COUNT } from "../src/core/delivery/latency-histogram";
import { createPrismaClient } from "../src/server/db/client";
import { applyMigrations } from "../src/server/db/migrate";
import { type AttemptToRecord, recordAttempts } from "../src/server/delivery/lifecycle";
import { deliveryChart, hookSparklines } from "../src/server/services/delivery-charts";
import { createEmptyPostgresDatabase, dropPostgresDatabase } from "../src/testing/databases";

const DEFAULT_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";
const ATTEMPTS = 1_000_000;
/** Recorded through the real statement, in batches as the runner's recorder makes them. */
const SAMPLE_ATTEMPTS = 2_000;
const SAMPLE_BATCH = 200;
const HOOKS = 10;
const LISTENERS_PER_HOOK = 10;
const HOURS = 7 * 24;
const WARMUP_RUNS = 3;
const RUNS = 21;
const TARGET_QUERY_MS = 50;
const TARGET_RENDER_MS = 300;
const HOUR_MS = 3_600_000;

type Db = ReturnType<typeof createPrismaClient>;

function log(line: string) {
  console.log(`bench:charts: ${line}`);
}

async function seedProject(db: Db): Promise<{ projectId: string; hookIds: string[]; listenerIds: string[] }> {
  const project = await db.project.create({ data: { name: "Bench charts" } });
  await db.$executeRaw`
    INSERT INTO "Hook" (id, "projectId", name, "providesArgs", "updatedAt")
    SELECT 'hook-' || h, ${project.id}, 'hook-' || h, ARRAY['id'], now() FROM generate_series(0, ${HOOKS - 1}::int) h`;
  await db.$executeRaw`
    INSERT INTO "Listener" (id, "projectId", "hookId", url, secret, "updatedAt")
    SELECT 'listener-' || h || '-' || s, ${project.id}, 'hook-' || h, 'https://receiver.example.test/' || s,
           'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', now()
    FROM generate_series(0, ${HOOKS - 1}::int) h, generate_series(0, ${LISTENERS_PER_HOOK - 1}::int) s`;
  const hookIds = Array.from({ length: HOOKS }, (_, h) => `hook-${h}`);
  const listenerIds = hookIds.flatMap((_, h) =>
    Array.from({ length: LISTENERS_PER_HOOK }, (_, s) => `listener-${h}-${s}`),
  );
  return { projectId: project.id, hookIds, listenerIds };
}

/**
 * One rollup row per listener and hour of the 7 days before `end` (the current hour's end) holding `attempts` attempts between them:
 * 90 % succeeded, 3 % failed, the rest retried; latencies spread over the buckets from 25 ms to 1 s,
 * the sum taken at each bucket's middle.
 */
async function seedBulkRollups(db: Db, projectId: string, attempts: number, end: Date): Promise<void> {
  const rows = HOOKS * LISTENERS_PER_HOOK * HOURS;
  const base = Math.floor(attempts / rows);
  const remainder = attempts - base * rows;
  // Buckets 2–7 (25 ms–1 s): 10, 30, 30, 15, 10 and the rest.
  const shares = [0, 0, 0.1, 0.3, 0.3, 0.15, 0.1];
  const middles = LATENCY_BUCKET_BOUNDS_MS.map((upper, bucket) =>
    bucket === 0 ? upper / 2 : (upper + LATENCY_BUCKET_BOUNDS_MS[bucket - 1]!) / 2,
  );
  const bucketExpressions = Array.from({ length: LATENCY_BUCKET_COUNT }, (_, bucket) => {
    if (bucket === 7) return `t - ${shares.map((share) => `floor(t * ${share})`).join(" - ")}`;
    return bucket < shares.length ? `floor(t * ${shares[bucket]})` : "0";
  });
  const sumExpression = bucketExpressions
    .map((expression, bucket) => `(${expression}) * ${middles[bucket] ?? 0}`)
    .join(" + ");
  const started = performance.now();
  await db.$executeRawUnsafe(
    `INSERT INTO "AttemptRollup" ("listenerId", hour, "projectId", "hookId", succeeded, retried, failed,
       "latencyMsSum", "latencyBuckets")
     SELECT l.id, $2::timestamp(3) - make_interval(hours => hr), $1, l."hookId",
            floor(t * 0.9), t - floor(t * 0.9) - floor(t * 0.03), floor(t * 0.03),
            (${sumExpression})::bigint,
            ARRAY[${bucketExpressions.join(", ")}]::int[]
     FROM (SELECT id, "hookId", row_number() OVER (ORDER BY id) - 1 AS n FROM "Listener" WHERE "projectId" = $1) l
     CROSS JOIN generate_series(1, ${HOURS}) hr
     CROSS JOIN LATERAL (SELECT ${base} + CASE WHEN (l.n * ${HOURS} + hr - 1) < ${remainder} THEN 1 ELSE 0 END AS t) k`,
    projectId,
    end.toISOString(),
  );
  log(`bulk rollups: ${rows} rows in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** SAMPLE_ATTEMPTS attempts of as many deliveries, spread over the 7 days, recorded through `recordAttempts`. */
async function recordSample(db: Db, projectId: string, listenerIds: string[], end: Date): Promise<void> {
  const started = performance.now();
  await db.$executeRaw`
    INSERT INTO "Event" (id, "projectId", "hookId", "hookName", payload)
    SELECT 'event-' || n, ${projectId}, l."hookId", l."hookId", '{}'::jsonb
    FROM generate_series(0, ${SAMPLE_ATTEMPTS - 1}::int) n
    JOIN "Listener" l ON l.id = (${listenerIds}::text[])[1 + n % ${listenerIds.length}]`;
  await db.$executeRaw`
    INSERT INTO "Delivery" (id, "projectId", "eventId", "listenerId", "hookId", status, "updatedAt")
    SELECT 'delivery-' || n, ${projectId}, 'event-' || n, l.id, l."hookId", 'delivering', now()
    FROM generate_series(0, ${SAMPLE_ATTEMPTS - 1}::int) n
    JOIN "Listener" l ON l.id = (${listenerIds}::text[])[1 + n % ${listenerIds.length}]`;
  const transitions: AttemptToRecord["transition"][] = [
    "succeed",
    "succeed",
    "succeed",
    "reschedule",
    "fail",
  ];
  const hookOf = new Map(
    (
      await db.listener.findMany({ where: { id: { in: listenerIds } }, select: { id: true, hookId: true } })
    ).map((listener) => [listener.id, listener.hookId]),
  );
  for (let first = 0; first < SAMPLE_ATTEMPTS; first += SAMPLE_BATCH) {
    const batch = Array.from({ length: Math.min(SAMPLE_BATCH, SAMPLE_ATTEMPTS - first) }, (_, offset) => {
      const n = first + offset;
      const transition = transitions[n % transitions.length]!;
      const startedAt = new Date(end.getTime() - 1 - ((n * 7919) % (HOURS * HOUR_MS)));
      return {
        attempt: {
          deliveryId: `delivery-${n}`,
          projectId,
          number: 1,
          startedAt,
          durationMs: 20 + ((n * 37) % 900),
          requestUrl: "https://receiver.example.test/",
          requestHeaders: {},
          requestBody: "{}",
          responseStatus: transition === "succeed" ? 200 : 500,
          errorClass: transition === "succeed" ? null : "http",
          nextAttemptAt: transition === "reschedule" ? end : null,
        },
        transition,
        listenerId: listenerIds[n % listenerIds.length]!,
        hookId: hookOf.get(listenerIds[n % listenerIds.length]!)!,
        now: startedAt,
      } satisfies AttemptToRecord;
    });
    await recordAttempts(db, batch);
  }
  log(
    `sample: ${SAMPLE_ATTEMPTS} attempts recorded through recordAttempts in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function timed(work: () => unknown): Promise<number> {
  for (let run = 0; run < WARMUP_RUNS; run++) await work();
  const samples: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

const fmt = (ms: number) => ms.toFixed(1);

async function main(): Promise<void> {
  const adminUrl = process.env.DATABASE_URL || DEFAULT_ADMIN_URL;
  const database = await createEmptyPostgresDatabase(adminUrl);
  const db = createPrismaClient(database.url);
  try {
    await applyMigrations(database.url);
    const now = new Date();
    // Rollups are hourly: attempts land in the hours before the current hour's end.
    const end = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS + HOUR_MS);
    const { projectId, hookIds, listenerIds } = await seedProject(db);
    await seedBulkRollups(db, projectId, ATTEMPTS - SAMPLE_ATTEMPTS, end);
    await recordSample(db, projectId, listenerIds, end);
    await db.$executeRawUnsafe("ANALYZE");

    const [counted] = await db.$queryRaw<{ attempts: number }[]>`
      SELECT sum(succeeded + retried + failed)::int AS attempts FROM "AttemptRollup" WHERE "projectId" = ${projectId}`;
    const week = await deliveryChart(projectId, { range: "7d" }, db, now);
    const attempts = counted?.attempts;
    if (attempts !== ATTEMPTS || week.totals.attempts !== ATTEMPTS)
      throw new Error(
        `rollups hold ${attempts} attempts, the 7-day chart ${week.totals.attempts}; expected ${ATTEMPTS}`,
      );

    const queries: [string, () => Promise<unknown>][] = [
      ["project 24 h", () => deliveryChart(projectId, { range: "24h" }, db, now)],
      ["project 7 days", () => deliveryChart(projectId, { range: "7d" }, db, now)],
      ["hook 7 days", () => deliveryChart(projectId, { range: "7d", hookId: hookIds[3] }, db, now)],
      [
        "listener 7 days",
        () => deliveryChart(projectId, { range: "7d", listenerId: listenerIds[42] }, db, now),
      ],
      ["hooks list sparklines", () => hookSparklines(projectId, hookIds, db, now)],
    ];
    const queryMedians: [string, number][] = [];
    for (const [label, query] of queries) queryMedians.push([label, await timed(query)]);

    const day = await deliveryChart(projectId, { range: "24h" }, db, now);
    const lines = await hookSparklines(projectId, hookIds, db, now);
    const renderChart = (chart: typeof week) => () => {
      const html = renderToString(
        createElement(
          "div",
          null,
          createElement(DeliveryChartView, { chart, summaryId: "summary" }),
          ...lines.map((line) => createElement(Sparkline, { key: line.hookId, ...line })),
        ),
      );
      if (!html.includes('data-testid="outcome-bars"')) throw new Error("the chart did not render");
    };
    const renderMedians: [string, number][] = [
      ["project 24 h + sparklines", await timed(renderChart(day))],
      ["project 7 days + sparklines", await timed(renderChart(week))],
    ];

    console.log("");
    for (const [label, ms] of [
      ...queryMedians.map(([l, m]) => [`query ${l}`, m] as const),
      ...renderMedians.map(([l, m]) => [`render ${l}`, m] as const),
    ])
      console.log(`${label.padEnd(40)} median ${fmt(ms)} ms`);
    const queryMs = Math.max(...queryMedians.map(([, ms]) => ms));
    const renderMs = Math.max(...renderMedians.map(([, ms]) => ms));
    console.log(
      `targets: query < ${TARGET_QUERY_MS} ms ${queryMs < TARGET_QUERY_MS ? "met" : "MISSED"}, ` +
        `render < ${TARGET_RENDER_MS} ms ${renderMs < TARGET_RENDER_MS ? "met" : "MISSED"} (slowest median)`,
    );
    console.log(`bench:charts attempts=${ATTEMPTS} query_ms=${fmt(queryMs)} render_ms=${fmt(renderMs)}`);
  } finally {
    await db.$disconnect();
    await dropPostgresDatabase(adminUrl, database.name);
  }
}

await main();
