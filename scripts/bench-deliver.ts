// Usage: npm run bench:deliver
// Delivery throughput and latency of the embedded runner on PostgreSQL, against a plain loop of fetch
// calls at the same concurrency to the same receiver (the ceiling: what the receiver and this machine
// allow at all). The receiver runs in a child process on 127.0.0.1 and notes when each request
// arrived; the runner, the database client and the fetch loop run in this process.
// - idle latency: single events, one at a time, event accepted (committed) → request received;
// - fan-out: one event to 1 000 listeners (BENCH_LISTENERS; each ceiling sends as many requests);
//   the event is about 50 bytes, or BENCH_PAYLOAD_BYTES;
//   deliveries/s until the last attempt is recorded, and the same latency over them. On a noisy machine
//   a round of 1 000 lasts a few hundred milliseconds; 5 000 gives steadier ratios.
// Admin connection: DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres; the benchmark
// creates its own database and drops it afterwards. The last line is machine-readable:
//   bench:deliver dps=<n> ceiling_dps=<n> ratio=<x> db_ratio=<x> p50_ms=<n> p99_ms=<n>
// (db_ratio: against the runner's own HTTP client without a database)
// where p50/p99 are the idle latencies (the target applies to an idle runner).
import { parseAllowlist } from "../src/core/delivery";
import type { PrismaClient } from "../src/generated/prisma/client";
import { createPrismaClient } from "../src/server/db/client";
import { redactUrl } from "../src/server/db/config";
import { applyMigrations } from "../src/server/db/migrate";
import { createEmptyPostgresDatabase, dropPostgresDatabase } from "../src/testing/databases";
import { createDeliveries } from "../src/server/delivery/lifecycle";
import { EmbeddedRunner } from "../src/server/runner/embedded";
import {
  ceiling as ceilingLoop,
  median,
  percentile,
  preciseNow,
  Receiver,
  seedHookWithListeners,
  sleep,
  type Transport,
} from "./lib/bench-receiver";

const DEFAULT_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";
const LISTENERS = Number(process.env.BENCH_LISTENERS ?? 1_000);
/** The runner's limits, as configured by default (DURIAN_RUNNER_CONCURRENCY / _LISTENER_CONCURRENCY). */
const CONCURRENCY = Number(process.env.DURIAN_RUNNER_CONCURRENCY ?? 100);
const LISTENER_CONCURRENCY = Number(process.env.DURIAN_RUNNER_LISTENER_CONCURRENCY ?? 5);
/** Rounds of each measurement, interleaved so that load from elsewhere on the machine hits all alike. */
const ROUNDS = 5;
const IDLE_WARMUP_EVENTS = 10;
const IDLE_EVENTS = 100;
/** Pause between idle events, so each one meets an idle runner. */
const IDLE_GAP_MS = 30;
/** How often completion is checked; the timing itself comes from the recorded attempts and the receiver. */
const IDLE_CHECK_MS = 10;
const FAN_OUT_CHECK_MS = 100;
const TARGET_RATIO = 0.7;
const TARGET_IDLE_P50_MS = 100;
/** BENCH_PAYLOAD_BYTES pads the event's name field to that many characters: webhook events are often several KB. */
const PAYLOAD_BYTES = Number(process.env.BENCH_PAYLOAD_BYTES ?? 0);
const PAYLOAD = {
  name: PAYLOAD_BYTES > 0 ? "A".repeat(PAYLOAD_BYTES) : "Ada Lovelace",
  email: "ada@example.test",
};

/**
 * What accepting an event and its fan-out do: the event, then its pending deliveries, due now, by the
 * statement the fan-out uses (created before the clock starts; the runner is woken as a page would).
 */
async function acceptEvent(
  db: PrismaClient,
  hook: { id: string; projectId: string; name: string },
  listenerIds: string[],
): Promise<{ eventId: string; deliveryIds: string[]; acceptedAt: number }> {
  const now = new Date();
  const event = await db.event.create({
    data: {
      projectId: hook.projectId,
      hookId: hook.id,
      hookName: hook.name,
      payload: PAYLOAD,
      createdAt: now,
    },
  });
  const created = await createDeliveries(db, {
    projectId: hook.projectId,
    eventId: event.id,
    hookId: hook.id,
    fanOut: 0,
    listeners: listenerIds.map((id) => ({ id, relay: false })),
    now,
  });
  return { eventId: event.id, deliveryIds: created.map((delivery) => delivery.id), acceptedAt: preciseNow() };
}

