import { afterEach, describe, expect, it } from "vitest";
import { previousSecretExpiry } from "../signing/rotation";
import { generateSecret } from "../signing/secret";
import { verifyWebhook } from "../signing/verify";
import { EMPTY_ALLOWLIST, parseAllowlist } from "./allowlist";
import { performDeliveryAttempt, type PerformAttemptInput } from "./perform-attempt";
import { startReceiver, type TestReceiver } from "@/testing/receiver";

const receivers: TestReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

function inputFor(url: string, overrides: Partial<PerformAttemptInput> = {}): PerformAttemptInput {
  return {
    deliveryId: "dlv_e2e",
    attemptNumber: 1,
    event: {
      id: "evt_1",
      hookName: "person.created",
      hookVersion: 1,
      payload: { name: "John" },
      createdAt: new Date(),
    },
    listener: {
      url,
      envelope: false,
      headers: { "X-Team": "payments", Authorization: "Bearer hidden" },
      secret: generateSecret(),
    },
    hook: { timeoutMs: 5_000, retrySchedule: [], providesArgs: ["name"] },
    allowlist: parseAllowlist("127.0.0.1"),
    random: () => 0.5,
    ...overrides,
  };
}

describe("performDeliveryAttempt", () => {
  it("delivers a verifiable request, then retries a 500 with the same webhook-id until a 200", async () => {
    const receiver = await startReceiver((_, response, index) => {
      response.statusCode = index === 0 ? 500 : 200;
      response.end(index === 0 ? "down" : "ok");
    });
    receivers.push(receiver);
    const input = inputFor(`${receiver.url}/hooks`);

    const first = await performDeliveryAttempt(input);
    expect(first.next).toMatchObject({ action: "retry", delayMs: 5_000, basis: "schedule" });
    expect(first.record).toMatchObject({
      number: 1,
      requestUrl: `${receiver.url}/hooks`,
      responseStatus: 500,
      responseBody: "down",
      errorClass: "http",
    });
    expect(first.record.nextAttemptAt).toEqual(first.next.action === "retry" ? first.next.retryAt : null);
    expect(first.record.requestHeaders.authorization).toBe("[redacted]");

    const second = await performDeliveryAttempt({ ...input, attemptNumber: 2 });
    expect(second.next).toEqual({ action: "succeeded" });
    expect(second.record).toMatchObject({
      number: 2,
      responseStatus: 200,
      errorClass: null,
      nextAttemptAt: null,
    });

    expect(receiver.requests).toHaveLength(2);
    const ids = receiver.requests.map((request) => request.headers["webhook-id"]);
    expect(ids).toEqual(["dlv_e2e", "dlv_e2e"]);
    for (const request of receiver.requests) {
      expect(request.headers.authorization).toBe("Bearer hidden");
      expect(request.headers["x-team"]).toBe("payments");
      expect(request.headers["durian-event-id"]).toBe("evt_1");
      await expect(
        verifyWebhook({
          secret: input.listener.secret,
          headers: request.headers as Record<string, string>,
          body: request.body,
        }),
      ).resolves.toEqual({ name: "John" });
    }
  });

  it("signs with the previous secret too while the rotation window lasts", async () => {
    const receiver = await startReceiver();
    receivers.push(receiver);
    const previous = generateSecret();
    const input = inputFor(receiver.url);
    await performDeliveryAttempt({
      ...input,
      listener: {
        ...input.listener,
        previousSecret: previous,
        previousSecretUntil: previousSecretExpiry(new Date()),
      },
    });
    const request = receiver.requests[0]!;
    await expect(
      verifyWebhook({
        secret: previous,
        headers: request.headers as Record<string, string>,
        body: request.body,
      }),
    ).resolves.toEqual({ name: "John" });
  });

  it("turns 410 Gone into disabling the listener", async () => {
    const receiver = await startReceiver((_, response) => {
      response.statusCode = 410;
      response.end();
    });
    receivers.push(receiver);
    const { next, record } = await performDeliveryAttempt(inputFor(receiver.url, { attemptNumber: 3 }));
    expect(next.action).toBe("disable-listener");
    expect(record).toMatchObject({ number: 3, responseStatus: 410, nextAttemptAt: null });
  });

  it("records a blocked destination as an attempt and stops", async () => {
    const receiver = await startReceiver();
    receivers.push(receiver);
    const { next, record } = await performDeliveryAttempt(
      inputFor(receiver.url, { allowlist: EMPTY_ALLOWLIST }),
    );
    expect(next).toMatchObject({ action: "failed", reason: "blocked" });
    expect(record).toMatchObject({ errorClass: "blocked", responseStatus: null });
    expect(record.errorMessage).toContain("loopback");
    expect(receiver.requests).toHaveLength(0);
  });

  it("sends only the fields the hook provides today, whatever the stored payload holds", async () => {
    const receiver = await startReceiver((_, response) => response.end("ok"));
    receivers.push(receiver);
    const input = inputFor(receiver.url, {
      event: {
        id: "evt_2",
        hookName: "person.created",
        hookVersion: 1,
        payload: { name: "John", address: "Queens", phone: "212" },
        createdAt: new Date(),
      },
      hook: { timeoutMs: 5_000, retrySchedule: [], providesArgs: ["phone", "name"] },
    });
    await performDeliveryAttempt(input);
    expect(JSON.parse(receiver.requests[0]!.body)).toEqual({ phone: "212", name: "John" });
  });

  it("follows a hook's own schedule and reports when it runs out", async () => {
    const receiver = await startReceiver((_, response) => {
      response.statusCode = 503;
      response.end();
    });
    receivers.push(receiver);
    const input = inputFor(receiver.url, {
      hook: { timeoutMs: 5_000, retrySchedule: [1], providesArgs: ["name"] },
    });
    expect((await performDeliveryAttempt(input)).next).toMatchObject({ action: "retry", delayMs: 1_000 });
    expect((await performDeliveryAttempt({ ...input, attemptNumber: 2 })).next).toMatchObject({
      action: "failed",
      reason: "exhausted",
    });
  });
});
