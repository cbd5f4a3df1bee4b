// Usage: npm run bench:backlog
// What claiming costs on a backlog the table's statistics do not know about: BENCH_BACKLOG_EVENTS
// small fan-outs (default 100) to BENCH_BACKLOG_LISTENERS listeners each (default 1 000), created
// after the deliveries table was analysed empty, with autovacuum off for it (as when a runner was
// stopped for a while, or events came faster than it delivered, before autovacuum's next look). The
// runner's claims (100 at a time, one after the other) take BENCH_BACKLOG_CLAIMED deliveries (default
// 20 000) on those statistics, then as many again after an ANALYZE, the baseline.
// On PostgreSQL (DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres); the benchmark creates
// its own database and drops it afterwards. The last line is machine-readable:
//   bench:backlog deliveries=<n> stale_claim_us=<x> fresh_claim_us=<x> ratio=<x>
// (microseconds of claiming per delivery claimed; ratio = stale / fresh, target ≤ 1.5).
import { createPrismaClient } from "../src/server/db/client";
import { redactUrl } from "../src/server/db/config";
import { applyMigrations } from "../src/server/db/migrate";
import { claimDueDeliveries, createDeliveries } from "../src/server/delivery/lifecycle";
import type { PrismaClient } from "../src/generated/prisma/client";
import { createEmptyPostgresDatabase, dropPostgresDatabase } from "../src/testing/databases";
import { preciseNow, seedHookWithListeners } from "./lib/bench-receiver";

const DEFAULT_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";
const EVENTS = Number(process.env.BENCH_BACKLOG_EVENTS ?? 100);
const LISTENERS = Number(process.env.BENCH_BACKLOG_LISTENERS ?? 1_000);
const CLAIMED = Number(process.env.BENCH_BACKLOG_CLAIMED ?? 20_000);
/** The embedded runner's default concurrency: what one claim asks for when it has every slot free. */
const CLAIM_SIZE = 100;
const TARGET_RATIO = 1.5;

async function buildBacklog(db: PrismaClient): Promise<number> {
  const project = await db.project.create({ data: { name: "bench:backlog" } });
  const { hook, listenerIds } = await seedHookWithListeners(db, {
    projectId: project.id,
    name: "bench.backlog",
    count: LISTENERS,
    // Never called: the benchmark claims deliveries without attempting them.
    url: "http://127.0.0.1:9/unused",
  });
  await db.$executeRawUnsafe(`ALTER TABLE "Delivery" SET (autovacuum_enabled = false)`);
  await db.$executeRawUnsafe(`ANALYZE "Delivery"`);
  const listeners = listenerIds.map((id) => ({ id, relay: false }));
  const start = Date.now() - EVENTS * 1_000;
  for (let index = 0; index < EVENTS; index++) {
    const now = new Date(start + index * 1_000);
    const event = await db.event.create({
      data: { projectId: project.id, hookId: hook.id, hookName: hook.name, payload: {}, createdAt: now },
    });
    await createDeliveries(db, {
      projectId: project.id,
      eventId: event.id,
      hookId: hook.id,
      fanOut: 0,
      listeners,
      now,
    });
  }
  return EVENTS * LISTENERS;
}

/** Claims `count` due deliveries, CLAIM_SIZE at a time; microseconds of claiming per delivery. */
async function claimMicrosecondsEach(db: PrismaClient, count: number): Promise<number> {
  let claimed = 0;
  let elapsedMs = 0;
  while (claimed < count) {
    const started = preciseNow();
    const claim = await claimDueDeliveries(db, {
      limit: Math.min(CLAIM_SIZE, count - claimed),
      listeners: { inFlight: new Map(), limit: CLAIM_SIZE },
      projects: { inFlight: new Map(), limit: CLAIM_SIZE },
      now: new Date(),
    });
    elapsedMs += preciseNow() - started;
    if (claim.claimed.length === 0)
      throw new Error(`the backlog ran out after ${claimed} claimed deliveries`);
    claimed += claim.claimed.length;
  }
  return (elapsedMs * 1_000) / claimed;
}

async function main(): Promise<void> {
  if (2 * CLAIMED > EVENTS * LISTENERS)
    throw new Error("BENCH_BACKLOG_CLAIMED must be at most half the backlog");
  const adminUrl = process.env.DATABASE_URL || DEFAULT_ADMIN_URL;
  const { url, name } = await createEmptyPostgresDatabase(adminUrl);
  let db: PrismaClient | undefined;
  try {
    await applyMigrations(url);
    db = createPrismaClient(url);
    const deliveries = await buildBacklog(db);
    console.log(
      `bench:backlog: PostgreSQL at ${redactUrl(adminUrl)}, ${deliveries} due deliveries from ${EVENTS} fan-outs, ` +
        `created after the table was analysed empty; claiming ${CLAIMED} of them ${CLAIM_SIZE} at a time`,
    );
    const stale = await claimMicrosecondsEach(db, CLAIMED);
    console.log(`on statistics older than the backlog: ${stale.toFixed(0)} µs a delivery claimed`);
    await db.$executeRawUnsafe(`ANALYZE "Delivery"`);
    const fresh = await claimMicrosecondsEach(db, CLAIMED);
    console.log(`after ANALYZE: ${fresh.toFixed(0)} µs a delivery claimed`);
    const ratio = stale / fresh;
    console.log(`target: ratio ≤ ${TARGET_RATIO} ${ratio <= TARGET_RATIO ? "met" : "NOT met"}`);
    console.log(
      `bench:backlog deliveries=${deliveries} stale_claim_us=${stale.toFixed(0)} fresh_claim_us=${fresh.toFixed(0)} ratio=${ratio.toFixed(2)}`,
    );
  } finally {
    await db?.$disconnect();
    await dropPostgresDatabase(adminUrl, name);
  }
}

await main();
