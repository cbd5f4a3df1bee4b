// Usage: npm run bench:ingest
// Drives POST /api/v1/hooks/{name}/events on the app's server + PostgreSQL with concurrent clients
// (autocannon), and in the same run a bare route of the same app, served the same way
// (src/server/rest/serve.ts), that answers 202 without touching the database (the ceiling of this
// stack on this machine); then 200 events/s sent evenly (loadtest) for
// latency, once the runner has matched what the saturating runs left it (reported as catch_up_s).
// Builds the app first when the build is older than the sources. Admin connection:
// DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres; the benchmark creates and drops its own
// database.
// Everything listens on and targets 127.0.0.1 only. Each event matches one of the hook's listeners, so
// an event row and a delivery row are written per request; the runner is kept from delivering them
// meanwhile (see startReceiver), so the figures are those of accepting events alone.
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { listenerIndexKey } from "../src/core/filter";
import { normalizeHookField, storedHookFields, type HookFieldInput } from "../src/core/hook-fields";
import { generateSecret } from "../src/core/signing";
import type { Prisma } from "../src/generated/prisma/client";
import { createPrismaClient } from "../src/server/db/client";
import { applyMigrations } from "../src/server/db/migrate";
import { createEmptyPostgresDatabase, dropPostgresDatabase } from "../src/testing/databases";
import { createApiKey } from "../src/server/services/api-keys";
import { waitUntil } from "../src/testing/runner";
import {
  ensureCurrentBuild,
  freePort,
  LOOPBACK as HOST,
  startNextServer,
  waitForServer,
} from "./lib/next-app";

const DEFAULT_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";
const CONCURRENCY = 32;
const WARMUP_SECONDS = 3;
const MEASURE_SECONDS = 10;
const FIXED_RATE_PER_SECOND = 200;
const FIXED_RATE_SECONDS = 10;
/** How often, and how long at most, the backlog of matching left by the saturating runs is waited for. */
const CATCH_UP_CHECK_MS = 100;
const CATCH_UP_TIMEOUT_MS = 60_000;
const TARGET_RATIO = 0.4;
const TARGET_P99_MS = 50;
const HOOK_NAME = "order.created";
/** Typed, so every event is checked against its fields' types as it is accepted. */
const PROVIDES_ARGS: HookFieldInput[] = [
  { name: "customer", schema: { type: "string", minLength: 1 }, required: true },
  { name: "email", schema: { type: "string" } },
  { name: "total", schema: { type: "number", minimum: 0 } },
  { name: "country", schema: { enum: ["NL", "DE", "FR", "US"] } },
];
/** A few listeners of each kind the matcher knows; the bench's events match exactly one (country NL). */
const LISTENER_FILTERS = [
  { customer: "cust-vip" },
  { email: { $startswith: "vip." } },
  { total: { $gte: 10_000 } },
  { country: "NL" },
  { email: { $like: "@vandelay\\.com$" } },
];

// autocannon ships no types; this is the part of its API the benchmark uses.
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
  statusCodeStats: Record<string, { count: number }>;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

// loadtest's bundled types describe its old callback API; this is the part of v8's the benchmark uses.
interface LoadtestResult {
  totalRequests: number;
  totalErrors: number;
  effectiveRps: number;
  percentiles: Record<50 | 90 | 95 | 99, number | false>;
}
type LoadTest = (options: Record<string, unknown>) => Promise<LoadtestResult>;
const { loadTest } = (await import("loadtest")) as unknown as { loadTest: LoadTest };

interface RunSummary {
  label: string;
  rps: number;
  p50: number;
  p99: number;
  total: number;
  failures: number;
  statuses: string;
}

/**
 * Where the listeners point. It holds every request until the hook's timeout, and the server's runner
 * may make one attempt at a time: deliveries are stored exactly as usual, but delivering them (the
 * subject of bench:deliver) takes no CPU from accepting them, which is what this benchmark measures.
 */
