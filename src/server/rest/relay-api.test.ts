// The relay behind `durian listen`, through the real /api/v1 handler and a real test database: relay
// listeners are opened (or reused), their deliveries never reach a runner, the stream hands them out
// signed, and a report is recorded as the attempt.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyWebhook } from "@/core/signing";
import type { RelayDelivery } from "@/contracts/relay";
import { claimDelivery, claimDueDeliveries, runDeliveryAttempt } from "@/server/delivery";
import { EMPTY_ALLOWLIST } from "@/core/delivery";
import { type ApiHarness, dispatch, startApiHarness } from "@/testing/api-harness";
import { sendTestEvent } from "@/server/services/events/test-event";
import { endRelayStreams } from "./relay-stream";

let api: ApiHarness;

beforeAll(async () => {
  api = await startApiHarness();
  expect((await api.call("PUT", "/hooks/order", { body: { providesArgs: ["id", "total"] } })).status).toBe(
    201,
  );
});

afterAll(async () => {
  await api?.close();
});

async function openRelay(name: string, filter: Record<string, unknown> = {}) {
  return api.call("POST", "/relay/listeners", {
    body: { hook: "order", filter, name, forward: "http://localhost:3000/webhooks" },
  });
}

async function sendOrder(payload: Record<string, unknown>): Promise<string> {
  const sent = await api.call("POST", "/hooks/order/events", { body: { payload } });
  expect(sent.status).toBe(202);
  const event = await api.call("GET", `/events/${sent.body.eventId}`);
  return event.body.deliveries[0].id as string;
}

/**
 * Opens the stream and reads its first `delivery` event. The stream stays open until `close`: one
 * that ends hands back what it handed out and was not reported.
 */
async function openStream(
  listenerId: string,
): Promise<{ first: RelayDelivery; close(): Promise<void>; rest(): Promise<string> }> {
  const left = new AbortController();
  const response = await dispatch(
    new Request(`http://localhost:3000/api/v1/relay/listeners/${listenerId}/deliveries`, {
      headers: { authorization: `Bearer ${api.apiKey}` },
      signal: left.signal,
    }),
  );
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
  const reader = response.body!.getReader();
  const close = async () => {
    left.abort();
    await reader.cancel();
  };
  const decoder = new TextDecoder();
  let text = "";
  for (;;) {
    const read = await reader.read();
    if (read.done) throw new Error(`the stream ended before a delivery:\n${text}`);
    text += decoder.decode(read.value, { stream: true });
    const match = text.match(/event: delivery\nid: \S+\ndata: (.*)\n\n/);
    if (match) return { first: JSON.parse(match[1]!) as RelayDelivery, close, rest: () => readToEnd(reader) };
  }
}

async function readToEnd(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    text += decoder.decode(read.value, { stream: true });
  }
  return text;
}

describe("POST /api/v1/relay/listeners", () => {
  it("creates a relay listener with its secret, and reuses it for the same hook, filter and name", async () => {
    const created = await openRelay("laptop", { total: { $gt: 10 } });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_/);
    const again = await openRelay("laptop", { total: { $gt: 10 } });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: created.body.id, secret: created.body.secret });
    const otherName = await openRelay("desktop", { total: { $gt: 10 } });
    expect(otherName.status).toBe(201);
    expect(otherName.body.id).not.toBe(created.body.id);
    expect(await api.db.listener.count({ where: { relay: true } })).toBe(2);
  });

  it("is marked `relay` wherever listeners are read, unlike an ordinary listener", async () => {
    const relay = await openRelay("marked");
    expect(relay.body.relay).toBe(true);
    const ordinary = await api.call("POST", "/listeners", {
      body: { hook: "order", url: "https://example.com/hook" },
    });
    expect(ordinary.body.relay).toBe(false);
    expect((await api.call("GET", `/listeners/${relay.body.id}`)).body.relay).toBe(true);
    const listed = await api.call("GET", "/listeners?hook=order&limit=200");
    const relayById = Object.fromEntries(
      listed.body.items.map((listener: { id: string; relay: boolean }) => [listener.id, listener.relay]),
    );
    expect(relayById).toMatchObject({ [relay.body.id]: true, [ordinary.body.id]: false });
    // The deliveries tests below expect only their own listeners.
    await api.db.listener.deleteMany({ where: { id: { in: [relay.body.id, ordinary.body.id] } } });
  });

  it("names a filter field the hook does not provide, and an unknown hook", async () => {
    const badFilter = await openRelay("laptop", { colour: "red" });
    expect(badFilter.status).toBe(422);
    expect(badFilter.body.errors.map((error: { path: string }) => error.path)).toContain("filter.colour");
    const unknown = await api.call("POST", "/relay/listeners", {
      body: { hook: "nope", forward: "http://localhost:3000/x" },
    });
    expect(unknown.status).toBe(404);
  });
});