/**
 * Waits until every delivery of the event succeeded. Counted by the event (one index range), not by a
 * list of a thousand ids: the check runs while the runner works and must not take its share.
 */
async function waitForSucceeded(
  db: PrismaClient,
  eventId: string,
  deliveryIds: string[],
  everyMs = IDLE_CHECK_MS,
): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const done = await db.delivery.count({ where: { eventId, status: "succeeded" } });
    if (done === deliveryIds.length) return;
    if (Date.now() > deadline)
      throw new Error(`only ${done} of ${deliveryIds.length} deliveries succeeded in time`);
    await sleep(everyMs);
  }
}

async function lastRecordedAt(db: PrismaClient, deliveryIds: string[]): Promise<number> {
  const last = await db.deliveryAttempt.aggregate({
    where: { deliveryId: { in: deliveryIds } },
    _max: { createdAt: true },
  });
  return last._max.createdAt!.getTime();
}

// --- measurements --------------------------------------------------------------------------------

function latencies(accepted: Map<string, number>, received: Map<string, number>): number[] {
  const values: number[] = [];
  for (const [deliveryId, acceptedAt] of accepted) {
    const receivedAt = received.get(deliveryId);
    if (receivedAt === undefined) throw new Error(`delivery ${deliveryId} was never received`);
    values.push(receivedAt - acceptedAt);
  }
  return values.sort((a, b) => a - b);
}

async function idleLatencies(
  db: PrismaClient,
  runner: EmbeddedRunner,
  receiver: Receiver,
  hook: { id: string; projectId: string; name: string },
  listenerId: string,
  events: number,
) {
  const accepted = new Map<string, number>();
  for (let index = 0; index < events; index++) {
    const { eventId, deliveryIds, acceptedAt } = await acceptEvent(db, hook, [listenerId]);
    await runner.deliveriesCreated({ projectId: hook.projectId, eventId, deliveryIds });
    accepted.set(deliveryIds[0]!, acceptedAt);
    await waitForSucceeded(db, eventId, deliveryIds);
    await sleep(IDLE_GAP_MS);
  }
  return latencies(accepted, await receiver.collect());
}

/**
 * Waits until the receiver has had `count` requests. Asked of the receiver, not the database: during
 * a fan-out counting the event's deliveries every 100 ms took a few per cent of the database's time.
 */
async function waitForReceived(receiver: Receiver, count: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const received = await receiver.count();
    if (received >= count) return;
    if (Date.now() > deadline) throw new Error(`only ${received} of ${count} requests arrived in time`);
    await sleep(FAN_OUT_CHECK_MS);
  }
}

async function fanOut(
  db: PrismaClient,
  runner: EmbeddedRunner,
  receiver: Receiver,
  hook: { id: string; projectId: string; name: string },
  listenerIds: string[],
) {
  const { eventId, deliveryIds, acceptedAt } = await acceptEvent(db, hook, listenerIds);
  await runner.deliveriesCreated({ projectId: hook.projectId, eventId, deliveryIds });
  await waitForReceived(receiver, deliveryIds.length);
  await waitForSucceeded(db, eventId, deliveryIds, FAN_OUT_CHECK_MS);
  const seconds = ((await lastRecordedAt(db, deliveryIds)) - acceptedAt) / 1000;
  const received = await receiver.collect();
  const accepted = new Map(deliveryIds.map((id) => [id, acceptedAt]));
  return { dps: deliveryIds.length / seconds, latencies: latencies(accepted, received) };
}

const ms = (value: number) => value.toFixed(1);