async function startReceiver(): Promise<{ server: Server; url: string; received: () => number }> {
  let received = 0;
  const server = createServer((request) => {
    received++;
    request.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://${HOST}:${port}/hook`, received: () => received };
}

async function seed(databaseUrl: string, receiverUrl: string): Promise<string> {
  const db = createPrismaClient(databaseUrl);
  try {
    const user = await db.user.create({
      data: { id: "bench-user", name: "Bench", email: "bench@example.com" },
    });
    const project = await db.project.create({
      data: { name: "bench", members: { create: { userId: user.id, role: "owner" } } },
    });
    const hook = await db.hook.create({
      data: { projectId: project.id, name: HOOK_NAME, ...storedFields(PROVIDES_ARGS) },
    });
    for (const filter of LISTENER_FILTERS) {
      await db.listener.create({
        data: {
          projectId: project.id,
          hookId: hook.id,
          url: receiverUrl,
          filter,
          ...listenerIndexKey(filter),
          secret: generateSecret(),
        },
      });
    }
    return (await createApiKey(project.id, { name: "bench" }, db)).key;
  } finally {
    await db.$disconnect();
  }
}

/** The ceiling route answers, the per-key limit (default 100/s) does not cap the single key. */
const SERVER_ENV = {
  DURIAN_ALLOWED_HOSTS: HOST,
  DURIAN_RUNNER_CONCURRENCY: "1",
  DURIAN_BENCH_CEILING: "1",
  DURIAN_RATE_LIMIT_PER_SECOND: "1000000",
  DURIAN_RATE_LIMIT_BURST: "1000000",
};

async function checkRoute(url: string, headers: Record<string, string>, body: string): Promise<void> {
  const response = await fetch(url, { method: "POST", headers, body: body.replace("[<id>]", "check") });
  if (response.status !== 202) {
    const text = await response.text();
    throw new Error(
      `POST ${url} answered ${response.status} (${text.slice(0, 200)}); ` +
        "is .next a build of this code? Run `npm run build` and try again",
    );
  }
}

/**
 * Waits until every accepted event has been matched. At saturation the server accepts faster than its
 * runner matches (a second after the 32-connection run, about 3,000 of its 7,000 events were still
 * waiting, drained in 2 s): the fixed-rate run measures 200 events/s, not the catch-up after an
 * overload, which otherwise fell in its first seconds. Returns the seconds it took.
 */
async function waitForFanOuts(databaseUrl: string): Promise<number> {
  const started = performance.now();
  const db = createPrismaClient(databaseUrl);
  try {
    await waitUntil(
      "the runner has matched every accepted event",
      async () => (await db.fanOut.count({ where: { done: false } })) === 0,
      CATCH_UP_TIMEOUT_MS,
      CATCH_UP_CHECK_MS,
    );
    return (performance.now() - started) / 1000;
  } finally {
    await db.$disconnect();
  }
}

/**
 * Requests sent evenly, one every 1000/rate ms whether or not earlier ones have been answered (an open
 * loop, so a slow answer cannot hold the next request back). autocannon's `overallRate` would send
 * each second's quota back to back and then pause, which measures latency at saturation instead.
 */
async function runAtFixedRate(
  label: string,
  target: { url: string; headers: Record<string, string>; body: string },
  requestsPerSecond: number,
  seconds: number,
): Promise<RunSummary> {
  let sent = 0;
  const statusCounts = new Map<number, number>();
  const result = await loadTest({
    url: target.url,
    method: "POST",
    headers: target.headers,
    contentType: "application/json",
    body: () => target.body.replace("[<id>]", `fixed-${++sent}`),
    requestsPerSecond,
    maxSeconds: seconds,
    agentKeepAlive: true,
    quiet: true,
    statusCallback: (_error: unknown, response?: { statusCode?: number }) => {
      const status = response?.statusCode ?? 0;
      statusCounts.set(status, (statusCounts.get(status) ?? 0) + 1);
    },
  });
  const percentile = (value: number | false) => (value === false ? Number.NaN : value);
  return {
    label,
    rps: result.effectiveRps,
    p50: percentile(result.percentiles[50]),
    p99: percentile(result.percentiles[99]),
    total: result.totalRequests,
    failures: result.totalErrors,
    statuses: [...statusCounts].map(([status, count]) => `${status}×${count}`).join(" "),
  };
}

async function run(label: string, options: Record<string, unknown>): Promise<RunSummary> {
  const result = await autocannon({
    connections: CONCURRENCY,
    duration: MEASURE_SECONDS,
    method: "POST",
    ...options,
  });
  const statuses = Object.entries(result.statusCodeStats)
    .map(([status, { count }]) => `${status}×${count}`)
    .join(" ");
  return {
    label,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    failures: result.non2xx + result.errors + result.timeouts,
    statuses,
  };
}

function printTable(rows: RunSummary[]): void {
  const header = ["run", "req/s", "p50 ms", "p99 ms", "requests", "failed", "statuses"];
  const lines = rows.map((row) => [
    row.label,
    row.rps.toFixed(0),
    String(row.p50),
    String(row.p99),
    String(row.total),
    String(row.failures),
    row.statuses,
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => line[column]!.length)),
  );
  const format = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join("  ");
  console.log(format(header));
  for (const line of lines) console.log(format(line));
}

async function main(): Promise<void> {
  const adminUrl = process.env.DATABASE_URL || DEFAULT_ADMIN_URL;
  ensureCurrentBuild((line) => console.log(`bench:ingest: ${line}`));

  const { url: databaseUrl, name: databaseName } = await createEmptyPostgresDatabase(adminUrl);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "durian-bench-ingest-"));
  const receiver = await startReceiver();
  let server: ChildProcess | undefined;
  try {
    await applyMigrations(databaseUrl);
    const apiKey = await seed(databaseUrl, receiver.url);
    const port = await freePort();
    const baseUrl = `http://${HOST}:${port}`;
    server = startNextServer({ port, databaseUrl, dataDir, env: SERVER_ENV });
    await waitForServer(`${baseUrl}/api/v1/openapi.json`, server);

    const headers = { authorization: `Bearer ${apiKey}`, "content-type": "application/json" };
    const body = JSON.stringify({
      payload: { customer: "cust-[<id>]", email: "someone@example.com", total: 120, country: "NL" },
    });
    const ingest = { url: `${baseUrl}/api/v1/hooks/${HOOK_NAME}/events`, headers, body, idReplacement: true };
    const ceiling = { url: `${baseUrl}/api/v1/bench-ceiling`, headers, body, idReplacement: true };
    await checkRoute(ingest.url, headers, body);
    await checkRoute(ceiling.url, headers, body);

    console.log(
      `bench:ingest: warming up (${WARMUP_SECONDS} s each), then ${MEASURE_SECONDS} s per run at ${CONCURRENCY} connections…`,
    );
    await run("warm-up", { ...ceiling, duration: WARMUP_SECONDS });
    await run("warm-up", { ...ingest, duration: WARMUP_SECONDS });
    const ceilingRun = await run(`ceiling (${CONCURRENCY} conn)`, ceiling);
    const ingestRun = await run(`ingest (${CONCURRENCY} conn)`, ingest);
    const catchUpSeconds = await waitForFanOuts(databaseUrl);
    console.log(
      `bench:ingest: the runner matched the saturating runs' backlog ${catchUpSeconds.toFixed(1)} s after they ended`,
    );
    const fixedRun = await runAtFixedRate(
      `ingest @ ${FIXED_RATE_PER_SECOND}/s`,
      ingest,
      FIXED_RATE_PER_SECOND,
      FIXED_RATE_SECONDS,
    );

    // Requests cut off when a run ends may still commit: let them, then count in one snapshot.
    await sleep(1000);
    const db = createPrismaClient(databaseUrl);
    const [counts] = await db.$queryRaw<{ events: number; deliveries: number }[]>`
      SELECT (SELECT count(*) FROM "Event")::int AS events, (SELECT count(*) FROM "Delivery")::int AS deliveries`;
    const { events, deliveries } = counts!;
    await db.$disconnect();

    console.log("");
    printTable([ceilingRun, ingestRun, fixedRun]);
    console.log("");
    console.log(
      `stored ${events} events and ${deliveries} pending deliveries (${LISTENER_FILTERS.length} listeners, 1 matching each event); ` +
        `the runner, held to one attempt at a time by a receiver that never answers, started ${receiver.received()}`,
    );
    // Matching runs after the answer: the share matched so far shows whether fan-out keeps up with
    // accepting, or the latencies above were bought by deferring its work.
    const fannedOut = events === 0 ? 0 : deliveries / events;
    console.log(
      `fanned out ${(fannedOut * 100).toFixed(0)} % of the accepted events by the end (each matches one listener)`,
    );
    const ratio = ingestRun.rps / ceilingRun.rps;
    const meets = (ok: boolean) => (ok ? "met" : "NOT met");
    console.log(
      `target ≥ ${TARGET_RATIO * 100} % of the ceiling: ${(ratio * 100).toFixed(1)} % (${meets(ratio >= TARGET_RATIO)})`,
    );
    console.log(
      `target p99 < ${TARGET_P99_MS} ms at ${FIXED_RATE_PER_SECOND} events/s: ${fixedRun.p99} ms (${meets(fixedRun.p99 < TARGET_P99_MS)})`,
    );
    if (ingestRun.failures + fixedRun.failures + ceilingRun.failures > 0)
      console.log("warning: some requests failed (see statuses)");
    console.log(
      `bench:ingest rps=${ingestRun.rps.toFixed(0)} p99_ms=${fixedRun.p99} ceiling_rps=${ceilingRun.rps.toFixed(0)} ratio=${ratio.toFixed(2)} fanned_out=${fannedOut.toFixed(2)} catch_up_s=${catchUpSeconds.toFixed(1)}`,
    );
  } finally {
    if (server && server.exitCode === null) {
      server.kill("SIGTERM");
      await new Promise((resolve) => server!.once("exit", resolve));
    }
    receiver.server.closeAllConnections();
    await new Promise((resolve) => receiver.server.close(resolve));
    await dropPostgresDatabase(adminUrl, databaseName).catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

function storedFields(fields: readonly HookFieldInput[]) {
  const { providesArgs, fieldTypes } = storedHookFields(fields.map(normalizeHookField));
  return { providesArgs, fieldTypes: fieldTypes as unknown as Prisma.InputJsonObject };
}
