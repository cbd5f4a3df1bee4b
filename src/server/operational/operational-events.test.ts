import { describe, expect, it } from "vitest";
import { useEngineTestbed } from "@/testing/engine-testbed";
import { hookDefinitionSchema, listHooksQuerySchema } from "@/contracts/hooks";
import { parseAllowlist } from "@/core/delivery";
import { type ReceiverHandler } from "@/testing/receiver";
import { verifyWebhook } from "@/core/signing";
import { seedHook, seedListener } from "@/testing/seed";
import { EmbeddedRunner } from "@/server/runner/embedded";
import { memoryLog, waitUntil } from "@/testing/runner";
import { sendEvent } from "@/server/services/events/send-event";
import { deleteHook, listHooks, listOperationalHooks, putHook } from "@/server/services/hooks";
import { listenerIndexKey } from "@/core/filter";
import type { Prisma } from "@/generated/prisma/client";
import { ensureOperationalHooks, OPERATIONAL_HOOKS } from "./hooks";

// Operational events end to end: a real embedded runner delivers a hook's events to a real failing
// receiver until the listener is disabled; the events that causes are sent through the ordinary path
// to listeners subscribed to Durian's own hooks, on real receivers.

const allowlist = parseAllowlist("127.0.0.1");
const failing: ReceiverHandler = (_, response) => {
  response.statusCode = 500;
  response.end("down");
};

const testbed = useEngineTestbed();
const receiver = testbed.receiver;

async function startedRunner(options: { disableAfterFailures: number; failingAfterFailures: number }) {
  const runner = new EmbeddedRunner({
    db: testbed.database.db,
    allowlist,
    concurrency: 10,
    listenerConcurrency: 5,
    pollIntervalMs: 50,
    log: memoryLog(),
    ...options,
  });
  testbed.track(runner);
  await runner.start();
  return runner;
}

/** Two attempts, the second at once: a delivery to a receiver that is down fails within the test. */
const QUICK_SCHEDULE = [0];

async function quicklyFailingHook() {
  return seedHook(testbed.database.db, {
    name: "orders",
    providesArgs: ["id"],
    retrySchedule: QUICK_SCHEDULE,
  });
}

/** A listener of one of the project's operational hooks (retried at once too), as a user would add. */
async function subscribe(
  projectId: string,
  hookName: string,
  url: string,
  filter: Record<string, unknown> = {},
) {
  const hook = await testbed.database.db.hook.update({
    where: { projectId_name: { projectId, name: hookName } },
    data: { retrySchedule: QUICK_SCHEDULE },
  });
  const listener = await seedListener(testbed.database.db, { projectId, hookId: hook.id, hookName }, { url });
  await testbed.database.db.listener.update({
    where: { id: listener.listenerId },
    data: { filter: filter as Prisma.InputJsonObject, ...listenerIndexKey(filter) },
  });
  return listener;
}

async function operationalEvents(projectId: string, hook: string) {
  return testbed.database.db.event.findMany({
    where: { projectId, hookName: hook },
    orderBy: { createdAt: "asc" },
  });
}

