import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { IDEMPOTENCY_WINDOW_MS } from "@/server/services/events/idempotency";
import { deliveryPageSchema, eventDetailSchema, eventPageSchema, sendEventResultSchema } from "@/contracts";
import { type ApiHarness, startApiHarness } from "@/testing/api-harness";

let api: ApiHarness;
const listenerIds: Record<string, string> = {};

beforeAll(async () => {
  api = await startApiHarness();
  await api.call("PUT", "/hooks/person", { body: { providesArgs: ["name", "address", "phone", "email"] } });
  const listen = async (label: string, filter: object) => {
    const response = await api.call("POST", "/listeners", {
      body: { hook: "person", url: `https://example.com/${label}`, filter },
    });
    listenerIds[label] = response.body.id;
  };
  await listen("joe", { name: "Joe" });
  await listen("j", { name: { $startswith: "J" } });
  await listen("all", {});
});
afterAll(() => api?.close());
beforeEach(() => {
  api.runner.onCreated = undefined;
});

function send(
  payload: unknown,
  options: { query?: string; headers?: Record<string, string>; hook?: string; sender?: string } = {},
) {
  const body = options.sender === undefined ? { payload } : { payload, sender: options.sender };
  return api.call("POST", `/hooks/${options.hook ?? "person"}/events${options.query ?? ""}`, {
    body,
    headers: options.headers,
  });
}

async function deliveredListeners(eventId: string): Promise<string[]> {
  const deliveries = await api.db.delivery.findMany({ where: { eventId } });
  const labels = Object.fromEntries(Object.entries(listenerIds).map(([label, id]) => [id, label]));
  return deliveries.map((delivery) => labels[delivery.listenerId] ?? delivery.listenerId).sort();
}

