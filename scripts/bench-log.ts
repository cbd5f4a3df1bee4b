// Usage: npm run bench:log
// Seeds 1 000 000 delivery attempts (500 000 deliveries of 250 000 events, over a week) in a fresh
// PostgreSQL database, then measures the dashboard's delivery log, first page and a page filtered by
// status and hook:
//   query_ms  the service function the page calls (listDeliveries), in this process;
//   render_ms the whole page as a signed-in browser gets it from the app's server: session check,
//             membership, filter choices, the query, React's server render and the streamed HTML.
// The last line reports the slower of the two pages' medians. Builds the app first when the build
// is older than the sources. Admin connection: DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres;
// the benchmark creates and drops its own database. Everything listens on and targets 127.0.0.1 only.
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { createPrismaClient } from "../src/server/db/client";
import { applyMigrations } from "../src/server/db/migrate";
import { createEmptyPostgresDatabase, dropPostgresDatabase } from "../src/testing/databases";
import { DEFAULT_PAGE_SIZE } from "../src/contracts/common";
import { listDeliveries } from "../src/server/services/deliveries-read";
import {
  ensureCurrentBuild,
  freePort,
  LOOPBACK as HOST,
  startNextServer,
  waitForServer,
} from "./lib/next-app";

const DEFAULT_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";
const EVENTS = 250_000;
const HOOKS = 10;
/** Each event matches both listeners of its hook. */
const LISTENERS_PER_HOOK = 2;
const ATTEMPTS_PER_DELIVERY = 2;
const DELIVERIES = EVENTS * LISTENERS_PER_HOOK;
const ATTEMPTS = DELIVERIES * ATTEMPTS_PER_DELIVERY;
const SPREAD_SECONDS = 7 * 24 * 60 * 60;
const WARMUP_RUNS = 3;
const QUERY_RUNS = 21;
const RENDER_RUNS = 15;
const TARGET_QUERY_MS = 50;
const TARGET_RENDER_MS = 300;
const FILTERED = { status: "failed", hook: "hook-3" } as const;
/** Signs up through the app (which creates the user's first project) and returns the session cookie. */
async function signUp(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseUrl },
    body: JSON.stringify({ name: "Bench", email: "bench-log@example.test", password: "bench password 1" }),
  });
  if (!response.ok)
    throw new Error(`sign-up answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
  const cookies = response.headers.getSetCookie().map((cookie) => cookie.split(";")[0]);
  if (cookies.length === 0) throw new Error("sign-up set no session cookie");
  return cookies.join("; ");
}

/** Tables filled in bulk: their secondary indexes are built once afterwards, which is much faster. */
const BULK_TABLES = ["Event", "Delivery", "DeliveryAttempt"];

/** Everything in SQL with generate_series: hooks, listeners, events, deliveries, attempts. */
async function seed(client: pg.Client, projectId: string): Promise<void> {
  const step = async (label: string, sql: string, values: unknown[] = []) => {
    const started = performance.now();
    const result = await client.query(sql, values);
    console.log(
      `bench:log: ${label}: ${result.rowCount ?? 0} rows in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  };
  // The migrations' own index definitions, dropped now and recreated as they were after the inserts.
  const { rows: indexes } = await client.query<{ indexname: string; indexdef: string }>(
    `SELECT i.indexname, i.indexdef FROM pg_indexes i
     WHERE i.schemaname = 'public' AND i.tablename = ANY($1)
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.contype = 'p')`,
    [BULK_TABLES],
  );
  for (const index of indexes) await client.query(`DROP INDEX "${index.indexname}"`);
  await client.query("SET maintenance_work_mem = '256MB'");
  await step(
    "hooks",
    `INSERT INTO "Hook" (id, "projectId", name, "providesArgs", "updatedAt")
     SELECT 'hook-id-' || h, $1, 'hook-' || h, ARRAY['id', 'amount', 'currency'], now()
     FROM generate_series(0, $2 - 1) h`,
    [projectId, HOOKS],
  );
  await step(
    "listeners",
    `INSERT INTO "Listener" (id, "projectId", "hookId", url, secret, "updatedAt")
     SELECT 'listener-' || h || '-' || s, $1, 'hook-id-' || h, 'https://receiver-' || s || '.example.test/hooks/' || h,
            'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', now()
     FROM generate_series(0, $2 - 1) h, generate_series(0, $3 - 1) s`,
    [projectId, HOOKS, LISTENERS_PER_HOOK],
  );
  // Event i is created at now - (EVENTS - i) * spread / EVENTS; its hook is i % HOOKS.
  await step(
    "events",
    `INSERT INTO "Event" (id, "projectId", "hookId", "hookName", payload, "createdAt")
     SELECT 'event-' || lpad(i::text, 7, '0'), $1, 'hook-id-' || (i % $3), 'hook-' || (i % $3),
            jsonb_build_object('id', 'order-' || i, 'amount', i % 1000, 'currency', 'EUR'),
            now() - make_interval(secs => ($2 - i) * $4::float8 / $2)
     FROM generate_series(1, $2) i`,
    [projectId, EVENTS, HOOKS, SPREAD_SECONDS],
  );
  // Delivery d belongs to event ceil(d / LISTENERS_PER_HOOK) and listener slot d % LISTENERS_PER_HOOK.
  // Status by a hash of d, in percent: 90 succeeded, 7 failed, 2 pending and 1 delivering (both far in
  // the future, so the app's embedded runner leaves them alone while it serves the pages).
  await step(
    "deliveries",
    `INSERT INTO "Delivery" (id, "projectId", "eventId", "listenerId", "hookId", status, "attemptCount",
                             "nextAttemptAt", "lockedUntil", "lastAttemptAt", "lastStatusCode", "createdAt", "updatedAt")
     SELECT 'delivery-' || lpad(d::text, 7, '0'), $1, e.id, 'listener-' || (e.n % $3) || '-' || (d % $4), 'hook-id-' || (e.n % $3),
            (CASE WHEN k.p < 90 THEN 'succeeded' WHEN k.p < 97 THEN 'failed' WHEN k.p < 99 THEN 'pending' ELSE 'delivering' END)::"DeliveryStatus",
            $5,
            CASE WHEN k.p >= 97 AND k.p < 99 THEN now() + interval '365 days' END,
            CASE WHEN k.p = 99 THEN now() + interval '365 days' END,
            e.at + interval '40 seconds',
            CASE WHEN k.p < 90 THEN 200 ELSE 500 END,
            e.at, e.at + interval '40 seconds'
     FROM generate_series(1, $2) d
     CROSS JOIN LATERAL (SELECT (d + $4 - 1) / $4 AS n, abs(hashtext(d::text)) % 100 AS p) k
     CROSS JOIN LATERAL (SELECT 'event-' || lpad(k.n::text, 7, '0') AS id, k.n AS n,
                                now() - make_interval(secs => ($6 - k.n) * $7::float8 / $6) AS at) e`,
    [projectId, DELIVERIES, HOOKS, LISTENERS_PER_HOOK, ATTEMPTS_PER_DELIVERY, EVENTS, SPREAD_SECONDS],
  );
  // Attempt a belongs to delivery ceil(a / ATTEMPTS_PER_DELIVERY); the first failed, the last as its delivery.
  await step(
    "attempts",
    `INSERT INTO "DeliveryAttempt" (id, "deliveryId", "projectId", number, "startedAt", "durationMs", "requestUrl",
                                    "requestHeaders", "requestBody", "responseStatus", "responseHeaders", "responseBody",
                                    "errorClass", "errorMessage", "createdAt")
     SELECT 'attempt-' || lpad(a::text, 8, '0'), 'delivery-' || lpad(((a + $3 - 1) / $3)::text, 7, '0'), $1,
            (a - 1) % $3 + 1, now(), 20 + a % 200, 'https://receiver.example.test/hooks',
            '{"content-type": "application/json", "webhook-id": "bench"}'::jsonb, '{"id":"order","amount":1,"currency":"EUR"}',
            CASE WHEN (a - 1) % $3 + 1 = $3 THEN 200 ELSE 500 END, '{"content-type": "text/plain"}'::jsonb, 'ok',
            CASE WHEN (a - 1) % $3 + 1 = $3 THEN NULL ELSE 'http' END,
            CASE WHEN (a - 1) % $3 + 1 = $3 THEN NULL ELSE 'HTTP 500 Internal Server Error' END, now()
     FROM generate_series(1, $2) a`,
    [projectId, ATTEMPTS, ATTEMPTS_PER_DELIVERY],
  );
  const started = performance.now();
  for (const index of indexes) await client.query(index.indexdef);
  console.log(
    `bench:log: rebuilt ${indexes.length} indexes in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  await step("analyze", "ANALYZE");
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function timed(runs: number, work: () => Promise<void>): Promise<number[]> {
  for (let run = 0; run < WARMUP_RUNS; run++) await work();
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  return samples;
}

/** Fetches the page whole and checks it really is the log with its rows (not an error or sign-in page). */
async function fetchLogPage(url: string, cookie: string, minimumRows: number): Promise<void> {
  const response = await fetch(url, { headers: { cookie } });
  const html = await response.text();
  const rows = html.match(/data-delivery-id=/g)?.length ?? 0;
  if (response.status !== 200 || rows < minimumRows) {
    throw new Error(
      `GET ${url} answered ${response.status} with ${rows} delivery rows (expected ${minimumRows}+)`,
    );
  }
}

const fmt = (ms: number) => ms.toFixed(1);

async function main(): Promise<void> {
  const adminUrl = process.env.DATABASE_URL || DEFAULT_ADMIN_URL;
  ensureCurrentBuild((line) => console.log(`bench:log: ${line}`));
  const database = await createEmptyPostgresDatabase(adminUrl);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "durian-bench-log-"));
  let server: ChildProcess | undefined;
  const db = createPrismaClient(database.url);
  try {
    await applyMigrations(database.url);
    const port = await freePort();
    const baseUrl = `http://${HOST}:${port}`;
    server = startNextServer({ port, databaseUrl: database.url, dataDir });
    await waitForServer(`${baseUrl}/sign-in`, server);
    const cookie = await signUp(baseUrl);
    const project = await db.project.findFirstOrThrow({ select: { id: true } });

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const started = performance.now();
      await seed(client, project.id);
      console.log(
        `bench:log: seeded ${ATTEMPTS} attempts in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
    } finally {
      await client.end();
    }

    const firstQuery = await timed(QUERY_RUNS, async () => {
      const page = await listDeliveries(project.id, { limit: DEFAULT_PAGE_SIZE }, db);
      if (page.items.length !== DEFAULT_PAGE_SIZE)
        throw new Error(`first page has ${page.items.length} rows`);
    });
    const filteredQuery = await timed(QUERY_RUNS, async () => {
      const page = await listDeliveries(project.id, { ...FILTERED, limit: DEFAULT_PAGE_SIZE }, db);
      if (page.items.length !== DEFAULT_PAGE_SIZE)
        throw new Error(`filtered page has ${page.items.length} rows`);
    });

    const logUrl = `${baseUrl}/projects/${project.id}/deliveries`;
    const filteredUrl = `${logUrl}?${new URLSearchParams(FILTERED)}`;
    const firstRender = await timed(RENDER_RUNS, () => fetchLogPage(logUrl, cookie, DEFAULT_PAGE_SIZE));
    const filteredRender = await timed(RENDER_RUNS, () =>
      fetchLogPage(filteredUrl, cookie, DEFAULT_PAGE_SIZE),
    );

    console.log("");
    console.log(`page                                   query median (p90) ms   render median (p90) ms`);
    const p90 = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length * 0.9)]!;
    for (const [label, query, render] of [
      ["first page", firstQuery, firstRender],
      [`status=${FILTERED.status} hook=${FILTERED.hook}`, filteredQuery, filteredRender],
    ] as const) {
      console.log(
        `${label.padEnd(38)} ${`${fmt(median(query))} (${fmt(p90(query))})`.padEnd(23)} ${fmt(median(render))} (${fmt(p90(render))})`,
      );
    }
    const queryMs = Math.max(median(firstQuery), median(filteredQuery));
    const renderMs = Math.max(median(firstRender), median(filteredRender));
    console.log(
      `targets: query < ${TARGET_QUERY_MS} ms ${queryMs < TARGET_QUERY_MS ? "met" : "MISSED"}, ` +
        `render < ${TARGET_RENDER_MS} ms ${renderMs < TARGET_RENDER_MS ? "met" : "MISSED"} (slower page's median)`,
    );
    console.log(`bench:log rows=${ATTEMPTS} query_ms=${fmt(queryMs)} render_ms=${fmt(renderMs)}`);
  } finally {
    await db.$disconnect();
    if (server && server.exitCode === null) {
      server.kill("SIGTERM");
      await new Promise((resolve) => server!.once("exit", resolve));
    }
    await dropPostgresDatabase(adminUrl, database.name);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
