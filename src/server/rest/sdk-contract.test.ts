// The TypeScript SDK (@durian/sdk, packages/sdk) against the real /api/v1 handlers behind a real HTTP server on
// 127.0.0.1, so headers, bodies and statuses cross a real socket (packages/sdk/src/rest-contract.test.ts covers
// the SDK's surface in depth through an in-process fetch).

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Durian, DurianApiError, Hook, Startswith } from "@durian/sdk";
import { type ApiHarness, startApiHarness } from "@/testing/api-harness";
import { serveApi, type ServedApi } from "@/testing/serve-api";

let api: ApiHarness;
let server: ServedApi;
let baseUrl: string;

beforeAll(async () => {
  api = await startApiHarness();
  server = await serveApi();
  baseUrl = server.url;
});

afterAll(async () => {
  await server?.close();
  await api?.close();
});

class PersonHook extends Hook {
  override name = "person";
  override providesArgs = ["name", "address"];
  override retrySchedule = [5, 60];
}

describe("the SDK against the real API", () => {
  it("syncs hooks, saves listeners, sends events and reads them back", async () => {
    const durian = new Durian({ url: baseUrl, apiKey: api.apiKey });
    const person = durian.hooks.register(PersonHook);
    const [first] = await durian.hooks.sync();
    expect(first).toMatchObject({
      created: true,
      hook: { name: "person", providesArgs: ["name", "address"], retrySchedule: [5, 60] },
    });
    const [again] = await durian.hooks.sync();
    expect(again?.created).toBe(false);

    const listener = await person
      .listener({ url: "https://example.com/j" })
      .match({ name: Startswith("J") })
      .save();
    expect(listener.secret).toMatch(/^whsec_/);
    expect(listener.filter).toEqual({ name: { $startswith: "J" } });

    const sent = await person.send(
      "crm",
      { name: "Joe", address: "Border Lane", secret: "never leaves the app" },
      // `wait` for the count: matching runs after the event is accepted.
      { wait: 1 },
    );
    expect(sent.matched).toBe(1);
    const event = await durian.getEvent(sent.eventId);
    expect(event.payload).toEqual({ name: "Joe", address: "Border Lane" });
    expect(event.sender).toBe("crm");
    expect(event.deliveries).toHaveLength(1);

    const waited = await person.send(null, { name: "Jerry" }, { wait: 0, idempotencyKey: "sdk-1" });
    expect(waited.deliveries).toEqual([
      expect.objectContaining({ listenerId: listener.id, status: "pending" }),
    ]);
    const repeated = await person.send(null, { name: "Jerry" }, { idempotencyKey: "sdk-1" });
    expect(repeated.eventId).toBe(waited.eventId);

    const retried = await durian.retryDelivery(event.deliveries[0]!.id);
    expect(retried).toMatchObject({ id: event.deliveries[0]!.id, status: "pending" });

    // The secret is not shown only once: GET /listeners/{id} returns it too; lists and updates do not.
    const listed = await durian.listListeners({ hook: "person" });
    expect(listed.items.map((entry) => entry.id)).toEqual([listener.id]);
    expect(listed.items[0]).not.toHaveProperty("secret");
    expect(await durian.getListener(listener.id)).toMatchObject({
      url: "https://example.com/j",
      secret: listener.secret,
    });
    const updated = await durian.updateListener(listener.id, { filter: { name: "Joe" }, description: "Joe" });
    expect(updated).toMatchObject({ filter: { name: "Joe" }, description: "Joe" });
    expect(updated).not.toHaveProperty("secret");
    const rotated = await durian.rotateListenerSecret(listener.id);
    expect(rotated.secret).not.toBe(listener.secret);
    expect((await durian.getListener(listener.id)).secret).toBe(rotated.secret);
    await durian.deleteListener(listener.id);

    expect((await durian.listHooks()).items.map((hook) => hook.name)).toEqual(["person"]);
    expect((await durian.getHook("person")).name).toBe("person");
    await durian.deleteHook("person");
    await expect(durian.getHook("person")).rejects.toMatchObject({ status: 404 });
  });

  it("surfaces the server's problems as DurianApiError with field errors", async () => {
    const durian = new Durian({ url: baseUrl, apiKey: api.apiKey });
    await durian.putHook({ name: "strict", providesArgs: ["name"] });
    const error = await durian
      .sendEvent("strict", { payload: { name: "Joe", secret: "x" } })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DurianApiError);
    expect(error).toMatchObject({
      status: 422,
      type: "https://durian.dev/problems/validation",
      errors: [{ path: "payload.secret", message: expect.stringContaining('does not provide "secret"') }],
    });

    const unauthorized = new Durian({ url: baseUrl, apiKey: "durian_wrong" });
    await expect(unauthorized.listHooks()).rejects.toMatchObject({ status: 401 });
  });
});