async function main(): Promise<void> {
  const adminUrl = process.env.DATABASE_URL || DEFAULT_ADMIN_URL;
  console.log(
    `bench:deliver: PostgreSQL at ${redactUrl(adminUrl)}, ${LISTENERS} listeners, concurrency ${CONCURRENCY} (${LISTENER_CONCURRENCY} per listener)`,
  );
  const { url, name } = await createEmptyPostgresDatabase(adminUrl);
  const receiver = await Receiver.start();
  let db: PrismaClient | undefined;
  let runner: EmbeddedRunner | undefined;
  try {
    await applyMigrations(url);
    db = createPrismaClient(url);
    const project = await db.project.create({ data: { name: "bench:deliver" } });
    const fan = await seedHookWithListeners(db, {
      projectId: project.id,
      name: "bench.fan_out",
      count: LISTENERS,
      url: receiver.url,
    });
    const single = await seedHookWithListeners(db, {
      projectId: project.id,
      name: "bench.single",
      count: 1,
      url: receiver.url,
    });
    runner = new EmbeddedRunner({
      db,
      allowlist: parseAllowlist("127.0.0.1"),
      concurrency: CONCURRENCY,
      listenerConcurrency: LISTENER_CONCURRENCY,
      log: { info: console.log, warn: console.warn, error: console.error },
    });
    await runner.start();

    await idleLatencies(db, runner, receiver, single.hook, single.listenerIds[0]!, IDLE_WARMUP_EVENTS);
    await ceiling(receiver, LISTENERS, "fetch");
    await ceiling(receiver, LISTENERS, "core");
    const idle = await idleLatencies(db, runner, receiver, single.hook, single.listenerIds[0]!, IDLE_EVENTS);
    console.log(
      `idle: ${IDLE_EVENTS} single events, accepted → received p50 ${ms(percentile(idle, 0.5))} ms, ` +
        `p99 ${ms(percentile(idle, 0.99))} ms, max ${ms(idle.at(-1)!)} ms`,
    );

    const rounds: { dps: number; latencies: number[] }[] = [];
    const fetchCeilings: number[] = [];
    const coreCeilings: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      fetchCeilings.push(await ceiling(receiver, LISTENERS, "fetch"));
      rounds.push(await fanOut(db, runner, receiver, fan.hook, fan.listenerIds));
      coreCeilings.push(await ceiling(receiver, LISTENERS, "core"));
      const last = rounds.at(-1)!;
      console.log(
        `round ${round}: embedded runner ${last.dps.toFixed(0)} deliveries/s ` +
          `(accepted → received p50 ${ms(percentile(last.latencies, 0.5))} ms, p99 ${ms(percentile(last.latencies, 0.99))} ms); ` +
          `fetch loop ${fetchCeilings.at(-1)!.toFixed(0)}/s; core client loop ${coreCeilings.at(-1)!.toFixed(0)}/s`,
      );
    }
    const dps = median(rounds.map((round) => round.dps));
    const ceilingDps = median(fetchCeilings);
    const coreCeilingDps = median(coreCeilings);
    const ratio = dps / ceilingDps;
    // Each round's runner and fetch loop ran back to back, under about the same load from elsewhere.
    const pairedRatio = median(rounds.map((round, index) => round.dps / fetchCeilings[index]!));
    const fanLatencies = rounds.flatMap((round) => round.latencies).sort((a, b) => a - b);
    console.log(
      `fan-out, median of ${ROUNDS}: ${dps.toFixed(0)} deliveries/s; fetch ceiling ${ceilingDps.toFixed(0)}/s, ratio ` +
        `${ratio.toFixed(2)} (target ≥ ${TARGET_RATIO}; median of per-round ratios ${pairedRatio.toFixed(2)}); the runner's own HTTP client without a database ` +
        `${coreCeilingDps.toFixed(0)}/s, ratio ${(dps / coreCeilingDps).toFixed(2)}`,
    );
    console.log(
      `fan-out latency over ${fanLatencies.length} deliveries (a backlog drains): accepted → received ` +
        `p50 ${ms(percentile(fanLatencies, 0.5))} ms, p99 ${ms(percentile(fanLatencies, 0.99))} ms`,
    );
    const idleP50 = percentile(idle, 0.5);
    console.log(
      `targets: ratio ${ratio >= TARGET_RATIO ? "met" : "NOT met"}, idle p50 < ${TARGET_IDLE_P50_MS} ms ${idleP50 < TARGET_IDLE_P50_MS ? "met" : "NOT met"}`,
    );
    console.log(
      `bench:deliver dps=${dps.toFixed(0)} ceiling_dps=${ceilingDps.toFixed(0)} ratio=${ratio.toFixed(2)} ` +
        `db_ratio=${(dps / coreCeilingDps).toFixed(2)} p50_ms=${ms(idleP50)} p99_ms=${ms(percentile(idle, 0.99))}`,
    );
  } finally {
    await runner?.stop();
    await db?.$disconnect();
    receiver.stop();
    await dropPostgresDatabase(adminUrl, name);
  }
}

await main();

/** The ceiling at the runner's concurrency with the benchmark's payload. */
function ceiling(receiver: Receiver, requests: number, transport: Transport): Promise<number> {
  return ceilingLoop(receiver, {
    requests,
    concurrency: CONCURRENCY,
    body: JSON.stringify(PAYLOAD),
    transport,
  });
}
