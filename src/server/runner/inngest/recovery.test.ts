import { InngestTestEngine } from "@inngest/test";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { parseAllowlist } from "@/core/delivery";
import { startReceiver, type ReceiverHandler, type TestReceiver } from "@/testing/receiver";
import type { Prisma } from "@/generated/prisma/client";
import { createTestDatabase, type TestDatabase } from "@/testing/databases";
import { seedEvent, seedHook, seedListener, type SeededHook } from "@/testing/seed";
import { retryDelivery } from "@/server/services/events/retry-delivery";
import { sendEvent } from "@/server/services/events/send-event";
import { createInngestClient } from "./client";
import { DELIVERY_REQUESTED, EVENT_ACCEPTED } from "./events";
import { RECOVERY_GRACE_MS, type StrandedDelivery } from "./find-stranded-deliveries";
import { MAX_ATTEMPT_ROUNDS } from "@/server/jobs/delivery-job";
import { createDeliveryFunctions } from "./functions";
import { recoveryEventId } from "./recovery-event";
import { InngestRunner } from "./runner";
import { startInngestStub } from "@/testing/inngest-stub";

// The recovery sweep (a cron function) and recovery requests, run by @inngest/test against a real
// database: `step.sendEvent` and `step.sleepUntil` are mocked by step id, step bodies are real.

const MINUTE = 60 * 1000;
const allowlist = parseAllowlist("127.0.0.1");
const CRON_TICK = { name: "inngest/scheduled.timer", data: { cron: "* * * * *" } };

