import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseAllowlist } from "@/core/delivery";
import { startReceiver, type ReceiverHandler, type TestReceiver } from "@/core/delivery/test-receiver";
import { createPrismaClient } from "@/server/db/client";
import { createTestDatabase, type TestDatabase } from "@/server/db/testing";
import { seedEvent, seedHook, seedListener } from "@/server/delivery/test-fixtures";
import { sendEvent } from "@/server/services/events";
import { EmbeddedRunner, type EmbeddedRunnerOptions } from "./embedded";
import { allSucceeded, memoryLog, waitUntil } from "./test-helpers";

// The engine end to end with the embedded runner: events accepted by the events service, matched by
// the fan-out job, delivered by the delivery job, to real receivers on 127.0.0.1.

const allowlist = parseAllowlist("127.0.0.1");

let database: TestDatabase;
const receivers: TestReceiver[] = [];
const runners: EmbeddedRunner[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
  await Promise.all(runners.splice(0).map((runner) => runner.stop({ deadlineMs: 0 })));
});

async function receiver(handler?: ReceiverHandler): Promise<TestReceiver> {
  const started = await startReceiver(handler);
  receivers.push(started);
  return started;
}

function runner(options: Partial<EmbeddedRunnerOptions> = {}): EmbeddedRunner {
  const created = new EmbeddedRunner({
    db: database.db,
    allowlist,
    concurrency: 10,
    listenerConcurrency: 5,
    log: memoryLog(),
    ...options,
  });
  runners.push(created);
  return created;
}

describe("the engine", () => {
  it("answers before matching, then matches in pages and delivers to each matching listener once", async () => {
    const target = await receiver();
    const hook = await seedHook(database.db);
    const listenerIds: string[] = [];
    for (let index = 0; index < 7; index++)
      listenerIds.push((await seedListener(database.db, hook, { url: `${target.url}/${index}` })).listenerId);
    const delivering = runner();
    await delivering.start();

    const { result } = await sendEvent(
      hook.projectId,
      hook.hookName,
      { payload: { name: "Ada" } },
      { waitSeconds: 20 },
      { db: database.db, runner: delivering },
    );

    expect(result.matched).toBe(7);
    expect(result.deliveries!.every((delivery) => delivery.firstAttempt?.responseStatus === 200)).toBe(true);
    const deliveries = await database.db.delivery.findMany({ where: { eventId: result.eventId } });
    expect(new Set(deliveries.map((delivery) => delivery.listenerId))).toEqual(new Set(listenerIds));
    expect(target.requests.map((request) => request.headers["webhook-id"]).sort()).toEqual(
      deliveries.map((delivery) => delivery.id).sort(),
    );
  });

  it("keeps one project's hanging receivers from taking the slots another project's deliveries need", async () => {
    const hanging = await receiver(() => {});
    const fast = await receiver();
    const noisy = await seedHook(database.db, { timeoutMs: 60_000 });
    const noisyListeners: string[] = [];
    for (let index = 0; index < 4; index++)
      noisyListeners.push(
        (await seedListener(database.db, noisy, { url: `${hanging.url}/${index}` })).listenerId,
      );
    const victim = await seedHook(database.db);
    const { listenerId } = await seedListener(database.db, victim, { url: fast.url });
    for (let event = 0; event < 5; event++) await seedEvent(database.db, noisy, noisyListeners);
    const delivering = runner({ concurrency: 4, projectConcurrency: 2, listenerConcurrency: 2 });
    await delivering.start();
    await waitUntil("the noisy project's receivers hold its slots", () => hanging.requests.length === 2);

    const victimDeliveries: string[] = [];
    for (let event = 0; event < 5; event++)
      victimDeliveries.push(...(await seedEvent(database.db, victim, [listenerId])).deliveryIds);
    await delivering.deliveriesCreated();

    await waitUntil("every delivery of the other project succeeded", () =>
      allSucceeded(database.db, victimDeliveries),
    );
    // The hanging project never held more than its share.
    expect(hanging.requests).toHaveLength(2);
    expect(fast.requests).toHaveLength(5);
  });

  it("runs on two servers sharing one database: every delivery made once, both doing work", async () => {
    const target = await receiver();
    const hook = await seedHook(database.db);
    const listenerIds: string[] = [];
    for (let index = 0; index < 20; index++)
      listenerIds.push((await seedListener(database.db, hook, { url: `${target.url}/${index}` })).listenerId);
    const secondServersDb = createPrismaClient(database.url ?? database.pglite!);
    const first = runner();
    const second = runner({ db: secondServersDb });
    try {
      await Promise.all([first.start(), second.start()]);
      const deliveryIds: string[] = [];
      for (let event = 0; event < 10; event++)
        deliveryIds.push(...(await seedEvent(database.db, hook, listenerIds)).deliveryIds);
      await Promise.all([first.deliveriesCreated(), second.deliveriesCreated()]);

      await waitUntil("every delivery succeeded", () => allSucceeded(database.db, deliveryIds), 60_000);
      const ids = target.requests.map((request) => request.headers["webhook-id"] as string);
      expect(ids).toHaveLength(deliveryIds.length);
      expect(new Set(ids)).toEqual(new Set(deliveryIds));
      expect(first.attemptsMade).toBeGreaterThan(0);
      expect(second.attemptsMade).toBeGreaterThan(0);
    } finally {
      await second.stop();
      await secondServersDb.$disconnect();
    }
  });
});
