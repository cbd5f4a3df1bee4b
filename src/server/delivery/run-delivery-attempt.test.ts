import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { EMPTY_ALLOWLIST, parseAllowlist } from "@/core/delivery";
import { startReceiver, type ReceiverHandler, type TestReceiver } from "@/testing/receiver";
import { generateSecret, verifyWebhook } from "@/core/signing";
import { createTestDatabase, type TestDatabase } from "@/testing/databases";
import { afterAttempt } from "./outcome";
import { runDeliveryAttempt } from "./run-delivery-attempt";
import { seedEvent, seedHook, seedListener } from "@/testing/seed";
import { getDelivery } from "@/server/services/deliveries-read";

const allowlist = parseAllowlist("127.0.0.1");
/** No jitter, so scheduled times are exact. */
const noJitter = () => 0.5;

let database: TestDatabase;
const receivers: TestReceiver[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

async function receiver(handler?: ReceiverHandler): Promise<TestReceiver> {
  const started = await startReceiver(handler);
  receivers.push(started);
  return started;
}

function answer(status: number, headers: Record<string, string> = {}, body = ""): ReceiverHandler {
  return (_, response) => {
    response.writeHead(status, headers);
    response.end(body);
  };
}

async function oneDelivery(
  url: string,
  setup: {
    hook?: Parameters<typeof seedHook>[1];
    listener?: Omit<Parameters<typeof seedListener>[2], "url">;
  } = {},
) {
  const hook = await seedHook(database.db, setup.hook);
  const { listenerId, secret } = await seedListener(database.db, hook, { url, ...setup.listener });
  const payload = { name: "Ada", email: "ada@example.test" };
  const { eventId, deliveryIds } = await seedEvent(database.db, hook, [listenerId], payload);
  return { hook, listenerId, secret, eventId, deliveryId: deliveryIds[0]!, payload };
}

const inSeconds = (seconds: number) => () => new Date(Date.now() + seconds * 1000);

describe("runDeliveryAttempt", () => {
  it("delivers, signs with the listener's secret and records the attempt and the delivery", async () => {
    const target = await receiver(answer(200, { "content-type": "text/plain" }, "thanks"));
    const { deliveryId, eventId, secret, payload, hook } = await oneDelivery(`${target.url}/hooks`);

    const outcome = await runDeliveryAttempt(database.db, deliveryId, { allowlist });

    expect(outcome).toMatchObject({
      kind: "attempted",
      attemptNumber: 1,
      status: "succeeded",
      responseStatus: 200,
    });
    expect(afterAttempt(outcome)).toEqual({ kind: "done" });
    expect(target.requests).toHaveLength(1);
    const request = target.requests[0]!;
    expect(request.path).toBe("/hooks");
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.headers["webhook-id"]).toBe(deliveryId);
    expect(request.headers["durian-hook"]).toBe(hook.hookName);
    expect(request.headers["durian-event-id"]).toBe(eventId);
    expect(request.headers["user-agent"]).toMatch(/^Durian\//);
    expect(JSON.parse(request.body)).toEqual(payload);
    await expect(verifyWebhook({ secret, headers: request.headers, body: request.body })).resolves.toEqual(
      payload,
    );

    const delivery = await database.db.delivery.findUniqueOrThrow({
      where: { id: deliveryId },
      include: { attempts: true },
    });
    expect(delivery).toMatchObject({
      status: "succeeded",
      attemptCount: 1,
      nextAttemptAt: null,
      lockedUntil: null,
      lastStatusCode: 200,
    });
    expect(delivery.lastAttemptAt).toBeInstanceOf(Date);
    const attempt = delivery.attempts[0]!;
    expect(attempt).toMatchObject({
      number: 1,
      requestUrl: `${target.url}/hooks`,
      // Not copied: read back, the body is rebuilt from the event, as it was sent.
      requestBody: null,
      bodyEnvelope: false,
      bodyConfig: null,
      responseStatus: 200,
      responseBody: "thanks",
      errorClass: null,
      nextAttemptAt: null,
    });
    const read = await getDelivery(delivery.projectId, deliveryId, database.db);
    expect(read.attempts[0]!.requestBody).toBe(request.body);
    // Without the fields of the event's version, the payload is shown as stored: here, as it was sent.
    await database.db.hookVersion.deleteMany({ where: { hookId: hook.hookId } });
    const withoutVersion = await getDelivery(delivery.projectId, deliveryId, database.db);
    expect(withoutVersion.attempts[0]!.requestBody).toBe(request.body);
    expect(attempt.responseHeaders).toMatchObject({ "content-type": "text/plain" });
    const recordedHeaders = attempt.requestHeaders as Record<string, string>;
    expect(recordedHeaders["webhook-id"]).toBe(deliveryId);
    expect(JSON.stringify(recordedHeaders)).not.toContain(secret.slice("whsec_".length));
  });

  it("retries a 500 later with the same webhook-id, then succeeds", async () => {
    const target = await receiver((_, response, index) => {
      response.writeHead(index === 0 ? 500 : 200);
      response.end(index === 0 ? "boom" : "ok");
    });
    const { deliveryId, secret } = await oneDelivery(target.url);

    const before = Date.now();
    const first = await runDeliveryAttempt(database.db, deliveryId, { allowlist, random: noJitter });
    expect(first).toMatchObject({
      kind: "attempted",
      attemptNumber: 1,
      status: "pending",
      responseStatus: 500,
      errorClass: "http",
    });
    if (first.kind !== "attempted") throw new Error("unreachable");
    // The default schedule's first retry comes 5 s later.
    const retryAt = new Date(first.nextAttemptAt!).getTime();
    expect(retryAt).toBeGreaterThanOrEqual(before + 5_000);
    expect(retryAt).toBeLessThanOrEqual(Date.now() + 5_000);
    expect(afterAttempt(first)).toEqual({ kind: "wait", until: first.nextAttemptAt });

    const tooEarly = await runDeliveryAttempt(database.db, deliveryId, { allowlist });
    expect(tooEarly).toEqual({
      kind: "skipped",
      deliveryId,
      reason: "not-due",
      retryAt: first.nextAttemptAt,
    });
    expect(target.requests).toHaveLength(1);

    const second = await runDeliveryAttempt(database.db, deliveryId, { allowlist, now: inSeconds(6) });
    expect(second).toMatchObject({
      kind: "attempted",
      attemptNumber: 2,
      status: "succeeded",
      responseStatus: 200,
    });

    expect(target.requests.map((request) => request.headers["webhook-id"])).toEqual([deliveryId, deliveryId]);
    for (const request of target.requests) {
      await verifyWebhook({ secret, headers: request.headers, body: request.body });
    }
    const attempts = await database.db.deliveryAttempt.findMany({
      where: { deliveryId },
      orderBy: { number: "asc" },
    });
    expect(attempts.map((attempt) => [attempt.number, attempt.responseStatus, attempt.errorClass])).toEqual([
      [1, 500, "http"],
      [2, 200, null],
    ]);
    expect(attempts[0]!.nextAttemptAt?.toISOString()).toBe(first.nextAttemptAt);
    expect(attempts[0]!.responseBody).toBe("boom");
  });

  it("records a timeout when the receiver does not answer within the hook's timeout", async () => {
    const target = await receiver(() => {
      // Never answers.
    });
    const { deliveryId } = await oneDelivery(target.url, { hook: { timeoutMs: 300 } });

    const outcome = await runDeliveryAttempt(database.db, deliveryId, { allowlist });

    expect(outcome).toMatchObject({
      kind: "attempted",
      status: "pending",
      errorClass: "timeout",
      responseStatus: null,
    });
    const attempt = await database.db.deliveryAttempt.findFirstOrThrow({ where: { deliveryId } });
    expect(attempt.errorClass).toBe("timeout");
    expect(attempt.errorMessage).toMatch(/300 ms/);
    expect(attempt.nextAttemptAt).not.toBeNull();
  });

  it("disables the listener on 410 Gone, and later deliveries to it are recorded as not sent", async () => {
    const target = await receiver(answer(410));
    const { deliveryId, listenerId, hook } = await oneDelivery(target.url);

    const outcome = await runDeliveryAttempt(database.db, deliveryId, { allowlist });

    expect(outcome).toMatchObject({
      kind: "attempted",
      status: "failed",
      responseStatus: 410,
      listenerDisabled: true,
    });
    expect(afterAttempt(outcome)).toEqual({ kind: "done" });
    const listener = await database.db.listener.findUniqueOrThrow({ where: { id: listenerId } });
    expect(listener.enabled).toBe(false);
    expect(listener.disabledReason).toMatch(/410/);
    const delivery = await database.db.delivery.findUniqueOrThrow({ where: { id: deliveryId } });
    expect(delivery).toMatchObject({ status: "failed", nextAttemptAt: null, lastStatusCode: 410 });

    const { deliveryIds } = await seedEvent(database.db, hook, [listenerId]);
    const later = await runDeliveryAttempt(database.db, deliveryIds[0]!, { allowlist });

    expect(later).toMatchObject({ kind: "not-sent", status: "failed", reason: "listener-disabled" });
    expect(target.requests).toHaveLength(1);
    const notSent = await database.db.deliveryAttempt.findFirstOrThrow({
      where: { deliveryId: deliveryIds[0]! },
    });
    expect(notSent.errorClass).toBe("blocked");
    expect(notSent.errorMessage).toContain(listener.disabledReason!);
    expect(notSent.responseStatus).toBeNull();
    const unchanged = await database.db.listener.findUniqueOrThrow({ where: { id: listenerId } });
    expect(unchanged.consecutiveFailures).toBe(listener.consecutiveFailures);
  });

  it("waits as long as a 429's Retry-After asks", async () => {
    const target = await receiver(answer(429, { "retry-after": "120" }));
    const { deliveryId } = await oneDelivery(target.url);

    const before = Date.now();
    const outcome = await runDeliveryAttempt(database.db, deliveryId, { allowlist, random: noJitter });

    expect(outcome).toMatchObject({ kind: "attempted", status: "pending", responseStatus: 429 });
    if (outcome.kind !== "attempted") throw new Error("unreachable");
    const waitMs = new Date(outcome.nextAttemptAt!).getTime() - before;
    // 120 s, not the schedule's 5 s.
    expect(waitMs).toBeGreaterThanOrEqual(119_000);
    expect(waitMs).toBeLessThanOrEqual(121_000);
  });

  it("records a blocked destination without sending, and fails the delivery at once", async () => {
    const target = await receiver(answer(200));
    const { deliveryId, listenerId } = await oneDelivery(target.url);

    const outcome = await runDeliveryAttempt(database.db, deliveryId, { allowlist: EMPTY_ALLOWLIST });

    expect(outcome).toMatchObject({
      kind: "attempted",
      status: "failed",
      errorClass: "blocked",
      responseStatus: null,
    });
    expect(target.requests).toHaveLength(0);
    const attempt = await database.db.deliveryAttempt.findFirstOrThrow({ where: { deliveryId } });
    expect(attempt.errorClass).toBe("blocked");
    expect(attempt.errorMessage).toBeTruthy();
    const listener = await database.db.listener.findUniqueOrThrow({ where: { id: listenerId } });
    expect(listener.consecutiveFailures).toBe(1);
  });

  it("wraps the payload in an envelope when the listener asks for it", async () => {
    const target = await receiver(answer(204));
    const { deliveryId, payload, hook, secret } = await oneDelivery(target.url, {
      listener: { envelope: true },
    });

    await runDeliveryAttempt(database.db, deliveryId, { allowlist });

    const request = target.requests[0]!;
    const event = await database.db.event.findFirstOrThrow({
      where: { deliveries: { some: { id: deliveryId } } },
    });
    expect(JSON.parse(request.body)).toEqual({
      type: hook.hookName,
      version: 1,
      timestamp: event.createdAt.toISOString(),
      data: payload,
    });
    expect(request.headers["durian-hook-version"]).toBe("1");
    await verifyWebhook({ secret, headers: request.headers, body: request.body });
  });

  it("signs with both secrets during a rotation, and only the current one after it", async () => {
    const target = await receiver(answer(200));
    const previousSecret = generateSecret();
    const rotating = await oneDelivery(target.url, {
      listener: { previousSecret, previousSecretUntil: new Date(Date.now() + 60 * 60 * 1000) },
    });
    const rotated = await oneDelivery(target.url, {
      listener: { previousSecret, previousSecretUntil: new Date(Date.now() - 1000) },
    });

    await runDeliveryAttempt(database.db, rotating.deliveryId, { allowlist });
    await runDeliveryAttempt(database.db, rotated.deliveryId, { allowlist });

    const [during, after] = target.requests;
    expect(String(during!.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    await verifyWebhook({ secret: rotating.secret, headers: during!.headers, body: during!.body });
    await verifyWebhook({ secret: previousSecret, headers: during!.headers, body: during!.body });
    expect(String(after!.headers["webhook-signature"]).split(" ")).toHaveLength(1);
    await verifyWebhook({ secret: rotated.secret, headers: after!.headers, body: after!.body });
    await expect(
      verifyWebhook({ secret: previousSecret, headers: after!.headers, body: after!.body }),
    ).rejects.toThrow(/no webhook-signature matches/);
  });

  it("sends the listener's custom headers, which cannot replace Durian's", async () => {
    const target = await receiver(answer(200));
    const { deliveryId } = await oneDelivery(target.url, {
      listener: { headers: { "x-team": "billing", "webhook-id": "spoofed", authorization: "Bearer t0ken" } },
    });
    const warnings: string[] = [];

    await runDeliveryAttempt(database.db, deliveryId, {
      allowlist,
      warn: (message) => warnings.push(message),
    });

    const request = target.requests[0]!;
    expect(request.headers["x-team"]).toBe("billing");
    expect(request.headers["authorization"]).toBe("Bearer t0ken");
    expect(request.headers["webhook-id"]).toBe(deliveryId);
    expect(warnings.join("\n")).toMatch(/webhook-id/);
    const attempt = await database.db.deliveryAttempt.findFirstOrThrow({ where: { deliveryId } });
    expect(JSON.stringify(attempt.requestHeaders)).not.toContain("t0ken");
  });

  it("disables a listener after the configured number of failed deliveries in a row; a success resets the count", async () => {
    const target = await receiver(answer(200));
    const hook = await seedHook(database.db);
    const { listenerId } = await seedListener(database.db, hook, { url: target.url });
    const { deliveryIds } = await seedEvent(database.db, hook, [listenerId, listenerId, listenerId]);
    const options = { allowlist: EMPTY_ALLOWLIST, disableAfterFailures: 2 };

    await runDeliveryAttempt(database.db, deliveryIds[0]!, options);
    expect(await database.db.listener.findUniqueOrThrow({ where: { id: listenerId } })).toMatchObject({
      enabled: true,
      consecutiveFailures: 1,
    });
    const second = await runDeliveryAttempt(database.db, deliveryIds[1]!, options);

    expect(second).toMatchObject({ kind: "attempted", status: "failed", listenerDisabled: true });
    const disabled = await database.db.listener.findUniqueOrThrow({ where: { id: listenerId } });
    expect(disabled).toMatchObject({ enabled: false, consecutiveFailures: 2 });
    expect(disabled.disabledReason).toMatch(/2 failed deliveries in a row/);

    await database.db.listener.update({
      where: { id: listenerId },
      data: { enabled: true, disabledReason: null },
    });
    const success = await runDeliveryAttempt(database.db, deliveryIds[2]!, { allowlist });
    expect(success).toMatchObject({ kind: "attempted", status: "succeeded" });
    expect(await database.db.listener.findUniqueOrThrow({ where: { id: listenerId } })).toMatchObject({
      consecutiveFailures: 0,
    });
  });

  it("gives a delivery to one caller at a time", async () => {
    let answerFirst: () => void = () => {};
    const target = await receiver((_, response) => {
      answerFirst = () => response.end("ok");
    });
    const { deliveryId } = await oneDelivery(target.url);

    const first = runDeliveryAttempt(database.db, deliveryId, { allowlist });
    await waitFor(() => target.requests.length === 1);
    const second = await runDeliveryAttempt(database.db, deliveryId, { allowlist });
    answerFirst();

    expect(second).toMatchObject({ kind: "skipped", reason: "leased" });
    expect(afterAttempt(second).kind).toBe("wait");
    expect(await first).toMatchObject({ kind: "attempted", status: "succeeded" });
    const afterwards = await runDeliveryAttempt(database.db, deliveryId, { allowlist });
    expect(afterwards).toEqual({ kind: "skipped", deliveryId, reason: "finished", retryAt: null });
    expect(target.requests).toHaveLength(1);
  });

  it("reports a delivery that does not exist", async () => {
    const outcome = await runDeliveryAttempt(database.db, "no-such-delivery", { allowlist });
    expect(outcome).toEqual({
      kind: "skipped",
      deliveryId: "no-such-delivery",
      reason: "not-found",
      retryAt: null,
    });
    expect(afterAttempt(outcome)).toEqual({ kind: "done" });
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
