import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { Durian, DurianApiError, DurianConnectionError, InvalidPayload, Startswith } from "./index";
import { useFakeDurianApi } from "../test-support/fake-durian-api";

const fake = useFakeDurianApi();

const last = () => fake.api.requests.at(-1)!;

describe("Durian client requests", () => {
  it("PUTs a hook definition without its name in the body, with the API key and JSON headers", async () => {
    const first = await fake.durian.putHook({
      name: "person",
      providesArgs: ["name", "address"],
      verboseName: "Person",
    });
    expect(first.created).toBe(true);
    expect(first.hook).toMatchObject({
      name: "person",
      providesArgs: ["name", "address"],
      verboseName: "Person",
    });

    const request = last();
    expect(request.method).toBe("PUT");
    expect(request.path).toBe("/api/v1/hooks/person");
    expect(request.headers.authorization).toBe(`Bearer ${fake.api.apiKey}`);
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.headers.accept).toContain("application/json");
    expect(request.body).toEqual({ providesArgs: ["name", "address"], verboseName: "Person" });

    const second = await fake.durian.putHook({ name: "person", providesArgs: ["name"] });
    expect(second.created).toBe(false);
  });

  it("encodes names and ids into the path", async () => {
    fake.api.respondNext({ status: 200, body: { id: "h", name: "a b/c" } });
    await fake.durian.getHook("a b/c");
    expect(last().path).toBe("/api/v1/hooks/a%20b%2Fc");
  });

  it("lists, gets and deletes hooks", async () => {
    await fake.durian.putHook({ name: "person", providesArgs: ["name"] });
    const page = await fake.durian.listHooks();
    expect(page.items.map((hook) => [hook.name, hook.stats.listeners])).toEqual([["person", 0]]);
    expect(page.nextCursor).toBeNull();
    expect((await fake.durian.getHook("person")).providesArgs).toEqual(["name"]);
    await expect(fake.durian.deleteHook("person")).resolves.toBeUndefined();
    expect(last()).toMatchObject({ method: "DELETE", path: "/api/v1/hooks/person", rawBody: "" });
    expect(last().headers["content-type"]).toBeUndefined();
    expect(fake.api.hooks.has("person")).toBe(false);
  });

  it("pages through lists with cursor and limit, or iterates over every page", async () => {
    for (const name of ["a", "b", "c", "d", "e"]) await fake.durian.putHook({ name, providesArgs: [] });
    fake.api.requests.length = 0;

    const first = await fake.durian.listHooks({ limit: 2 });
    expect(first.items.map((hook) => hook.name)).toEqual(["a", "b"]);
    expect(last().query).toEqual({ limit: "2" });
    const second = await fake.durian.listHooks({ limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((hook) => hook.name)).toEqual(["c", "d"]);
    expect(last().query).toEqual({ limit: "2", cursor: first.nextCursor });

    fake.api.requests.length = 0;
    const names: string[] = [];
    for await (const hook of fake.durian.iterateHooks({ limit: 2 })) names.push(hook.name);
    expect(names).toEqual(["a", "b", "c", "d", "e"]);
    expect(fake.api.requests.map((request) => request.query.cursor)).toEqual([undefined, "2", "4"]);

    await fake.durian.listHooks({ search: "invoice" });
    expect(last().query).toEqual({ search: "invoice" });
  });

  it("iterates over one hook's listeners", async () => {
    await fake.durian.putHook({ name: "a", providesArgs: [] });
    await fake.durian.putHook({ name: "b", providesArgs: [] });
    for (const hook of ["a", "b", "a", "a"])
      await fake.durian.createListener({ hook, url: `https://example.test/${hook}` });
    const urls: string[] = [];
    for await (const listener of fake.durian.iterateListeners({ hook: "a", limit: 2 }))
      urls.push(listener.url);
    expect(urls).toEqual(["https://example.test/a", "https://example.test/a", "https://example.test/a"]);
    expect(last().query).toEqual({ hook: "a", limit: "2", cursor: "2" });
  });

  it("refuses a list answer that is not a page", async () => {
    fake.api.respondNext({ status: 200, body: [{ id: "l1" }] });
    await expect(fake.durian.listListeners()).rejects.toThrow(/expected a page/);
  });

  it("sends an event with the Idempotency-Key header and ?wait=", async () => {
    await fake.durian.putHook({ name: "person", providesArgs: ["name"] });
    await fake.durian.createListener({ hook: "person", url: "http://127.0.0.1:9/joe" });

    const result = await fake.durian.sendEvent(
      "person",
      { payload: { name: "Joe" }, sender: "tests" },
      { idempotencyKey: "k-1", wait: 5 },
    );
    expect(result.matched).toBe(1);
    expect(result.deliveries).toHaveLength(1);
    const request = last();
    expect(request).toMatchObject({
      method: "POST",
      path: "/api/v1/hooks/person/events",
      query: { wait: "5" },
    });
    expect(request.headers["idempotency-key"]).toBe("k-1");
    expect(request.body).toEqual({ payload: { name: "Joe" }, sender: "tests" });

    const repeated = await fake.durian.sendEvent(
      "person",
      { payload: { name: "Joe" } },
      { idempotencyKey: "k-1" },
    );
    expect(repeated.eventId).toBe(result.eventId);
  });

  it("leaves out the Idempotency-Key header and ?wait= when not asked for", async () => {
    await fake.durian.putHook({ name: "person", providesArgs: ["name"] });
    await fake.durian.sendEvent("person", { payload: { name: "Joe" } });
    expect(last().query).toEqual({});
    expect(last().headers["idempotency-key"]).toBeUndefined();
  });

  it("refuses a wait outside 0–30 seconds before sending anything", async () => {
    await expect(fake.durian.sendEvent("person", { payload: {} }, { wait: 31 })).rejects.toThrow(
      InvalidPayload,
    );
    await expect(fake.durian.sendEvent("person", { payload: {} }, { wait: -1 })).rejects.toThrow(/wait/);
    expect(fake.api.requests).toHaveLength(0);
  });

  it("creates a listener, serialising matchers in its filter, and returns its secret", async () => {
    await fake.durian.putHook({ name: "person", providesArgs: ["name"] });
    const listener = await fake.durian.createListener({
      hook: "person",
      url: "https://example.test/hook",
      filter: { name: Startswith("J") },
      headers: { "x-team": "a" },
      envelope: true,
      description: "J people",
    });
    expect(listener.secret).toMatch(/^whsec_/);
    expect(last()).toMatchObject({ method: "POST", path: "/api/v1/listeners" });
    expect(last().body).toEqual({
      hook: "person",
      url: "https://example.test/hook",
      filter: { name: { $startswith: "J" } },
      headers: { "x-team": "a" },
      envelope: true,
      description: "J people",
    });
  });

  it("lists listeners of a hook, gets, patches, rotates and deletes one", async () => {
    await fake.durian.putHook({ name: "person", providesArgs: ["name"] });
    const created = await fake.durian.createListener({ hook: "person", url: "https://example.test/a" });

    await fake.durian.listListeners({ hook: "person" });
    expect(last()).toMatchObject({ method: "GET", path: "/api/v1/listeners", query: { hook: "person" } });

    expect((await fake.durian.getListener(created.id)).url).toBe("https://example.test/a");
    expect(last().path).toBe(`/api/v1/listeners/${created.id}`);

    const updated = await fake.durian.updateListener(created.id, { enabled: false, filter: { name: "Joe" } });
    expect(updated.enabled).toBe(false);
    expect(last()).toMatchObject({ method: "PATCH", body: { enabled: false, filter: { name: "Joe" } } });

    const rotated = await fake.durian.rotateListenerSecret(created.id);
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(created.secret);
    expect(last()).toMatchObject({ method: "POST", path: `/api/v1/listeners/${created.id}/rotate-secret` });

    await fake.durian.deleteListener(created.id);
    expect(last()).toMatchObject({ method: "DELETE", path: `/api/v1/listeners/${created.id}` });
  });

  it("gets an event and retries a delivery", async () => {
    fake.api.respondNext({ status: 200, body: { id: "evt_9", payload: { name: "Joe" }, deliveries: [] } });
    expect((await fake.durian.getEvent("evt_9")).payload).toEqual({ name: "Joe" });
    expect(last()).toMatchObject({ method: "GET", path: "/api/v1/events/evt_9" });

    fake.api.respondNext({ status: 202, body: { deliveryId: "dlv_3", status: "pending" } });
    expect(await fake.durian.retryDelivery("dlv_3")).toEqual({ deliveryId: "dlv_3", status: "pending" });
    expect(last()).toMatchObject({ method: "POST", path: "/api/v1/deliveries/dlv_3/retry", rawBody: "" });

    fake.api.respondNext({ status: 202, body: { recovered: 4 } });
    const since = new Date("2030-01-31T12:00:00Z");
    expect(await fake.durian.recoverFailedDeliveries("lst_1", { since })).toEqual({ recovered: 4 });
    expect(last()).toMatchObject({
      method: "POST",
      path: "/api/v1/listeners/lst_1/recover",
      body: { since: "2030-01-31T12:00:00.000Z" },
    });
  });

  it("accepts the API URL with /api/v1 and a trailing slash", async () => {
    const client = new Durian({ url: `${fake.api.url}/api/v1/`, apiKey: fake.api.apiKey });
    await client.listHooks();
    expect(last().path).toBe("/api/v1/hooks");
  });

  it("uses the fetch it was given", async () => {
    const seen: string[] = [];
    const client = new Durian({
      url: fake.api.url,
      apiKey: fake.api.apiKey,
      fetch: (input, init) => {
        seen.push(`${init.method} ${input}`);
        return fetch(input, init);
      },
    });
    await client.listHooks();
    expect(seen).toEqual([`GET ${fake.api.url}/api/v1/hooks`]);
  });

  it("refuses a missing URL or API key", () => {
    expect(() => new Durian({ url: "durian.local", apiKey: "k" })).toThrow(/url/);
    expect(() => new Durian({ url: fake.api.url, apiKey: " " })).toThrow(/apiKey/);
  });
});

