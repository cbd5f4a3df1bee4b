import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseAllowlist } from "@/core/delivery";
import { startReceiver, type TestReceiver } from "@/testing/receiver";
import { createTestDatabase, type TestDatabase } from "@/testing/databases";
import { runDeliveryAttempt } from "@/server/delivery";
import { seedEvent, seedHook, seedListener } from "@/testing/seed";
import { RecordingRunner } from "@/testing/api-harness";
import { sendEvent } from "@/server/services/events/send-event";
import { LAGGING_LISTENERS_REPORTED } from "./backlog";
import { scrape } from "./scrape";

// /api/metrics' answer, scraped from a real database with real deliveries and parsed as Prometheus'
// text format.

const TOKEN = "metrics-token-for-tests-0123456789";
const allowlist = parseAllowlist("127.0.0.1");

let database: TestDatabase;
let target: TestReceiver;

beforeAll(async () => {
  [database, target] = await Promise.all([createTestDatabase(), startReceiver()]);
});
afterAll(async () => {
  await Promise.all([database.drop(), target.close()]);
});
afterEach(async () => {
  await database.db.delivery.deleteMany();
});

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Prometheus' text exposition format: `name{label="value",…} number` lines, comments skipped. */
function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels = Object.fromEntries(
      [...(match[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((label) => [
        label[1]!,
        label[2]!,
      ]),
    );
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.filter(
    (sample) =>
      sample.name === name && Object.entries(labels).every(([key, wanted]) => sample.labels[key] === wanted),
  );
  return found.reduce((sum, sample) => sum + sample.value, 0);
}

async function scraped(now = new Date()): Promise<Sample[]> {
  const answer = await scrape({
    token: TOKEN,
    authorization: `Bearer ${TOKEN}`,
    db: () => database.db,
    slots: () => ({ inUse: 3, total: 100 }),
    now,
  });
  expect(answer.status).toBe(200);
  expect(answer.headers?.["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseExposition(answer.body);
}

describe("GET /api/metrics", () => {
  it("does not exist without DURIAN_METRICS_TOKEN and refuses any other token", async () => {
    const common = { db: () => database.db, slots: () => null };
    expect((await scrape({ ...common, token: undefined, authorization: `Bearer ${TOKEN}` })).status).toBe(
      404,
    );
    for (const authorization of [null, "", `Bearer ${TOKEN}x`, `Basic ${TOKEN}`, "Bearer wrong"]) {
      const answer = await scrape({ ...common, token: TOKEN, authorization });
      expect(answer.status).toBe(401);
      expect(answer.headers?.["www-authenticate"]).toMatch(/^Bearer /);
    }
  });

  it("reports the due backlog, its oldest age and the most lagging listeners, a bounded few", async () => {
    const hook = await seedHook(database.db);
    const now = new Date();
    const listeners: string[] = [];
    for (let index = 0; index < LAGGING_LISTENERS_REPORTED + 5; index++) {
      listeners.push((await seedListener(database.db, hook, { url: `${target.url}/${index}` })).listenerId);
    }
    // Listener i's oldest due delivery has waited 100 + i seconds; one delivery is not due yet.
    for (const [index, listenerId] of listeners.entries()) {
      await seedEvent(
        database.db,
        hook,
        [listenerId],
        undefined,
        new Date(now.getTime() - (100 + index) * 1000),
      );
    }
    await seedEvent(database.db, hook, [listeners[0]!], undefined, new Date(now.getTime() + 60_000));

    const samples = await scraped(now);

    expect(value(samples, "durian_deliveries_due")).toBe(listeners.length);
    expect(value(samples, "durian_deliveries_oldest_due_age_seconds")).toBeCloseTo(
      100 + listeners.length - 1,
      0,
    );
    const lag = samples.filter((sample) => sample.name === "durian_listener_lag_seconds");
    expect(lag).toHaveLength(LAGGING_LISTENERS_REPORTED);
    const mostLagging = listeners.slice(-LAGGING_LISTENERS_REPORTED).reverse();
    expect(lag.map((sample) => sample.labels.listener_id)).toEqual(expect.arrayContaining(mostLagging));
    expect(value(samples, "durian_listener_lag_seconds", { listener_id: mostLagging[0]! })).toBeCloseTo(
      100 + listeners.length - 1,
      0,
    );
    expect(value(samples, "durian_runner_slots_in_use")).toBe(3);
    expect(value(samples, "durian_runner_slots")).toBe(100);

    // Once delivered, the backlog and its lagging listeners are gone from the next scrape.
    await database.db.delivery.updateMany({ data: { status: "succeeded", nextAttemptAt: null } });
    const after = await scraped(now);
    expect(value(after, "durian_deliveries_due")).toBe(0);
    expect(value(after, "durian_deliveries_oldest_due_age_seconds")).toBe(0);
    expect(after.filter((sample) => sample.name === "durian_listener_lag_seconds")).toHaveLength(0);
  });

  it("counts accepted events, attempts by result with their latency, and finished deliveries by outcome", async () => {
    const before = await scraped();
    const hook = await seedHook(database.db, { retrySchedule: [60] });
    await seedListener(database.db, hook, { url: `${target.url}/ok` });
    await seedListener(database.db, hook, { url: "http://127.0.0.1:9/closed" });
    const runner = new RecordingRunner(() => database.db);

    await sendEvent(
      hook.projectId,
      hook.hookName,
      { payload: { name: "Ada" } },
      {},
      { db: database.db, runner },
    );
    const deliveryIds = runner.created.flatMap((created) => created.deliveryIds);
    expect(deliveryIds).toHaveLength(2);
    for (const deliveryId of deliveryIds) await runDeliveryAttempt(database.db, deliveryId, { allowlist });

    const after = await scraped();
    const delta = (name: string, labels?: Record<string, string>) =>
      value(after, name, labels) - value(before, name, labels);
    expect(delta("durian_events_accepted_total")).toBe(1);
    expect(delta("durian_delivery_attempts_total", { result: "success" })).toBe(1);
    expect(delta("durian_delivery_attempts_total", { result: "refused" })).toBe(1);
    expect(delta("durian_delivery_attempt_duration_seconds_count", { result: "success" })).toBe(1);
    expect(delta("durian_delivery_attempt_duration_seconds_bucket", { result: "success", le: "+Inf" })).toBe(
      1,
    );
    expect(delta("durian_deliveries_finished_total", { outcome: "succeeded" })).toBe(1);
    // The refused one is scheduled to try again: not finished.
    expect(delta("durian_deliveries_finished_total", { outcome: "failed" })).toBe(0);
  });
});
