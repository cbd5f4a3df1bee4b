// Usage: npm run bench:match
// Seeds N listeners on one hook (N = 1k, 10k, 100k) in a fresh PostgreSQL database and times
// findMatchingListeners (index-narrowed candidates + in-process filter) against the naive way (load
// every listener of the hook and filter in JS), in the same run. Admin connection: DATABASE_URL or
// postgres://postgres@127.0.0.1:5432/postgres; the benchmark creates and drops its own database.
import pg from "pg";
import { listenerIndexKey, type Filter } from "../src/core/filter";
import type { PrismaClient } from "../src/generated/prisma/client";
import { createPrismaClient } from "../src/server/db/client";
import { applyMigrations } from "../src/server/db/migrate";
import { CompiledFilterCache } from "../src/server/matching/compiled-filter-cache";
import {
  findCandidateListeners,
  findMatchingListeners,
} from "../src/server/matching/find-matching-listeners";

const DEFAULT_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";
const LISTENER_COUNTS = [1_000, 10_000, 100_000];
const INSERT_BATCH_SIZE = 10_000;
const WARMUP_EVENTS = 20;
const MEASURED_EVENTS = 300;
/** Loading every listener is slow at 100k; fewer events keep the run to a few minutes. */
const BASELINE_EVENTS_BY_COUNT: Record<number, number> = { 1_000: 40, 10_000: 20, 100_000: 9 };
const TARGET_MS = 20;
const TARGET_SPEEDUP = 20;

// The listener mix, in parts per thousand; the rest are exact-name filters.
const PREFIX_PER_MILLE = 30; // {email: {$startswith: "dept-<k>."}}
const REGEX_PER_MILLE = 5; // {email: {$like: "^dept-<k>\\.u\\d*7@"}} (scans)
const UNFILTERED_PER_MILLE = 5; // {} (scans)
const EXACT_WITH_AMOUNT_EVERY = 4; // every 4th exact listener also needs amount >= 500
const DEPARTMENTS = 100;

function describeMix(): string {
  const exact = 1000 - PREFIX_PER_MILLE - REGEX_PER_MILLE - UNFILTERED_PER_MILLE;
  const percent = (perMille: number) => `${perMille / 10}%`;
  return (
    `${percent(exact)} exact name {name: "user-<i>"} (1 in ${EXACT_WITH_AMOUNT_EVERY} also amount >= 500), ` +
    `${percent(PREFIX_PER_MILLE)} prefix {email: {$startswith: "dept-<k>."}} over ${DEPARTMENTS} departments, ` +
    `${percent(REGEX_PER_MILLE)} $like on email (scan), ${percent(UNFILTERED_PER_MILLE)} unfiltered (scan)`
  );
}

function filterForListener(index: number): Filter {
  const slot = index % 1000;
  // Shifted per thousand so prefix and regex listeners spread over every department.
  const department = (index + Math.floor(index / 1000)) % DEPARTMENTS;
  if (slot < UNFILTERED_PER_MILLE) return {};
  if (slot < UNFILTERED_PER_MILLE + REGEX_PER_MILLE)
    return { email: { $like: `^dept-${department}\\.u\\d*7@` } };
  if (slot < UNFILTERED_PER_MILLE + REGEX_PER_MILLE + PREFIX_PER_MILLE) {
    return { email: { $startswith: `dept-${department}.` } };
  }
  return index % EXACT_WITH_AMOUNT_EVERY === 0
    ? { name: `user-${index}`, amount: { $gte: 500 } }
    : { name: `user-${index}` };
}

function eventFor(user: number): Record<string, unknown> {
  return {
    name: `user-${user}`,
    email: `dept-${user % DEPARTMENTS}.u${user}@example.com`,
    country: "NL",
    amount: (user * 7919) % 1000,
  };
}

function randomUsers(count: number, below: number, seed: number): number[] {
  let state = seed;
  return Array.from({ length: count }, () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state % below;
  });
}

async function insertListeners(pool: pg.Pool, projectId: string, hookId: string, from: number, to: number) {
  for (let start = from; start < to; start += INSERT_BATCH_SIZE) {
    const end = Math.min(start + INSERT_BATCH_SIZE, to);
    const columns = { ids: [] as string[], filters: [] as string[], kinds: [] as string[] };
    const fields: (string | null)[] = [];
    const values: (string | null)[] = [];
    for (let index = start; index < end; index++) {
      const filter = filterForListener(index);
      const key = listenerIndexKey(filter);
      columns.ids.push(`bench-listener-${index}`);
      columns.filters.push(JSON.stringify(filter));
      columns.kinds.push(key.indexKind);
      fields.push(key.indexField);
      values.push(key.indexValue);
    }
    await pool.query(
      `INSERT INTO "Listener" ("id", "projectId", "hookId", "url", "filter", "indexKind", "indexField",
         "indexValue", "secret", "updatedAt")
       SELECT id, $1, $2, 'http://127.0.0.1:9/' || id, filter, kind, field, value, 'whsec_bench', now()
       FROM unnest($3::text[], $4::jsonb[], $5::text[], $6::text[], $7::text[]) AS t(id, filter, kind, field, value)`,
      [projectId, hookId, columns.ids, columns.filters, columns.kinds, fields, values],
    );
  }
  await pool.query(`ANALYZE "Listener"`);
}