describe("Durian client errors", () => {
  it("maps a validation problem to DurianApiError with its field errors", async () => {
    await fake.durian.putHook({ name: "person", providesArgs: ["name"] });
    const error = await fake.durian
      .sendEvent("person", { payload: { name: "Joe", secret: "x" } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DurianApiError);
    const apiError = error as DurianApiError;
    expect(apiError.status).toBe(422);
    expect(apiError.title).toBe("Unprocessable Content");
    expect(apiError.detail).toBe("The request has invalid fields");
    expect(apiError.type).toBe("https://durian.dev/problems/validation");
    expect(apiError.errors).toEqual([{ path: "payload.secret", message: "not provided by the hook" }]);
    expect(apiError.method).toBe("POST");
    expect(apiError.url).toBe(`${fake.api.url}/api/v1/hooks/person/events`);
    expect(apiError.message).toContain("payload.secret: not provided by the hook");
  });

  it("keeps string paths of field errors as they are", async () => {
    fake.api.respondNext({
      status: 422,
      headers: { "content-type": "application/problem+json" },
      body: {
        type: "about:blank",
        title: "Invalid",
        status: 422,
        detail: "bad",
        errors: [{ path: "providesArgs.1", message: "repeated" }],
      },
    });
    const error = (await fake.durian
      .putHook({ name: "x", providesArgs: [] })
      .catch((e: unknown) => e)) as DurianApiError;
    expect(error.errors).toEqual([{ path: "providesArgs.1", message: "repeated" }]);
  });

  it("maps 401 and 404 problems", async () => {
    const wrongKey = new Durian({ url: fake.api.url, apiKey: "wrong" });
    await expect(wrongKey.listHooks()).rejects.toMatchObject({
      status: 401,
      title: "Unauthorized",
      errors: [],
    });
    await expect(fake.durian.getHook("nope")).rejects.toMatchObject({
      status: 404,
      detail: 'No hook named "nope"',
    });
  });

  it("exposes Retry-After of a 429", async () => {
    fake.api.respondNext({
      status: 429,
      headers: { "content-type": "application/problem+json", "retry-after": "3" },
      body: { type: "about:blank", title: "Too Many Requests", status: 429, detail: "Slow down" },
    });
    await expect(fake.durian.listHooks()).rejects.toMatchObject({ status: 429, retryAfterSeconds: 3 });
    // Not retried: one request only.
    expect(fake.api.requests).toHaveLength(1);
  });

  it("describes a non-JSON error answer with its status text and body", async () => {
    fake.api.respondNext({ status: 502, body: "upstream down" });
    const error = (await fake.durian.listHooks().catch((e: unknown) => e)) as DurianApiError;
    expect(error).toBeInstanceOf(DurianApiError);
    expect(error).toMatchObject({
      status: 502,
      title: "Bad Gateway",
      detail: "upstream down",
      type: "about:blank",
    });
  });

  it("throws DurianConnectionError when nothing answers", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));

    const client = new Durian({ url: `http://127.0.0.1:${port}`, apiKey: "k" });
    const error = await client.listHooks().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DurianConnectionError);
    expect((error as DurianConnectionError).message).toContain(`GET http://127.0.0.1:${port}/api/v1/hooks`);
  });
});