describe("operational events", () => {
  it("tells a subscribed listener, signed and through its filter, that a listener was disabled", async () => {
    const hook = await quicklyFailingHook();
    const down = await receiver(failing);
    const { listenerId } = await seedListener(testbed.database.db, hook, { url: down.url });
    await ensureOperationalHooks(testbed.database.db, hook.projectId);
    const alerts = await receiver();
    const subscriber = await subscribe(hook.projectId, OPERATIONAL_HOOKS.listenerDisabled.name, alerts.url, {
      hook: "orders",
    });
    // Its filter matches another hook only: it must get nothing.
    const elsewhere = await receiver();
    await subscribe(hook.projectId, OPERATIONAL_HOOKS.listenerDisabled.name, elsewhere.url, {
      hook: "invoices",
    });
    const runner = await startedRunner({ disableAfterFailures: 2, failingAfterFailures: 1 });

    for (const id of ["1", "2"]) {
      await sendEvent(hook.projectId, "orders", { payload: { id } }, {}, { db: testbed.database.db, runner });
    }

    await waitUntil(
      "the subscriber heard that the listener was disabled",
      () => alerts.requests.length === 1,
    );
    const [alert] = alerts.requests;
    const payload = await verifyWebhook<Record<string, unknown>>({
      secret: subscriber.secret,
      headers: alert!.headers,
      body: alert!.body,
    });
    expect(payload).toEqual({
      listenerId,
      hook: "orders",
      url: down.url,
      reason: "Disabled after 2 failed deliveries in a row.",
      consecutiveFailures: 2,
      disabledAt: expect.any(String),
    });
    expect(alert!.headers["durian-hook"]).toBe(OPERATIONAL_HOOKS.listenerDisabled.name);
    expect(elsewhere.requests).toHaveLength(0);
    // Each failed delivery said it was exhausted; the run of failures was reported once, at the first.
    expect(await operationalEvents(hook.projectId, OPERATIONAL_HOOKS.deliveryExhausted.name)).toHaveLength(2);
    const failingEvents = await operationalEvents(hook.projectId, OPERATIONAL_HOOKS.listenerFailing.name);
    expect(failingEvents.map((event) => event.payload)).toEqual([
      expect.objectContaining({ listenerId, consecutiveFailures: 1, lastStatusCode: 500 }),
    ]);
    expect(failingEvents[0]!.sender).toBe("durian");
  });

  it("creates the project's operational hooks when it has none, and sends no event about an operational event's own deliveries", async () => {
    const hook = await quicklyFailingHook();
    const down = await receiver(failing);
    await seedListener(testbed.database.db, hook, { url: down.url });
    const runner = await startedRunner({ disableAfterFailures: 100, failingAfterFailures: 100 });

    await sendEvent(
      hook.projectId,
      "orders",
      { payload: { id: "1" } },
      {},
      { db: testbed.database.db, runner },
    );
    const exhausted = OPERATIONAL_HOOKS.deliveryExhausted.name;
    await waitUntil("the exhausted delivery was reported", async () => {
      return (await operationalEvents(hook.projectId, exhausted)).length === 1;
    });
    expect(await listOperationalHooks(hook.projectId, testbed.database.db)).toHaveLength(4);

    // A subscriber whose own receiver is down: its failed deliveries must not report themselves.
    const alertsDown = await receiver(failing);
    const subscriber = await subscribe(hook.projectId, exhausted, alertsDown.url);
    await sendEvent(
      hook.projectId,
      "orders",
      { payload: { id: "2" } },
      {},
      { db: testbed.database.db, runner },
    );
    await waitUntil("the subscriber's delivery failed", async () => {
      const delivery = await testbed.database.db.delivery.findFirst({
        where: { listenerId: subscriber.listenerId },
      });
      return delivery?.status === "failed";
    });
    await runner.stop();
    expect(alertsDown.requests).toHaveLength(QUICK_SCHEDULE.length + 1);
    // One for each delivery of "orders", none for the subscriber's own failed delivery.
    expect(await operationalEvents(hook.projectId, exhausted)).toHaveLength(2);
    const subscriberAfter = await testbed.database.db.listener.findUniqueOrThrow({
      where: { id: subscriber.listenerId },
    });
    expect(subscriberAfter.consecutiveFailures).toBe(1);
  });
});

describe("operational hooks", () => {
  it("are Durian's: listed apart, and neither defined, deleted nor sent to by users", async () => {
    const hook = await seedHook(testbed.database.db, { name: "orders" });
    await ensureOperationalHooks(testbed.database.db, hook.projectId);

    const listed = await listHooks(hook.projectId, listHooksQuerySchema.parse({}), testbed.database.db);
    expect(listed.items.map((item) => item.name)).toEqual(["orders"]);
    expect(
      (await listOperationalHooks(hook.projectId, testbed.database.db)).map((item) => item.name),
    ).toEqual([
      "durian.delivery.exhausted",
      "durian.listener.disabled",
      "durian.listener.failing",
      "durian.listener.recovered",
    ]);
    const definition = hookDefinitionSchema.parse({ providesArgs: ["x"] });
    const reserved = { name: "ValidationError", fieldErrors: [expect.objectContaining({ path: "name" })] };
    await expect(
      putHook(hook.projectId, "durian.listener.disabled", definition, testbed.database.db),
    ).rejects.toMatchObject(reserved);
    await expect(
      putHook(hook.projectId, "durian.mine", definition, testbed.database.db),
    ).rejects.toMatchObject(reserved);
    await expect(
      deleteHook(hook.projectId, "durian.listener.disabled", testbed.database.db),
    ).rejects.toMatchObject(reserved);
    await expect(
      sendEvent(
        hook.projectId,
        "durian.listener.disabled",
        { payload: { listenerId: "x" } },
        {},
        { db: testbed.database.db },
      ),
    ).rejects.toMatchObject(reserved);
  });
});
