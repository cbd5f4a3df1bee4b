// Usage: npm run bench:fairness
// One tenant's hanging receivers must not delay another's deliveries. Project X: 12 listeners whose
// receiver takes every request and never answers (hook timeout 60 s), 10 events each. Project Y: one
// listener on a fast receiver, one event a second for BENCH_FAIRNESS_SECONDS (60). Y's latency (event
// accepted → request received) with X's hanging receivers, against Y's stream alone (the baseline,
// measured first in the same run). Embedded runner at its default limits, on PostgreSQL (DATABASE_URL
// or postgres://postgres@127.0.0.1:5432/postgres; its own database, dropped afterwards). The last line:
//   bench:fairness victim_p50_ms=<n> victim_p99_ms=<n> baseline_p99_ms=<n>
import { parseAllowlist } from "../src/core/delivery";
import type { PrismaClient } from "../src/generated/prisma/client";
import { createPrismaClient } from "../src/server/db/client";
import { redactUrl } from "../src/server/db/config";
import { applyMigrations } from "../src/server/db/migrate";
import { createEmptyPostgresDatabase, dropPostgresDatabase } from "../src/testing/databases";
import { EmbeddedRunner } from "../src/server/runner/embedded";
import { sendEvent } from "../src/server/services/events/send-event";
import { percentile, preciseNow, Receiver, seedHookWithListeners, sleep } from "./lib/bench-receiver";

const DEFAULT_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";
const SECONDS = Number(process.env.BENCH_FAIRNESS_SECONDS ?? 60);
const HANGING_LISTENERS = 12;
const EVENTS_PER_HANGING_LISTENER = 10;
const HANGING_TIMEOUT_MS = 60_000;
const TARGET_VICTIM_P99_MS = 1_000;
const PAYLOAD = { name: "Ada Lovelace", email: "ada@example.test" };

/** Y's stream: one event a second; returns each event's accepted time by its delivery's webhook-id. */
async function stream(
  db: PrismaClient,
  runner: EmbeddedRunner,
  project: string,
  hook: string,
  fast: Receiver,
) {
  const sentAt = new Map<string, number>();
  for (let second = 0; second < SECONDS; second++) {
    const next = Date.now() + 1_000;
    const at = preciseNow();
    const { result } = await sendEvent(project, hook, { payload: PAYLOAD }, {}, { db, runner });
    sentAt.set(result.eventId, at);
    await sleep(Math.max(0, next - Date.now()));
  }
  // The last event's delivery has a moment to arrive.
  const deadline = Date.now() + 30_000;
  while ((await fast.count()) < sentAt.size && Date.now() < deadline) await sleep(100);
  const received = await fast.collect();
  const byEvent = new Map(
    (await db.delivery.findMany({ where: { eventId: { in: [...sentAt.keys()] } } })).map((d) => [
      d.id,
      d.eventId,
    ]),
  );
  const latencies = [...sentAt.entries()].map(([eventId, at]) => {
    const deliveryId = [...byEvent.entries()].find(([, event]) => event === eventId)?.[0];
    const arrived = deliveryId === undefined ? undefined : received.get(deliveryId);
    // Never arrived within the run: counted as the whole wait, so it cannot flatter the result.
    return arrived === undefined ? 30_000 + SECONDS * 1000 : arrived - at;
  });
  return latencies.sort((a, b) => a - b);
}

async function main(): Promise<void> {
  const adminUrl = process.env.DATABASE_URL || DEFAULT_ADMIN_URL;
  console.log(`bench:fairness: PostgreSQL at ${redactUrl(adminUrl)}, ${SECONDS} s per stream`);
  const { url, name } = await createEmptyPostgresDatabase(adminUrl);
  const fast = await Receiver.start();
  const hanging = await Receiver.start({ hang: true });
  let db: PrismaClient | undefined;
  let runner: EmbeddedRunner | undefined;
  try {
    await applyMigrations(url);
    db = createPrismaClient(url);
    const victim = await db.project.create({ data: { name: "Y" } });
    const noisy = await db.project.create({ data: { name: "X" } });
    const steady = await seedHookWithListeners(db, {
      projectId: victim.id,
      name: "y.steady",
      count: 1,
      url: fast.url,
    });
    const stuck = await seedHookWithListeners(db, {
      projectId: noisy.id,
      name: "x.stuck",
      count: HANGING_LISTENERS,
      url: hanging.url,
      timeoutMs: HANGING_TIMEOUT_MS,
    });
    runner = new EmbeddedRunner({
      db,
      allowlist: parseAllowlist("127.0.0.1"),
      // The defaults of DURIAN_RUNNER_CONCURRENCY, _PROJECT_CONCURRENCY and _LISTENER_CONCURRENCY.
      concurrency: 100,
      projectConcurrency: 50,
      listenerConcurrency: 5,
      log: { info: () => {}, warn: () => {}, error: console.error },
    });
    await runner.start();

    const baseline = await stream(db, runner, victim.id, steady.hook.name, fast);
    console.log(
      `baseline (Y alone): p50 ${percentile(baseline, 0.5).toFixed(0)} ms, p99 ${percentile(baseline, 0.99).toFixed(0)} ms`,
    );

    for (let event = 0; event < EVENTS_PER_HANGING_LISTENER; event++)
      await sendEvent(noisy.id, stuck.hook.name, { payload: PAYLOAD }, {}, { db, runner });
    const victimLatencies = await stream(db, runner, victim.id, steady.hook.name, fast);
    const held = await hanging.count();
    console.log(
      `with X's ${HANGING_LISTENERS} hanging listeners (${held} requests taken and never answered): ` +
        `Y p50 ${percentile(victimLatencies, 0.5).toFixed(0)} ms, p99 ${percentile(victimLatencies, 0.99).toFixed(0)} ms`,
    );
    const p99 = percentile(victimLatencies, 0.99);
    console.log(
      `target: victim_p99_ms < ${TARGET_VICTIM_P99_MS} ${p99 < TARGET_VICTIM_P99_MS ? "met" : "NOT met"}`,
    );
    console.log(
      `bench:fairness victim_p50_ms=${percentile(victimLatencies, 0.5).toFixed(0)} victim_p99_ms=${p99.toFixed(0)} ` +
        `baseline_p99_ms=${percentile(baseline, 0.99).toFixed(0)}`,
    );
  } finally {
    // Receivers first: the hanging requests then fail at once and are recorded while the database is
    // still there (stopping the runner first left them to record into a dropped database).
    fast.stop();
    hanging.stop();
    await runner?.stop();
    await db?.$disconnect();
    await dropPostgresDatabase(adminUrl, name);
  }
}

await main();
