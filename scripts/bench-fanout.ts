// Usage: npm run bench:fanout
// One event to 100,000 unfiltered listeners on PostgreSQL, accepted by the events service and delivered
// by the embedded runner to a receiver in a child process on 127.0.0.1: how long the sender waits
// (accept_ms), how long until the first delivery arrives (first_ms, from the start of the send), how long
// until the last (all_s), deliveries per second, and the same number of POSTs from a plain fetch loop at
// the runner's concurrency (the ceiling). Admin connection: DATABASE_URL or
// postgres://postgres@127.0.0.1:5432/postgres; it creates its own database and drops it afterwards.
// BENCH_FANOUT_LISTENERS changes the audience. The last line:
//   bench:fanout listeners=<n> accept_ms=<n> first_ms=<n> all_s=<n> dps=<n> ceiling_dps=<n> ratio=<x>
import { parseAllowlist } from "../src/core/delivery";
import type { PrismaClient } from "../src/generated/prisma/client";
import { createPrismaClient } from "../src/server/db/client";
import { redactUrl } from "../src/server/db/config";
import { applyMigrations } from "../src/server/db/migrate";
import { createEmptyPostgresDatabase, dropPostgresDatabase } from "../src/testing/databases";
import { EmbeddedRunner } from "../src/server/runner/embedded";
import { sendEvent } from "../src/server/services/events/send-event";
import { ceiling, preciseNow, Receiver, seedHookWithListeners, sleep } from "./lib/bench-receiver";

const DEFAULT_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";
const LISTENERS = Number(process.env.BENCH_FANOUT_LISTENERS ?? 100_000);
const CONCURRENCY = Number(process.env.DURIAN_RUNNER_CONCURRENCY ?? 100);
const LISTENER_CONCURRENCY = Number(process.env.DURIAN_RUNNER_LISTENER_CONCURRENCY ?? 5);
const PAYLOAD = { name: "Ada Lovelace", email: "ada@example.test" };
const CHECK_MS = 200;
/** Gives up rather than run forever: far beyond what the targets allow. */
const MAX_WAIT_MS = 20 * 60_000;
const TARGETS = { acceptMs: 50, firstMs: 1_000, ratio: 0.7 };

async function main(): Promise<void> {
  const adminUrl = process.env.DATABASE_URL || DEFAULT_ADMIN_URL;
  console.log(
    `bench:fanout: PostgreSQL at ${redactUrl(adminUrl)}, ${LISTENERS} listeners, concurrency ${CONCURRENCY}`,
  );
  const { url, name } = await createEmptyPostgresDatabase(adminUrl);
  const receiver = await Receiver.start();
  let db: PrismaClient | undefined;
  let runner: EmbeddedRunner | undefined;
  try {
    await applyMigrations(url);
    db = createPrismaClient(url);
    const project = await db.project.create({ data: { name: "bench:fanout" } });
    const { hook } = await seedHookWithListeners(db, {
      projectId: project.id,
      name: "bench.fan_out",
      count: LISTENERS,
      url: receiver.url,
    });
    await db.$executeRawUnsafe(`ANALYZE`);
    runner = new EmbeddedRunner({
      db,
      allowlist: parseAllowlist("127.0.0.1"),
      concurrency: CONCURRENCY,
      listenerConcurrency: LISTENER_CONCURRENCY,
      log: { info: console.log, warn: console.warn, error: console.error },
    });
    await runner.start();
    // Warm the path (plans, connections) with a hook of one listener.
    const warm = await seedHookWithListeners(db, {
      projectId: project.id,
      name: "bench.warm",
      count: 1,
      url: receiver.url,
    });
    await sendEvent(project.id, warm.hook.name, { payload: PAYLOAD }, { waitSeconds: 5 }, { db, runner });
    await receiver.collect();

    const started = preciseNow();
    await sendEvent(project.id, hook.name, { payload: PAYLOAD }, {}, { db, runner });
    const acceptMs = preciseNow() - started;
    const deadline = Date.now() + MAX_WAIT_MS;
    let arrived = 0;
    while (arrived < LISTENERS) {
      if (Date.now() > deadline)
        throw new Error(`only ${arrived} of ${LISTENERS} deliveries arrived in time`);
      await sleep(CHECK_MS);
      arrived = await receiver.count();
    }
    const received = [...(await receiver.collect()).values()].sort((a, b) => a - b);
    const firstMs = received[0]! - started;
    const allS = (received.at(-1)! - started) / 1000;
    const dps = LISTENERS / allS;
    await runner.stop();
    runner = undefined;
    const ceilingDps = await ceiling(receiver, {
      requests: LISTENERS,
      concurrency: CONCURRENCY,
      body: JSON.stringify(PAYLOAD),
      transport: "fetch",
    });
    const ratio = dps / ceilingDps;
    console.log(
      `targets: accept_ms < ${TARGETS.acceptMs} ${acceptMs < TARGETS.acceptMs ? "met" : "NOT met"}, ` +
        `first_ms < ${TARGETS.firstMs} ${firstMs < TARGETS.firstMs ? "met" : "NOT met"}, ` +
        `ratio ≥ ${TARGETS.ratio} ${ratio >= TARGETS.ratio ? "met" : "NOT met"}`,
    );
    console.log(
      `bench:fanout listeners=${LISTENERS} accept_ms=${acceptMs.toFixed(1)} first_ms=${firstMs.toFixed(0)} ` +
        `all_s=${allS.toFixed(1)} dps=${dps.toFixed(0)} ceiling_dps=${ceilingDps.toFixed(0)} ratio=${ratio.toFixed(2)}`,
    );
  } finally {
    await runner?.stop();
    await db?.$disconnect();
    receiver.stop();
    await dropPostgresDatabase(adminUrl, name);
  }
}

await main();