describe("POST /hooks/{name}/events", () => {
  it("stores the projected event and one pending delivery per matching listener, then tells the runner", async () => {
    const runnerCalls = api.runner.created.length;
    const response = await send({ name: "Joe", email: "joe@example.com" }, { sender: "signup-form" });
    expect(response.status).toBe(202);
    const result = sendEventResultSchema.parse(response.body);
    // Matching runs after the answer (here the test runner runs each fan-out at once): no count to give.
    expect(result.matched).toBeUndefined();
    expect(await deliveredListeners(result.eventId)).toEqual(["all", "j", "joe"]);

    const event = await api.db.event.findUniqueOrThrow({ where: { id: result.eventId } });
    expect(event).toMatchObject({
      hookName: "person",
      payload: { name: "Joe", email: "joe@example.com" },
      sender: "signup-form",
    });
    // Stored as the same instant Prisma would store (UTC), whatever the process's time zone.
    expect(Math.abs(event.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
    const deliveries = await api.db.delivery.findMany({ where: { eventId: result.eventId } });
    for (const delivery of deliveries) {
      expect(delivery).toMatchObject({ status: "pending", attemptCount: 0, projectId: api.projectId });
      // Due from when the fan-out created it, right after the event was accepted.
      expect(delivery.nextAttemptAt!.getTime()).toBeGreaterThanOrEqual(event.createdAt.getTime());
    }
    expect(api.runner.created.slice(runnerCalls)).toEqual([
      {
        projectId: api.projectId,
        eventId: result.eventId,
        deliveryIds: expect.arrayContaining(deliveries.map((d) => d.id)),
      },
    ]);
  });

  it("matches like durian: Jerry reaches the J listener, Simon only the unfiltered one", async () => {
    const jerry = await send({ name: "Jerry" });
    expect(await deliveredListeners(jerry.body.eventId)).toEqual(["all", "j"]);
    const simon = await send({ name: "Simon" }, { query: "?wait=0" });
    expect(simon.body.matched).toBe(1);
    expect(await deliveredListeners(simon.body.eventId)).toEqual(["all"]);
  });

  it("refuses a payload that is not an object, and stores nothing", async () => {
    const events = await api.db.event.count();
    for (const payload of [["Joe"], "Joe", null, 42]) {
      const response = await send(payload);
      expect(response.status, JSON.stringify(payload)).toBe(422);
      expect(response.body.errors).toEqual([
        { path: "payload", message: expect.stringContaining("JSON object") },
      ]);
    }
    const missing = await api.call("POST", "/hooks/person/events", { body: { sender: "x" } });
    expect(missing.status).toBe(422);
    expect(await api.db.event.count()).toBe(events);
  });

  it("refuses fields the hook does not provide, naming each, and stores nothing", async () => {
    const events = await api.db.event.count();
    const response = await send({ name: "Joe", secret: "hunter2", __proto__x: 1 });
    expect(response.status).toBe(422);
    expect(response.body.errors).toEqual([
      { path: "payload.secret", message: expect.stringContaining('does not provide "secret"') },
      { path: "payload.__proto__x", message: expect.stringContaining("name, address, phone, email") },
    ]);
    const proto = await api.call("POST", "/hooks/person/events", {
      rawBody: '{"payload": {"name": "Joe", "__proto__": {"secret": 1}}}',
      headers: { "content-type": "application/json" },
    });
    expect(proto.status).toBe(422);
    expect(proto.body.errors[0].path).toBe("payload.__proto__");
    expect(await api.db.event.count()).toBe(events);
  });

  it("answers 404 for an unknown hook and another project's hook", async () => {
    expect((await send({ name: "Joe" }, { hook: "ghost" })).status).toBe(404);
    const other = await api.otherProject();
    const response = await api.call("POST", "/hooks/person/events", {
      apiKey: other.apiKey,
      body: { payload: { name: "Joe" } },
    });
    expect(response.status).toBe(404);
    expect(response.body.detail).toBe('Hook "person" not found');
  });

  it("sees a hook's changes and deletion at once, even right after sending to it", async () => {
    await api.call("PUT", "/hooks/evolving", { body: { providesArgs: ["a"] } });
    expect((await send({ a: 1 }, { hook: "evolving" })).status).toBe(202);
    expect((await send({ a: 1, b: 2 }, { hook: "evolving" })).status).toBe(422);
    await api.call("PUT", "/hooks/evolving", { body: { providesArgs: ["a", "b"] } });
    expect((await send({ a: 1, b: 2 }, { hook: "evolving" })).status).toBe(202);
    await api.call("DELETE", "/hooks/evolving");
    expect((await send({ a: 1 }, { hook: "evolving" })).status).toBe(404);

    // Deleted behind this process's back (another server): the insert finds the hook gone.
    await api.call("PUT", "/hooks/vanishing", { body: { providesArgs: ["a"] } });
    expect((await send({ a: 1 }, { hook: "vanishing" })).status).toBe(202);
    await api.db.hook.delete({ where: { projectId_name: { projectId: api.projectId, name: "vanishing" } } });
    const gone = await send({ a: 1 }, { hook: "vanishing" });
    expect(gone.status).toBe(404);
  });

  it("records events of a disabled hook without delivering them", async () => {
    await api.call("PUT", "/hooks/paused", { body: { providesArgs: ["x"] } });
    await api.call("POST", "/listeners", { body: { hook: "paused", url: "https://example.com/paused" } });
    await api.db.hook.update({
      where: { projectId_name: { projectId: api.projectId, name: "paused" } },
      data: { enabled: false },
    });
    const response = await send({ x: 1 }, { hook: "paused", query: "?wait=0" });
    expect(response.status).toBe(202);
    expect(response.body.matched).toBe(0);
    expect(await api.db.event.findUnique({ where: { id: response.body.eventId } })).not.toBeNull();
    expect(await api.db.delivery.count({ where: { eventId: response.body.eventId } })).toBe(0);
  });

  it("keeps an accepted event whose fan-out page failed, writes nothing of that page, and completes it later", async () => {
    await api.call("PUT", "/hooks/fragile", { body: { providesArgs: ["x"] } });
    await api.call("POST", "/listeners", { body: { hook: "fragile", url: "https://example.com/ok" } });
    const broken = await api.call("POST", "/listeners", {
      body: { hook: "fragile", url: "https://example.com/broken" },
    });
    await api.db.$executeRawUnsafe(`
      CREATE FUNCTION refuse_delivery() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'refused for the test'; END $$`);
    await api.db.$executeRawUnsafe(`
      CREATE TRIGGER refuse_delivery BEFORE INSERT ON "Delivery"
      FOR EACH ROW WHEN (NEW."listenerId" = '${broken.body.id}') EXECUTE FUNCTION refuse_delivery()`);
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    let eventId = "";
    try {
      const deliveries = await api.db.delivery.count();
      const response = await send({ x: 1 }, { hook: "fragile" });
      expect(response.status).toBe(202);
      eventId = response.body.eventId;
      expect(await api.db.event.findUnique({ where: { id: eventId } })).not.toBeNull();
      expect(await api.db.delivery.count()).toBe(deliveries);
      expect(await api.db.fanOut.findMany({ where: { eventId } })).toMatchObject([
        { done: false, matched: 0 },
      ]);
      expect(logged).toHaveBeenCalledOnce();
    } finally {
      logged.mockRestore();
      await api.db.$executeRawUnsafe(`DROP TRIGGER refuse_delivery ON "Delivery"`);
      await api.db.$executeRawUnsafe(`DROP FUNCTION refuse_delivery()`);
    }
    await api.runner.fanOutRequested({ projectId: api.projectId, eventId, fanOut: 0 });
    expect(await api.db.delivery.count({ where: { eventId } })).toBe(2);
    expect(await api.db.fanOut.findMany({ where: { eventId } })).toMatchObject([{ done: true, matched: 2 }]);
  });
});

describe("Idempotency-Key", () => {
  it("returns the first answer for a repeat and creates nothing new", async () => {
    const headers = { "idempotency-key": "order-1001" };
    const first = await send({ name: "Joe" }, { headers });
    const events = await api.db.event.count();
    const deliveries = await api.db.delivery.count();
    const repeat = await send({ name: "Joe" }, { headers });
    expect(repeat.status).toBe(202);
    expect(repeat.body).toEqual(first.body);
    expect(repeat.headers.get("idempotent-replayed")).toBe("true");
    expect(await api.db.event.count()).toBe(events);
    expect(await api.db.delivery.count()).toBe(deliveries);

    // A replay adds deliveries later; the first answer still counts the first ones.
    await api.call("POST", `/events/${first.body.eventId}/replay`);
    expect((await send({ name: "Joe" }, { headers })).body).toEqual(first.body);
  });

  it("keeps one event when the same key arrives concurrently", async () => {
    const headers = { "idempotency-key": "concurrent-7" };
    const answers = await Promise.all(Array.from({ length: 6 }, () => send({ name: "Jerry" }, { headers })));
    expect(answers.map((answer) => answer.status)).toEqual(Array(6).fill(202));
    const eventIds = new Set(answers.map((answer) => answer.body.eventId));
    expect(eventIds.size).toBe(1);
    expect(await api.db.event.count({ where: { idempotencyKey: "concurrent-7" } })).toBe(1);
    const [eventId] = eventIds;
    expect(await api.db.delivery.count({ where: { eventId } })).toBe(2);
  });

  it("refuses a repeat with another payload or sender (422) and creates nothing", async () => {
    const headers = { "idempotency-key": "order-2002" };
    const first = await send({ name: "Joe", address: "Queens" }, { headers, sender: "shop" });
    const events = await api.db.event.count();
    const changed: [Record<string, unknown>, string | undefined][] = [
      [{ name: "Simon", address: "Queens" }, "shop"],
      [{ name: "Joe", address: "Queens" }, "another sender"],
      [{ name: "Joe", address: "Queens" }, undefined],
      [{ name: "Joe" }, "shop"],
    ];
    for (const [payload, sender] of changed) {
      const repeat = await send(payload, { headers, sender });
      expect(repeat.status, JSON.stringify([payload, sender])).toBe(422);
      expect(repeat.body.errors).toEqual([
        { path: "Idempotency-Key", message: expect.stringContaining("different payload, sender or version") },
      ]);
    }
    expect(await api.db.event.count()).toBe(events);
    // The same fields in another order are the same request.
    const same = await send({ address: "Queens", name: "Joe" }, { headers, sender: "shop" });
    expect(same.status).toBe(202);
    expect(same.body.eventId).toBe(first.body.eventId);
  });

  it("answers concurrent requests with one key and different bodies: one event, the others 422", async () => {
    const headers = { "idempotency-key": "concurrent-different" };
    const answers = await Promise.all(
      ["Joe", "Jerry", "Simon", "Jane"].map((name) => send({ name }, { headers })),
    );
    const accepted = answers.filter((answer) => answer.status === 202);
    expect(accepted).toHaveLength(1);
    expect(answers.filter((answer) => answer.status === 422)).toHaveLength(3);
    expect(await api.db.event.count({ where: { idempotencyKey: "concurrent-different" } })).toBe(1);
  });

  it("starts afresh after 24 hours", async () => {
    const headers = { "idempotency-key": "daily-report" };
    const first = await send({ name: "Joe" }, { headers });
    await api.db.event.update({
      where: { id: first.body.eventId },
      data: { createdAt: new Date(Date.now() - IDEMPOTENCY_WINDOW_MS - 60_000) },
    });
    const later = await send({ name: "Joe" }, { headers });
    expect(later.status).toBe(202);
    expect(later.body.eventId).not.toBe(first.body.eventId);
    expect(later.headers.get("idempotent-replayed")).toBeNull();
  });

  it("is per project", async () => {
    const headers = { "idempotency-key": "shared-name" };
    const mine = await send({ name: "Joe" }, { headers });
    const other = await api.otherProject();
    await api.call("PUT", "/hooks/person", { apiKey: other.apiKey, body: { providesArgs: ["name"] } });
    const theirs = await api.call("POST", "/hooks/person/events", {
      apiKey: other.apiKey,
      headers,
      body: { payload: { name: "Joe" } },
    });
    expect(theirs.status).toBe(202);
    expect(theirs.body.eventId).not.toBe(mine.body.eventId);
  });

  it("refuses an empty or overlong key", async () => {
    const empty = await send({ name: "Joe" }, { headers: { "idempotency-key": "" } });
    expect(empty.status).toBe(422);
    expect(empty.body.errors[0].path).toBe("Idempotency-Key");
    expect((await send({ name: "Joe" }, { headers: { "idempotency-key": "k".repeat(256) } })).status).toBe(
      422,
    );
  });
});

describe("?wait=", () => {
  it("refuses more than 30 seconds or a non-number", async () => {
    for (const wait of ["31", "abc", "-1"]) {
      const response = await send({ name: "Joe" }, { query: `?wait=${wait}` });
      expect(response.status, wait).toBe(422);
      expect(response.body.errors[0].path).toBe("wait");
    }
  });

  it("returns each delivery's first outcome once the runner has made its attempts", async () => {
    // Acting as the runner: the first attempt of each delivery lands a little after the answer began waiting.
    api.runner.onCreated = ({ projectId, deliveryIds }) => {
      setTimeout(async () => {
        for (const [index, deliveryId] of deliveryIds.entries()) {
          const ok = index === 0;
          await api.db.deliveryAttempt.create({
            data: {
              deliveryId,
              projectId,
              number: 1,
              startedAt: new Date(),
              durationMs: 12,
              requestUrl: "https://example.com",
              requestHeaders: {},
              requestBody: "{}",
              responseStatus: ok ? 200 : 500,
              errorClass: ok ? null : "http",
            },
          });
          await api.db.delivery.update({
            where: { id: deliveryId },
            data: { attemptCount: 1, status: ok ? "succeeded" : "pending", lastStatusCode: ok ? 200 : 500 },
          });
        }
      }, 150);
    };
    const response = await send({ name: "Jerry" }, { query: "?wait=10" });
    expect(response.status).toBe(202);
    const result = sendEventResultSchema.parse(response.body);
    expect(result.matched).toBe(2);
    expect(result.deliveries).toHaveLength(2);
    const byStatus = Object.fromEntries(result.deliveries!.map((delivery) => [delivery.status, delivery]));
    expect(byStatus.succeeded?.firstAttempt).toEqual({
      responseStatus: 200,
      errorClass: null,
      errorMessage: null,
      durationMs: 12,
    });
    expect(byStatus.pending?.firstAttempt).toMatchObject({ responseStatus: 500, errorClass: "http" });
  });

  it("returns what it has when the time runs out", async () => {
    const response = await send({ name: "Simon" }, { query: "?wait=0.2" });
    expect(response.status).toBe(202);
    expect(response.body.deliveries).toEqual([
      {
        id: expect.any(String),
        listenerId: listenerIds.all,
        status: "pending",
        attemptCount: 0,
        firstAttempt: null,
      },
    ]);
  });
});

describe("events, replay and retry", () => {
  it("shows an event with its projected payload, deliveries and attempts", async () => {
    const sent = await send({ name: "Joe", phone: "212 555 88 23" }, { sender: "crm" });
    const [delivery] = await api.db.delivery.findMany({
      where: { eventId: sent.body.eventId, listenerId: listenerIds.joe },
    });
    await api.db.deliveryAttempt.create({
      data: {
        deliveryId: delivery!.id,
        projectId: api.projectId,
        number: 1,
        startedAt: new Date(),
        durationMs: 30,
        requestUrl: "https://example.com/joe",
        requestHeaders: { "webhook-id": delivery!.id },
        requestBody: '{"name":"Joe"}',
        responseStatus: 503,
        errorClass: "http",
        nextAttemptAt: new Date(Date.now() + 5000),
      },
    });
    const response = await api.call("GET", `/events/${sent.body.eventId}`);
    expect(response.status).toBe(200);
    const event = eventDetailSchema.parse(response.body);
    expect(event).toMatchObject({
      id: sent.body.eventId,
      hook: "person",
      payload: { name: "Joe", phone: "212 555 88 23" },
      sender: "crm",
    });
    expect(event.deliveries).toHaveLength(3);
    const joe = event.deliveries.find((entry) => entry.listenerId === listenerIds.joe)!;
    expect(joe.listenerUrl).toBe("https://example.com/joe");
    expect(joe.attempts).toMatchObject([
      { number: 1, responseStatus: 503, errorClass: "http", requestHeaders: { "webhook-id": delivery!.id } },
    ]);

    const other = await api.otherProject();
    expect((await api.call("GET", `/events/${sent.body.eventId}`, { apiKey: other.apiKey })).status).toBe(
      404,
    );
  });

  it("replays an event to today's matching listeners as new deliveries", async () => {
    const sent = await send({ name: "Jerry" });
    const late = await api.call("POST", "/listeners", {
      body: { hook: "person", url: "https://example.com/late", filter: { name: "Jerry" } },
    });
    const runnerCalls = api.runner.created.length;
    const replayed = await api.call("POST", `/events/${sent.body.eventId}/replay`);
    expect(replayed.status).toBe(202);
    expect(replayed.body).toEqual({ eventId: sent.body.eventId, replay: 1 });
    expect(await deliveredListeners(sent.body.eventId)).toEqual(
      ["all", "all", "j", "j", late.body.id].sort(),
    );
    const replayedDeliveries = await api.db.delivery.findMany({
      where: { eventId: sent.body.eventId, fanOut: 1 },
    });
    expect(api.runner.created.slice(runnerCalls)).toEqual([
      {
        projectId: api.projectId,
        eventId: sent.body.eventId,
        deliveryIds: expect.arrayContaining(replayedDeliveries.map((delivery) => delivery.id)),
      },
    ]);
    expect(replayedDeliveries).toHaveLength(3);
    await api.call("DELETE", `/listeners/${late.body.id}`);

    const other = await api.otherProject();
    expect(
      (await api.call("POST", `/events/${sent.body.eventId}/replay`, { apiKey: other.apiKey })).status,
    ).toBe(404);
  });

  it("retries a delivery: pending, due now, and the runner is told", async () => {
    const sent = await send({ name: "Simon" });
    const [delivery] = await api.db.delivery.findMany({ where: { eventId: sent.body.eventId } });
    await api.db.delivery.update({
      where: { id: delivery!.id },
      data: { status: "failed", attemptCount: 8, nextAttemptAt: null },
    });
    const retried = await api.call("POST", `/deliveries/${delivery!.id}/retry`);
    expect(retried.status).toBe(202);
    expect(retried.body).toMatchObject({ id: delivery!.id, status: "pending", attemptCount: 8 });
    expect(new Date(retried.body.nextAttemptAt).getTime()).toBeLessThanOrEqual(Date.now());
    expect(api.runner.retried.at(-1)).toEqual({ projectId: api.projectId, deliveryIds: [delivery!.id] });

    await api.db.delivery.update({
      where: { id: delivery!.id },
      data: { status: "delivering", lockedUntil: new Date(Date.now() + 60_000) },
    });
    const busy = await api.call("POST", `/deliveries/${delivery!.id}/retry`);
    expect(busy.status).toBe(409);
    expect((await api.db.delivery.findUniqueOrThrow({ where: { id: delivery!.id } })).status).toBe(
      "delivering",
    );

    const other = await api.otherProject();
    expect(
      (await api.call("POST", `/deliveries/${delivery!.id}/retry`, { apiKey: other.apiKey })).status,
    ).toBe(404);
    expect((await api.call("POST", "/deliveries/nope/retry")).status).toBe(404);
  });

  it("lists events and deliveries newest first with filters, a page at a time", async () => {
    await api.call("PUT", "/hooks/listed", { body: { providesArgs: ["n"] } });
    const listener = await api.call("POST", "/listeners", {
      body: { hook: "listed", url: "https://example.com/listed" },
    });
    const sentIds: string[] = [];
    for (let n = 0; n < 5; n++) sentIds.push((await send({ n }, { hook: "listed" })).body.eventId);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await api.call("GET", `/events?hook=listed&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      const parsed = eventPageSchema.parse(page.body);
      seen.push(...parsed.items.map((event) => event.id));
      cursor = parsed.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...sentIds].reverse());

    const deliveries = await api.call(
      "GET",
      `/deliveries?listenerId=${listener.body.id}&status=pending&limit=3`,
    );
    const parsed = deliveryPageSchema.parse(deliveries.body);
    expect(parsed.items).toHaveLength(3);
    expect(parsed.items.every((delivery) => delivery.listenerId === listener.body.id)).toBe(true);
    expect(parsed.nextCursor).not.toBeNull();
    expect((await api.call("GET", "/deliveries?hook=listed&status=succeeded")).body.items).toEqual([]);
    expect((await api.call("GET", "/deliveries?status=lost")).status).toBe(422);

    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await api.call("GET", `/events?since=${future}`)).body.items).toEqual([]);
    expect((await api.call("GET", "/events?since=yesterday")).body.errors[0].path).toBe("since");
  });
});
