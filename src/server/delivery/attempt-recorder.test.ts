import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AttemptRecord, NextAction } from "@/core/delivery";
import { createTestDatabase, type TestDatabase } from "@/testing/databases";
import { BatchingAttemptRecorder } from "./attempt-recorder";
import { claimDelivery } from "./lifecycle";
import type { DeliveryContext } from "./delivery-context";
import { AttemptSupersededError, DeliveryGoneError, type RecordAttemptInput } from "./record-attempt";
import { seedEvent, seedHook, seedListener } from "@/testing/seed";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

async function claimedDeliveries(count: number, listener: { consecutiveFailures?: number } = {}) {
  const hook = await seedHook(database.db);
  const { listenerId } = await seedListener(database.db, hook, { url: "http://127.0.0.1:9/", ...listener });
  const { deliveryIds } = await seedEvent(
    database.db,
    hook,
    Array.from({ length: count }, () => listenerId),
  );
  const contexts: DeliveryContext[] = [];
  for (const deliveryId of deliveryIds) {
    const claim = await claimDelivery(database.db, deliveryId, new Date());
    if (!claim.claimed) throw new Error(`could not claim ${deliveryId}`);
    contexts.push(claim.context);
  }
  return { listenerId, contexts };
}

function input(context: DeliveryContext, next: NextAction, status = 200): RecordAttemptInput {
  const record: AttemptRecord = {
    number: context.attemptCount + 1,
    startedAt: new Date(),
    durationMs: 12,
    requestUrl: context.url,
    requestHeaders: { "webhook-id": context.deliveryId },
    responseStatus: status,
    responseHeaders: { "content-type": "text/plain" },
    responseBody: "ok",
    errorClass: next.action === "succeeded" ? null : "http",
    errorMessage: next.action === "succeeded" ? null : `HTTP ${status}`,
    nextAttemptAt: next.action === "retry" ? next.retryAt : null,
  };
  return { context, record, next, disableAfterFailures: 2, now: new Date() };
}

const retryIn = (ms: number): NextAction => ({
  action: "retry",
  retryAt: new Date(Date.now() + ms),
  delayMs: ms,
  basis: "schedule",
});