describe("relay deliveries", () => {
  it("never reach a runner: not claimed with the due deliveries, nor by id", async () => {
    const opened = await openRelay("runner-free");
    const deliveryId = await sendOrder({ id: "o-1", total: 5 });
    expect(await api.db.delivery.findUniqueOrThrow({ where: { id: deliveryId } })).toMatchObject({
      relay: true,
      status: "pending",
      listenerId: opened.body.id,
    });
    const now = new Date(Date.now() + 60_000);
    const { claimed } = await claimDueDeliveries(api.db, {
      limit: 100,
      listeners: { inFlight: new Map(), limit: 100 },
      projects: { inFlight: new Map(), limit: 100 },
      now,
    });
    expect(claimed.map((context) => context.deliveryId)).not.toContain(deliveryId);
    expect(await claimDelivery(api.db, deliveryId, now)).toEqual({ claimed: false, reason: "relayed" });
    // The dashboard's test event to the listener, too.
    const test = await sendTestEvent(api.projectId, opened.body.id, {}, { db: api.db, runner: api.runner });
    expect((await api.db.delivery.findUniqueOrThrow({ where: { id: test.deliveryId } })).relay).toBe(true);
    expect(await runDeliveryAttempt(api.db, deliveryId, { allowlist: EMPTY_ALLOWLIST })).toMatchObject({
      kind: "skipped",
      reason: "relayed",
      retryAt: null,
    });
    await api.db.listener.delete({ where: { id: opened.body.id } });
  });

  it("are handed out signed with the listener's secret, and a report is recorded as the attempt, once", async () => {
    const opened = await openRelay("reporting");
    const deliveryId = await sendOrder({ id: "o-2", total: 7 });
    const stream = await openStream(opened.body.id);
    const handedOut = stream.first;
    expect(handedOut).toMatchObject({ deliveryId, hook: "order", attempt: 1 });
    await expect(
      verifyWebhook({ secret: opened.body.secret, headers: handedOut.headers, body: handedOut.body }),
    ).resolves.toEqual({ id: "o-2", total: 7 });

    const report = {
      attempt: 1,
      timestamp: Number(handedOut.headers["webhook-timestamp"]),
      durationMs: 12,
      response: { status: 500, headers: { "Content-Type": "text/plain" }, body: "boom" },
    };
    const recorded = await api.call("POST", `/relay/deliveries/${deliveryId}/attempts`, { body: report });
    expect(recorded.status).toBe(200);
    expect(recorded.body.status).toBe("pending");
    const delivery = await api.call("GET", `/deliveries/${deliveryId}`);
    expect(delivery.body).toMatchObject({ status: "pending", attemptCount: 1, lastStatusCode: 500 });
    expect(delivery.body.attempts[0]).toMatchObject({
      durationMs: 12,
      requestUrl: "http://localhost:3000/webhooks",
      responseStatus: 500,
      responseBody: "boom",
      errorClass: "http",
    });
    // The recorded request is the one handed out.
    expect(delivery.body.attempts[0].requestHeaders["webhook-signature"]).toBe(
      handedOut.headers["webhook-signature"],
    );

    const twice = await api.call("POST", `/relay/deliveries/${deliveryId}/attempts`, { body: report });
    expect(twice.status).toBe(409);
    await stream.close();
    await api.db.listener.delete({ where: { id: opened.body.id } });
  });

  it("are handed out as a runner sends them: with the hook's version and the listener's config", async () => {
    const configForm = [{ name: "format", schema: { enum: ["json", "xml"] }, default: "json" }];
    const put = await api.call("PUT", "/hooks/shipment", { body: { providesArgs: ["id"], configForm } });
    expect(put.status).toBe(201);
    const opened = await api.call("POST", "/relay/listeners", {
      body: { hook: "shipment", name: "configured", forward: "http://localhost:3000/webhooks" },
    });
    expect(opened.status).toBe(201);
    const sent = await api.call("POST", "/hooks/shipment/events", { body: { payload: { id: "s-1" } } });
    expect(sent.status).toBe(202);
    const stream = await openStream(opened.body.id);
    expect(stream.first.headers).toMatchObject({
      "durian-hook": "shipment",
      "durian-hook-version": "1",
      "durian-listener-config": '{"format":"json"}',
    });
    expect(JSON.parse(stream.first.body)).toEqual({ id: "s-1" });
    await stream.close();
    await api.db.listener.delete({ where: { id: opened.body.id } });
  });

  it("end when the server stops, handing back what they handed out and was not reported", async () => {
    const opened = await openRelay("stopping");
    const deliveryId = await sendOrder({ id: "o-3", total: 1 });
    const stream = await openStream(opened.body.id);
    expect(stream.first.deliveryId).toBe(deliveryId);
    expect((await api.db.delivery.findUniqueOrThrow({ where: { id: deliveryId } })).status).toBe(
      "delivering",
    );

    await endRelayStreams();
    await expect(stream.rest()).resolves.toBe("");
    expect(await api.db.delivery.findUniqueOrThrow({ where: { id: deliveryId } })).toMatchObject({
      status: "pending",
      lockedUntil: null,
    });
    await api.db.listener.delete({ where: { id: opened.body.id } });
  });

  it("refuses a report with both an answer and an error, naming the field", async () => {
    const refused = await api.call("POST", "/relay/deliveries/anything/attempts", {
      body: {
        attempt: 1,
        timestamp: 0,
        durationMs: 1,
        response: { status: 200 },
        error: { class: "refused", message: "x" },
      },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([{ path: "response", message: "give either response or error" }]);
  });

  it("has no stream for an ordinary listener, nor for another project's relay listener", async () => {
    const ordinary = await api.call("POST", "/listeners", {
      body: { hook: "order", url: "https://example.com/hook" },
    });
    const stream = await api.call("GET", `/relay/listeners/${ordinary.body.id}/deliveries`);
    expect(stream.status).toBe(404);

    const mine = await openRelay("private");
    const other = await api.otherProject();
    const theirs = await api.call("GET", `/relay/listeners/${mine.body.id}/deliveries`, {
      apiKey: other.apiKey,
    });
    expect(theirs.status).toBe(404);
  });
});