interface SentEvent {
  name: string;
  id: string;
  data: { projectId: string; deliveryId: string; listenerId: string; recovery?: boolean };
}

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
// The sweep looks at every project's deliveries: each test starts with none.
beforeEach(async () => {
  await database.db.delivery.deleteMany();
});
afterEach(async () => {
  clockOffsetMs = 0;
  vi.restoreAllMocks();
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

async function receiver(handler?: ReceiverHandler): Promise<TestReceiver> {
  const started = await startReceiver(handler);
  receivers.push(started);
  return started;
}

function functions(options: { recoveryBatchSize?: number; recoveryMaxBatches?: number } = {}) {
  return createDeliveryFunctions(createInngestClient({ isDev: true }), {
    db: () => database.db,
    attemptOptions: () => ({ allowlist, now: () => new Date(Date.now() + clockOffsetMs), random: () => 0.5 }),
    projectConcurrency: 50,
    listenerConcurrency: 5,
    ...options,
  });
}

/** Runs one sweep; `batches` is how many `request-stranded-N` sends are mocked (they must not reach Inngest). */
async function sweep(
  options: { batches?: number; recoveryBatchSize?: number; recoveryMaxBatches?: number } = {},
) {
  const mockedSends = [
    ...Array.from({ length: options.batches ?? 3 }, (_, batch) => `request-stranded-${batch}`),
    "request-stalled-fan-outs",
  ].map((id) => ({ id, handler: () => ({ ids: [] }) }));
  const { result, ctx, error } = await new InngestTestEngine({
    function: functions(options).recover,
  }).execute({
    events: [CRON_TICK],
    steps: mockedSends,
  });
  if (error) throw error;
  const sendCalls = ctx.step.sendEvent.mock.calls as unknown as [string, SentEvent[]][];
  return {
    result: result as { fanOuts: number; requested: number; batchLimitReached: boolean },
    sendCalls,
    sent: sendCalls.flatMap(([, events]) => events),
  };
}

/**
 * Every sleep of an attempt run mocked to end at once: `step.sleepUntil` never settles unless mocked,
 * and a run that sleeps where a test expects none should fail the test rather than hang it.
 */
function sleepsEndAtOnce() {
  return Array.from({ length: MAX_ATTEMPT_ROUNDS }, (_, index) => ({
    id: `wait-${index + 1}`,
    handler: () => null,
  }));
}

async function hookWithListener(url = "http://127.0.0.1:9/", hook: Parameters<typeof seedHook>[1] = {}) {
  const seeded = await seedHook(database.db, hook);
  const { listenerId } = await seedListener(database.db, seeded, { url });
  return { hook: seeded, listenerId };
}

/** A delivery of a new event, then put in the given state. */
async function deliveryIn(
  { hook, listenerId }: { hook: SeededHook; listenerId: string },
  state: Prisma.DeliveryUncheckedUpdateInput,
): Promise<string> {
  const { deliveryIds } = await seedEvent(database.db, hook, [listenerId]);
  const id = deliveryIds[0]!;
  await database.db.delivery.update({ where: { id }, data: state });
  return id;
}

const ago = (ms: number) => new Date(Date.now() - ms);
const fromNow = (ms: number) => new Date(Date.now() + ms);
/** Due for longer than the grace period. */
const longDue = () => ago(RECOVERY_GRACE_MS + 10 * MINUTE);

describe("the recovery sweep", () => {
  it("asks again for stranded deliveries only: due past the grace period and held by nobody", async () => {
    const target = await hookWithListener();
    const { projectId } = target.hook;
    const createdAt = longDue();
    const neverAnnounced = await deliveryIn(target, { createdAt, nextAttemptAt: createdAt });
    const retriedButNotRequested = await deliveryIn(target, { attemptCount: 2, nextAttemptAt: longDue() });
    const leaseRanOut = await deliveryIn(target, {
      status: "delivering",
      attemptCount: 1,
      nextAttemptAt: longDue(),
      lockedUntil: longDue(),
    });

    // Not stranded:
    await deliveryIn(target, { nextAttemptAt: ago(RECOVERY_GRACE_MS - MINUTE) }); // due, but only for a moment
    await deliveryIn(target, { attemptCount: 1, nextAttemptAt: fromNow(10 * MINUTE) }); // its loop sleeps until then
    await deliveryIn(target, {
      status: "delivering",
      nextAttemptAt: longDue(),
      lockedUntil: fromNow(MINUTE),
    }); // being attempted
    await deliveryIn(target, { status: "delivering", nextAttemptAt: longDue(), lockedUntil: ago(MINUTE) }); // its run may take it back
    await deliveryIn(target, { status: "succeeded", attemptCount: 1, nextAttemptAt: null });
    await deliveryIn(target, { status: "succeeded", attemptCount: 1, nextAttemptAt: longDue() });
    await deliveryIn(target, { status: "failed", attemptCount: 3, nextAttemptAt: null });

    const { result, sent } = await sweep();

    expect(result).toEqual({ fanOuts: 0, requested: 3, batchLimitReached: false });
    expect(sent.map((event) => event.data.deliveryId).sort()).toEqual(
      [neverAnnounced, retriedButNotRequested, leaseRanOut].sort(),
    );
    for (const event of sent) {
      expect(event).toEqual({
        name: DELIVERY_REQUESTED,
        id: event.id,
        data: { projectId, deliveryId: event.data.deliveryId, listenerId: target.listenerId, recovery: true },
      });
    }
    const idOf = new Map(sent.map((event) => [event.data.deliveryId, event.id]));
    // The fan-out's own event id: Inngest drops it if the fan-out's request did arrive.
    expect(idOf.get(neverAnnounced)).toBe(neverAnnounced);
    expect(idOf.get(retriedButNotRequested)).toMatch(
      new RegExp(`^recover:${retriedButNotRequested}:2:\\d+$`),
    );
    expect(idOf.get(leaseRanOut)).toMatch(new RegExp(`^recover:${leaseRanOut}:1:\\d+:\\d+$`));
  });

  it("sends the same event ids on every sweep while nothing changed, and a new one once the delivery moved on", async () => {
    const target = await hookWithListener();
    const id = await deliveryIn(target, { attemptCount: 1, nextAttemptAt: longDue() });

    const first = await sweep();
    const second = await sweep();
    await database.db.delivery.update({ where: { id }, data: { attemptCount: 2, nextAttemptAt: longDue() } });
    const third = await sweep();

    expect(first.sent.map((event) => event.id)).toEqual(second.sent.map((event) => event.id));
    expect(third.sent).toHaveLength(1);
    expect(third.sent[0]!.id).not.toBe(first.sent[0]!.id);
  });

  it("sends in batches of the batch size, oldest due first, and stops at the batch limit", async () => {
    const target = await hookWithListener();
    const ids: string[] = [];
    for (let minutes = 50; minutes > 0; minutes -= 10) {
      ids.push(
        await deliveryIn(target, {
          attemptCount: 1,
          nextAttemptAt: ago(RECOVERY_GRACE_MS + minutes * MINUTE),
        }),
      );
    }

    const limited = await sweep({ recoveryBatchSize: 2, recoveryMaxBatches: 2 });

    expect(limited.result).toEqual({ fanOuts: 0, requested: 4, batchLimitReached: true });
    expect(
      limited.sendCalls.map(([stepId, events]) => [stepId, events.map((event) => event.data.deliveryId)]),
    ).toEqual([
      ["request-stranded-0", ids.slice(0, 2)],
      ["request-stranded-1", ids.slice(2, 4)],
    ]);

    const all = await sweep({ recoveryBatchSize: 2, recoveryMaxBatches: 5 });

    expect(all.result).toEqual({ fanOuts: 0, requested: 5, batchLimitReached: false });
    expect(all.sendCalls.map(([, events]) => events.length)).toEqual([2, 2, 1]);
    expect(all.sent.map((event) => event.data.deliveryId)).toEqual(ids);
  });

  it("sends nothing when nothing is stranded", async () => {
    const target = await hookWithListener();
    await deliveryIn(target, { attemptCount: 1, nextAttemptAt: fromNow(MINUTE) });

    const { result, sendCalls } = await sweep();

    expect(result).toEqual({ fanOuts: 0, requested: 0, batchLimitReached: false });
    expect(sendCalls).toHaveLength(0);
  });
});

describe("closing the gap: announcements that never reached Inngest", () => {
  /** An Inngest runner whose Inngest is unreachable (a port on 127.0.0.1 nobody listens on). */
  async function unreachableInngestRunner() {
    const stub = await startInngestStub();
    await stub.close();
    const client = createInngestClient({
      baseUrl: stub.url,
      isDev: false,
      eventKey: "test-event-key",
      signingKey: `signkey-test-${"ef".repeat(32)}`,
    });
    return new InngestRunner(client, () => database.db);
  }

  it("delivers an accepted event whose announcement failed", async () => {
    const received = await receiver();
    const { hook, listenerId } = await hookWithListener(`${received.url}/hook`);
    const notified = vi.spyOn(console, "error").mockImplementation(() => undefined);
    // Accepted past the grace period, while Inngest could not be reached.
    const acceptedAt = longDue();
    const runner = await unreachableInngestRunner();

    const { result } = await sendEvent(
      hook.projectId,
      hook.hookName,
      { payload: { name: "Ada" } },
      {},
      {
        db: database.db,
        runner,
        now: () => acceptedAt,
      },
    );

    expect(notified).toHaveBeenCalledWith(
      expect.stringMatching(/could not notify the delivery runner/),
      expect.anything(),
    );
    // Accepted, not yet matched: its fan-out waits, and nothing else asked for it.
    expect(await database.db.delivery.count({ where: { eventId: result.eventId } })).toBe(0);
    const fanOut = { projectId: hook.projectId, eventId: result.eventId, fanOut: 0 };

    const { sent } = await sweep();
    expect(sent).toEqual([{ name: EVENT_ACCEPTED, id: `fan-out:${result.eventId}:0`, data: fanOut }]);
    // Asked for once: the sweep's claim holds it while the run starts.
    expect((await sweep()).sent).toEqual([]);

    const matched = await new InngestTestEngine({ function: functions().fanOut }).execute({
      events: [sent[0]!],
      steps: [{ id: "request-0", handler: () => ({ ids: [] }) }],
    });
    expect(matched.result).toEqual({ deliveriesRequested: 1, continued: false });
    const requested = (matched.ctx.step.sendEvent.mock.calls as unknown as [string, SentEvent[]][]).flatMap(
      ([, events]) => events,
    );
    const stored = await database.db.delivery.findFirstOrThrow({ where: { eventId: result.eventId } });
    expect(stored).toMatchObject({ status: "pending", attemptCount: 0, listenerId });
    expect(requested).toEqual([
      {
        name: DELIVERY_REQUESTED,
        id: stored.id,
        data: { projectId: hook.projectId, deliveryId: stored.id, listenerId },
      },
    ]);

    const attempt = await new InngestTestEngine({ function: functions().attempt }).execute({
      events: [requested[0]!],
    });
    expect(attempt.result).toMatchObject({
      kind: "attempted",
      deliveryId: stored.id,
      attemptNumber: 1,
      status: "succeeded",
    });
    expect(received.requests.map((request) => request.headers["webhook-id"])).toEqual([stored.id]);

    expect((await sweep()).sent).toEqual([]);
  });

  it("asks again for a retry whose request failed while the delivery's loop slept, but not for the sleeping loop itself", async () => {
    const { hook, listenerId } = await hookWithListener();
    const sleeping = await deliveryIn(
      { hook, listenerId },
      { attemptCount: 1, nextAttemptAt: fromNow(6 * 60 * MINUTE) },
    );
    expect((await sweep()).sent).toEqual([]);
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const retriedAt = longDue();

    await retryDelivery(hook.projectId, sleeping, {
      db: database.db,
      runner: await unreachableInngestRunner(),
      now: () => retriedAt,
    });

    const { sent } = await sweep();
    expect(sent).toEqual([
      {
        name: DELIVERY_REQUESTED,
        id: `recover:${sleeping}:1:${retriedAt.getTime()}`,
        data: { projectId: hook.projectId, deliveryId: sleeping, listenerId, recovery: true },
      },
    ]);
  });
});

describe("a recovery request", () => {
  it("ends without waiting when another run attempted the delivery before it", async () => {
    const received = await receiver();
    const target = await hookWithListener(received.url);
    const id = await deliveryIn(target, { attemptCount: 1, nextAttemptAt: fromNow(10 * MINUTE) });
    const data = {
      projectId: target.hook.projectId,
      deliveryId: id,
      listenerId: target.listenerId,
      recovery: true,
    };

    const { result, ctx } = await new InngestTestEngine({ function: functions().attempt }).execute({
      events: [{ name: DELIVERY_REQUESTED, data }],
      steps: sleepsEndAtOnce(),
    });

    expect(result).toMatchObject({ kind: "skipped", reason: "not-due" });
    expect(ctx.step.sleepUntil).not.toHaveBeenCalled();
    expect(received.requests).toHaveLength(0);
  });

  it("waits out another run's lease, then ends if that run rescheduled the delivery", async () => {
    const target = await hookWithListener();
    const id = await deliveryIn(target, {
      status: "delivering",
      nextAttemptAt: ago(MINUTE),
      lockedUntil: fromNow(MINUTE),
    });
    const data = {
      projectId: target.hook.projectId,
      deliveryId: id,
      listenerId: target.listenerId,
      recovery: true,
    };

    const { result, ctx } = await new InngestTestEngine({ function: functions().attempt }).execute({
      events: [{ name: DELIVERY_REQUESTED, data }],
      steps: [
        {
          id: "wait-1",
          // Meanwhile the lease holder recorded its attempt and scheduled the next.
          handler: async () => {
            await database.db.delivery.update({
              where: { id },
              data: {
                status: "pending",
                attemptCount: 1,
                nextAttemptAt: fromNow(10 * MINUTE),
                lockedUntil: null,
              },
            });
            return null;
          },
        },
        ...sleepsEndAtOnce().slice(1),
      ],
    });

    expect(ctx.step.run.mock.calls.map(([stepId]) => stepId)).toEqual(["attempt-1", "attempt-2"]);
    expect(result).toMatchObject({ kind: "skipped", reason: "not-due" });
  });

  it("keeps attempting on its schedule once it has attempted the delivery itself", async () => {
    const received = await receiver((_, response, index) => {
      response.writeHead(index === 0 ? 500 : 200);
      response.end();
    });
    const target = await hookWithListener(received.url, { retrySchedule: [300] });
    const id = await deliveryIn(target, {});
    const data = {
      projectId: target.hook.projectId,
      deliveryId: id,
      listenerId: target.listenerId,
      recovery: true,
    };

    const { result } = await new InngestTestEngine({ function: functions().attempt }).execute({
      events: [{ name: DELIVERY_REQUESTED, data }],
      steps: [
        {
          id: "wait-1",
          handler: () => {
            clockOffsetMs += 10 * MINUTE;
            return null;
          },
        },
      ],
    });

    expect(result).toMatchObject({ kind: "attempted", attemptNumber: 2, status: "succeeded" });
    expect(received.requests).toHaveLength(2);
  });
});

describe("recovery event ids", () => {
  const at = new Date("2026-03-01T12:00:00.000Z");
  const base: StrandedDelivery = {
    id: "cdelivery",
    projectId: "p",
    listenerId: "l",
    attemptCount: 0,
    nextAttemptAt: at,
    lockedUntil: null,
    createdAt: at,
  };

  it("reuses the fan-out's id for a delivery nothing has touched since it was stored", () => {
    expect(recoveryEventId(base)).toBe("cdelivery");
  });

  it("names the state of any other delivery: attempts, due time and any lease", () => {
    const later = new Date(at.getTime() + 5_000);
    expect(recoveryEventId({ ...base, nextAttemptAt: later })).toBe(`recover:cdelivery:0:${later.getTime()}`);
    expect(recoveryEventId({ ...base, attemptCount: 3 })).toBe(`recover:cdelivery:3:${at.getTime()}`);
    expect(recoveryEventId({ ...base, lockedUntil: later })).toBe(
      `recover:cdelivery:0:${at.getTime()}:${later.getTime()}`,
    );
  });
});