describe("BatchingAttemptRecorder", () => {
  it("records attempts finishing together, each with its attempt row and delivery state", async () => {
    const { listenerId, contexts } = await claimedDeliveries(8, { consecutiveFailures: 3 });
    const recorder = new BatchingAttemptRecorder(database.db);
    const inputs = contexts.map((context, index) =>
      index % 2 === 0 ? input(context, { action: "succeeded" }) : input(context, retryIn(60_000), 500),
    );

    const recorded = await Promise.all(inputs.map((each) => recorder.record(each)));

    expect(recorded.map((each) => each.status)).toEqual(
      inputs.map((_, index) => (index % 2 === 0 ? "succeeded" : "pending")),
    );
    const deliveries = await database.db.delivery.findMany({
      where: { id: { in: contexts.map((context) => context.deliveryId) } },
      include: { attempts: true },
    });
    for (const each of inputs) {
      const delivery = deliveries.find((candidate) => candidate.id === each.context.deliveryId)!;
      expect(delivery).toMatchObject({
        status: each.next.action === "succeeded" ? "succeeded" : "pending",
        attemptCount: 1,
        lockedUntil: null,
        lastStatusCode: each.record.responseStatus,
        nextAttemptAt: each.record.nextAttemptAt,
      });
      expect(delivery.attempts).toHaveLength(1);
      expect(delivery.attempts[0]).toMatchObject({
        number: 1,
        durationMs: 12,
        requestHeaders: each.record.requestHeaders,
        responseHeaders: { "content-type": "text/plain" },
        responseStatus: each.record.responseStatus,
        errorClass: each.record.errorClass,
        startedAt: each.record.startedAt,
        nextAttemptAt: each.record.nextAttemptAt,
      });
      expect(delivery.attempts[0]!.id).toMatch(/^c[0-9a-z]{24}$/);
    }
    const listener = await database.db.listener.findUniqueOrThrow({ where: { id: listenerId } });
    expect(listener.consecutiveFailures).toBe(0);
  });

  it("stores every attempt's texts exactly, quotes, backslashes, newlines and non-ASCII included", async () => {
    const { contexts } = await claimedDeliveries(3);
    const awkward = ['"quoted" \\ back\\slash', "line\nbreak\ttab {braces} ,commas,", "ünïcødé 😀 \u2028"];
    const inputs = contexts.map((context, index) => {
      const each = input(context, retryIn(60_000), 503);
      each.record.requestHeaders = { "x-awkward": awkward[(index + 2) % 3]! };
      each.record.responseBody = awkward[(index + 1) % 3]!;
      each.record.errorMessage = awkward[(index + 2) % 3]!;
      each.record.responseHeaders = { "x-awkward": awkward[index]! };
      return each;
    });

    await Promise.all(inputs.map((each) => new BatchingAttemptRecorder(database.db).record(each)));

    for (const each of inputs) {
      const attempt = await database.db.deliveryAttempt.findFirstOrThrow({
        where: { deliveryId: each.context.deliveryId },
      });
      expect(attempt).toMatchObject({
        requestHeaders: each.record.requestHeaders,
        responseBody: each.record.responseBody,
        errorMessage: each.record.errorMessage,
        responseHeaders: each.record.responseHeaders,
        nextAttemptAt: each.record.nextAttemptAt,
      });
    }
  });

  it("records the others when one attempt in a batch was already recorded by another runner", async () => {
    const { contexts } = await claimedDeliveries(6);
    const taken = contexts.at(-1)!;
    await database.db.deliveryAttempt.create({
      data: {
        deliveryId: taken.deliveryId,
        projectId: taken.projectId,
        number: 1,
        startedAt: new Date(),
        durationMs: 1,
        requestUrl: taken.url,
        requestHeaders: {},
        requestBody: "",
      },
    });
    const recorder = new BatchingAttemptRecorder(database.db);

    const results = await Promise.allSettled(
      contexts.map((context) => recorder.record(input(context, { action: "succeeded" }))),
    );

    expect(results.slice(0, -1).every((result) => result.status === "fulfilled")).toBe(true);
    const last = results.at(-1)!;
    expect(last.status === "rejected" && last.reason).toBeInstanceOf(AttemptSupersededError);
    const recorded = await database.db.deliveryAttempt.count({
      where: { deliveryId: { in: contexts.map((c) => c.deliveryId) } },
    });
    expect(recorded).toBe(6);
  });

  it("reports a delivery deleted while it was attempted", async () => {
    const { contexts } = await claimedDeliveries(1);
    await database.db.delivery.delete({ where: { id: contexts[0]!.deliveryId } });

    await expect(
      new BatchingAttemptRecorder(database.db).record(input(contexts[0]!, { action: "succeeded" })),
    ).rejects.toBeInstanceOf(DeliveryGoneError);
  });

  it("records a final failure with the listener's failure count, which can disable it", async () => {
    const { listenerId, contexts } = await claimedDeliveries(2);
    const recorder = new BatchingAttemptRecorder(database.db);
    const failed: NextAction = { action: "failed", reason: "exhausted", message: "Gave up after 1 attempt." };

    await recorder.record(input(contexts[0]!, failed, 500));
    const second = await recorder.record(input(contexts[1]!, failed, 500));

    expect(second).toEqual({
      status: "failed",
      listenerDisabled: true,
      consecutiveFailures: 2,
      disabledReason: "Disabled after 2 failed deliveries in a row.",
    });
    const listener = await database.db.listener.findUniqueOrThrow({ where: { id: listenerId } });
    expect(listener).toMatchObject({ consecutiveFailures: 2, enabled: false });
    // When it was disabled: self-healing pings and "re-enable and recover" start from it.
    expect(listener.disabledAt).toEqual(expect.any(Date));
  });
});