async function naiveMatch(
  db: PrismaClient,
  hookId: string,
  payload: Record<string, unknown>,
  cache: CompiledFilterCache,
) {
  const listeners = await db.listener.findMany({ where: { hookId, enabled: true } });
  return {
    rows: listeners.length,
    matched: listeners.filter((listener) => cache.predicateFor(listener)(payload)),
  };
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await work();
  return { ms: performance.now() - started, result };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits));
const sameIds = (a: { id: string }[], b: { id: string }[]) =>
  JSON.stringify(a.map((l) => l.id).sort()) === JSON.stringify(b.map((l) => l.id).sort());

async function main(): Promise<void> {
  const adminUrl = process.env.DATABASE_URL || DEFAULT_ADMIN_URL;
  const databaseName = `durian_bench_match_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${databaseName}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${databaseName}`;
  const benchUrl = url.toString();
  let db: PrismaClient | undefined;
  let pool: pg.Pool | undefined;
  const summary: { count: number; ms: number; baselineMs: number }[] = [];
  try {
    await applyMigrations(benchUrl);
    db = createPrismaClient(benchUrl);
    pool = new pg.Pool({ connectionString: benchUrl, max: 2 });
    const project = await db.project.create({ data: { name: "bench" } });
    const hook = await db.hook.create({
      data: {
        projectId: project.id,
        name: "person.saved",
        providesArgs: ["name", "email", "country", "amount"],
      },
    });
    console.log(`bench:match mix: ${describeMix()}`);

    let seeded = 0;
    for (const count of LISTENER_COUNTS) {
      const seeding = await timed(() => insertListeners(pool!, project.id, hook.id, seeded, count));
      seeded = count;

      const matchCache = new CompiledFilterCache();
      const users = randomUsers(WARMUP_EVENTS + MEASURED_EVENTS, count, count);
      const matchMs: number[] = [];
      const candidateRows: number[] = [];
      const matchedCounts: number[] = [];
      for (const [i, user] of users.entries()) {
        const payload = eventFor(user);
        const { ms, result } = await timed(() =>
          findMatchingListeners(db!, { hookId: hook.id, hookVersion: 1 }, payload, { cache: matchCache }),
        );
        if (i < WARMUP_EVENTS) continue;
        matchMs.push(ms);
        matchedCounts.push(result.length);
        candidateRows.push(
          (await findCandidateListeners(db!, { hookId: hook.id, hookVersion: 1 }, payload)).length,
        );
      }

      const baselineCache = new CompiledFilterCache(count * 2);
      const baselineEvents = BASELINE_EVENTS_BY_COUNT[count] ?? 5;
      const baselineMs: number[] = [];
      let baselineRows = 0;
      await naiveMatch(db, hook.id, eventFor(0), baselineCache); // warm up: compiles every filter once
      for (const user of users.slice(WARMUP_EVENTS, WARMUP_EVENTS + baselineEvents)) {
        const payload = eventFor(user);
        const { ms, result } = await timed(() => naiveMatch(db!, hook.id, payload, baselineCache));
        baselineMs.push(ms);
        baselineRows = result.rows;
        const indexed = await findMatchingListeners(db, { hookId: hook.id, hookVersion: 1 }, payload, {
          cache: matchCache,
        });
        if (!sameIds(indexed, result.matched)) {
          throw new Error(
            `findMatchingListeners disagrees with the naive match for ${JSON.stringify(payload)}`,
          );
        }
      }

      const ms = median(matchMs);
      const baseline = median(baselineMs);
      summary.push({ count, ms, baselineMs: baseline });
      console.log(
        `bench:match N=${count}: seeded in ${round(seeding.ms / 1000, 1)} s | indexed: median ${round(ms)} ms, ` +
          `p95 ${round(percentile(matchMs, 95))} ms, rows read median ${median(candidateRows)}, matched median ` +
          `${median(matchedCounts)} (${MEASURED_EVENTS} events) | naive: median ${round(baseline)} ms, rows read ` +
          `${baselineRows} (${baselineEvents} events, same matches) | speedup ${round(baseline / ms, 1)}x`,
      );
    }
  } finally {
    await db?.$disconnect();
    await pool?.end();
    await admin.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
    await admin.end();
  }

  const largest = summary.at(-1);
  if (!largest) return;
  const speedup = largest.baselineMs / largest.ms;
  const verdict = largest.ms < TARGET_MS && speedup >= TARGET_SPEEDUP ? "met" : "NOT met";
  console.log(
    `bench:match target (< ${TARGET_MS} ms and >= ${TARGET_SPEEDUP}x at ${largest.count}): ${verdict}`,
  );
  console.log(
    `bench:match listeners=${largest.count} ms=${round(largest.ms)} baseline_ms=${round(largest.baselineMs)} ` +
      `speedup=${round(speedup, 1)}`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
