import { InngestTestEngine } from "@inngest/test";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseAllowlist } from "@/core/delivery";
import { startReceiver, type ReceiverHandler, type TestReceiver } from "@/testing/receiver";
import { createTestDatabase, type TestDatabase } from "@/testing/databases";
import { seedEvent, seedHook, seedListener } from "@/testing/seed";
import { RecordingRunner } from "@/testing/api-harness";
import { createInngestClient } from "./client";
import { DELIVERY_REQUESTED, EVENT_ACCEPTED } from "./events";
import { createDeliveryFunctions } from "./functions";

// The Inngest functions run by @inngest/test: real step bodies against a real database and real
// receivers on 127.0.0.1; `step.sendEvent` and `step.sleepUntil` are mocked by step id (a sleep
// mock moves the attempts' clock forward, as the real sleep would let time pass).

const allowlist = parseAllowlist("127.0.0.1");

let database: TestDatabase;
const receivers: TestReceiver[] = [];
/** How far the attempts' clock is ahead of real time; sleep mocks advance it. */
let clockOffsetMs = 0;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});
afterEach(async () => {
  clockOffsetMs = 0;
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

async function receiver(handler?: ReceiverHandler): Promise<TestReceiver> {
  const started = await startReceiver(handler);
  receivers.push(started);
  return started;
}

function functions() {
  return createDeliveryFunctions(createInngestClient({ isDev: true }), {
    db: () => database.db,
    // Operational events (a delivery exhausted, a listener disabled) are fanned out at once here.
    runner: () => new RecordingRunner(() => database.db),
    attemptOptions: () => ({ allowlist, now: () => new Date(Date.now() + clockOffsetMs), random: () => 0.5 }),
    projectConcurrency: 50,
    listenerConcurrency: 5,
    fanOutPageSize: 2,
  });
}

/** A mocked `step.sleepUntil`: time passes until the requested moment. */
function sleepPasses(id: string) {
  return {
    id,
    handler() {
      clockOffsetMs += 10 * 60 * 1000;
      return null;
    },
  };
}

async function delivery(url: string, hook: Parameters<typeof seedHook>[1] = {}) {
  const seeded = await seedHook(database.db, hook);
  const { listenerId } = await seedListener(database.db, seeded, { url });
  const { deliveryIds } = await seedEvent(database.db, seeded, [listenerId]);
  const data = { projectId: seeded.projectId, deliveryId: deliveryIds[0]!, listenerId };
  return { ...data, event: { name: DELIVERY_REQUESTED, data } };
}

describe("durian/event.accepted", () => {
  it("matches the event page by page, creating each page's deliveries and asking for each by its id", async () => {
    const hook = await seedHook(database.db);
    const listenerIds: string[] = [];
    for (const path of ["a", "b", "c", "d", "e"]) {
      listenerIds.push(
        (await seedListener(database.db, hook, { url: `http://127.0.0.1:9/${path}` })).listenerId,
      );
    }
    // Matches nobody: it must not get a delivery.
    await database.db.listener.update({
      where: { id: listenerIds[4]! },
      data: { filter: { name: "Grace" }, indexKind: "exact", indexField: "name", indexValue: "Grace" },
    });
    const { eventId } = await seedEvent(database.db, hook, []);
    await database.db.fanOut.create({
      data: { eventId, number: 0, projectId: hook.projectId, hookId: hook.hookId },
    });
    const request = { name: EVENT_ACCEPTED, data: { projectId: hook.projectId, eventId, fanOut: 0 } };
    const sendsMocked = ["request-0", "request-1", "request-2"].map((id) => ({
      id,
      handler: () => ({ ids: [] }),
    }));

    const { result, ctx } = await new InngestTestEngine({ function: functions().fanOut }).execute({
      events: [request],
      steps: sendsMocked,
    });

    expect(result).toEqual({ deliveriesRequested: 4, continued: false });
    const deliveries = await database.db.delivery.findMany({ where: { eventId } });
    expect(deliveries.map((delivery) => delivery.listenerId).sort()).toEqual(listenerIds.slice(0, 4).sort());
    const sent = ctx.step.sendEvent.mock.calls.flatMap(
      ([, events]) => events as { name: string; id: string; data: unknown }[],
    );
    expect(sent.map((event) => event.id).sort()).toEqual(deliveries.map((delivery) => delivery.id).sort());
    const listenerOf = new Map(deliveries.map((delivery) => [delivery.id, delivery.listenerId]));
    for (const event of sent) {
      expect(event).toEqual({
        name: DELIVERY_REQUESTED,
        id: event.id,
        data: { projectId: hook.projectId, deliveryId: event.id, listenerId: listenerOf.get(event.id) },
      });
    }
    // Pages of two listeners: a, b | c, d | e (no match, so nothing to ask for).
    expect(ctx.step.sendEvent.mock.calls.map(([id]) => id)).toEqual(["request-0", "request-1"]);
    expect(await database.db.fanOut.findFirst({ where: { eventId } })).toMatchObject({
      done: true,
      matched: 4,
    });

    // Asked for again (a repeated request): it is done, so nothing happens twice.
    const again = await new InngestTestEngine({ function: functions().fanOut }).execute({
      events: [request],
    });
    expect(again.result).toEqual({ deliveriesRequested: 0, continued: false });
    expect(await database.db.delivery.count({ where: { eventId } })).toBe(4);
  });
});

describe("durian/delivery.requested", () => {
  it("attempts once and finishes when the receiver accepts", async () => {
    const target = await receiver();
    const { event, deliveryId } = await delivery(target.url);

    const { result, ctx } = await new InngestTestEngine({ function: functions().attempt }).execute({
      events: [event],
    });

    expect(result).toMatchObject({ kind: "attempted", deliveryId, attemptNumber: 1, status: "succeeded" });
    expect(ctx.step.run.mock.calls.map(([id]) => id)).toEqual(["attempt-1"]);
    expect(ctx.step.sleepUntil).not.toHaveBeenCalled();
    expect(target.requests.map((request) => request.headers["webhook-id"])).toEqual([deliveryId]);
  });

  it("sleeps until the scheduled retry and attempts again with the same webhook-id", async () => {
    const target = await receiver((_, response, index) => {
      response.writeHead(index === 0 ? 500 : 200);
      response.end();
    });
    const { event, deliveryId } = await delivery(target.url, { retrySchedule: [300] });

    const { result, ctx } = await new InngestTestEngine({ function: functions().attempt }).execute({
      events: [event],
      steps: [sleepPasses("wait-1")],
    });

    expect(result).toMatchObject({ kind: "attempted", attemptNumber: 2, status: "succeeded" });
    const [sleepId, until] = ctx.step.sleepUntil.mock.calls[0]!;
    expect(sleepId).toBe("wait-1");
    const firstAttempt = await database.db.deliveryAttempt.findFirstOrThrow({
      where: { deliveryId, number: 1 },
    });
    expect(until).toBe(firstAttempt.nextAttemptAt!.toISOString());
    expect(target.requests.map((request) => request.headers["webhook-id"])).toEqual([deliveryId, deliveryId]);
  });

  it("records the final failure when the schedule runs out", async () => {
    const target = await receiver((_, response) => {
      response.writeHead(503);
      response.end();
    });
    const { event, deliveryId } = await delivery(target.url, { retrySchedule: [60] });

    const { result } = await new InngestTestEngine({ function: functions().attempt }).execute({
      events: [event],
      steps: [sleepPasses("wait-1")],
    });

    expect(result).toMatchObject({
      kind: "attempted",
      attemptNumber: 2,
      status: "failed",
      responseStatus: 503,
    });
    const stored = await database.db.delivery.findUniqueOrThrow({ where: { id: deliveryId } });
    expect(stored).toMatchObject({
      status: "failed",
      attemptCount: 2,
      nextAttemptAt: null,
      lastStatusCode: 503,
    });
    expect(target.requests).toHaveLength(2);
  });

  it("stops after 410 Gone with the listener disabled", async () => {
    const target = await receiver((_, response) => {
      response.writeHead(410);
      response.end();
    });
    const { event, listenerId } = await delivery(target.url);

    const { result, ctx } = await new InngestTestEngine({ function: functions().attempt }).execute({
      events: [event],
    });

    expect(result).toMatchObject({ kind: "attempted", status: "failed", listenerDisabled: true });
    expect(ctx.step.sleepUntil).not.toHaveBeenCalled();
    expect(await database.db.listener.findUniqueOrThrow({ where: { id: listenerId } })).toMatchObject({
      enabled: false,
    });
  });

  it("does nothing for a delivery that already finished (a late duplicate run)", async () => {
    const target = await receiver();
    const { event, deliveryId } = await delivery(target.url);
    await database.db.delivery.update({ where: { id: deliveryId }, data: { status: "succeeded" } });

    const { result } = await new InngestTestEngine({ function: functions().attempt }).execute({
      events: [event],
    });

    expect(result).toEqual({ kind: "skipped", deliveryId, reason: "finished", retryAt: null });
    expect(target.requests).toHaveLength(0);
  });

  it("lets a database failure fail the step, so Inngest retries it, on any retry of the run", async () => {
    const { event } = await delivery("http://127.0.0.1:9/");
    const broken = createDeliveryFunctions(createInngestClient({ isDev: true }), {
      db: () => {
        throw new Error("database unreachable");
      },
      attemptOptions: () => ({ allowlist }),
      projectConcurrency: 50,
      listenerConcurrency: 5,
    });

    const { error } = await new InngestTestEngine({
      function: broken.attempt,
      transformCtx: (ctx) => ({ ...ctx, attempt: 3 }),
    }).execute({ events: [event] });

    expect(error).toMatchObject({ message: "database unreachable" });
    expect((error as { name?: string }).name).not.toBe("NonRetriableError");
  });
});
