// The SDK against the REAL /api/v1 route handlers and a real test database (useRealDurianApi).

import { afterEach, describe, expect, it } from "vitest";
import { dispatch, TEST_ORIGIN } from "@/testing/api-harness";
import { Durian, DurianApiError, Gte, Hook, Not, Startswith } from "./index";
import { useRealDurianApi } from "../test-support/real-durian-api";

const api = useRealDurianApi();
afterEach(() => api.durian.hooks.clear());

class PersonHook extends Hook {
  name = "person";
  providesArgs = ["name", "address", "age"];
  verboseName = "Person changed";
}

describe("SDK ↔ /api/v1", () => {
  it("syncs hooks (201, then 200) and pages through them", async () => {
    api.durian.hooks.register(PersonHook);
    api.durian.hooks.register(
      new Hook({ name: "order.paid", providesArgs: ["id"], retrySchedule: [5, 60], timeoutMs: 2000 }),
    );
    const first = await api.durian.hooks.sync();
    expect(first.map(({ created, hook }) => [hook.name, created, hook.kind])).toEqual([
      ["person", true, "custom"],
      ["order.paid", true, "custom"],
    ]);
    expect(first[1]?.hook).toMatchObject({ retrySchedule: [5, 60], timeoutMs: 2000 });
    expect((await api.durian.hooks.sync()).map(({ created }) => created)).toEqual([false, false]);

    const page = await api.durian.listHooks({ limit: 1 });
    expect(page.items).toHaveLength(1);
    expect(page.nextCursor).not.toBeNull();
    const names: string[] = [];
    for await (const hook of api.durian.iterateHooks({ limit: 1 })) names.push(hook.name);
    expect(names.sort()).toEqual(["order.paid", "person"]);
    expect((await api.durian.getHook("person")).verboseName).toBe("Person changed");
  });

  it("creates a listener with a matcher filter the server accepts, and manages it", async () => {
    const person = api.durian.hooks.register(PersonHook);
    await api.durian.hooks.sync();
    const listener = await person
      .listener({ url: "https://example.com/webhooks/person", name: "J adults" })
      .match({ name: Startswith("J"), age: Gte(18) })
      .match({ address: Not("Nowhere") })
      .save();
    expect(listener.secret).toMatch(/^whsec_/);
    expect(listener).toMatchObject({
      hook: "person",
      name: "J adults",
      filter: { name: { $startswith: "J" }, age: { $gte: 18 }, address: { $not: { $is: "Nowhere" } } },
      enabled: true,
    });

    const listed = await api.durian.listListeners({ hook: "person" });
    expect(listed.items.map((item) => item.id)).toContain(listener.id);

    const updated = await api.durian.updateListener(listener.id, {
      enabled: false,
      filter: { name: Startswith("Jo") },
    });
    expect(updated).toMatchObject({ enabled: false, filter: { name: { $startswith: "Jo" } } });

    const rotated = await api.durian.rotateListenerSecret(listener.id);
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(listener.secret);

    await api.durian.deleteListener(listener.id);
    await expect(api.durian.getListener(listener.id)).rejects.toMatchObject({ status: 404 });
  });

  it("sends a projected event the server stores as sent, once per idempotency key", async () => {
    const person = api.durian.hooks.register(PersonHook);
    await api.durian.hooks.sync();
    await person.listener({ url: "https://example.com/all" }).save();

    const sent = await person.send(
      "crm",
      { name: "Joe", age: 30, secret: "bosco" },
      // `wait` for the count: matching runs after the event is accepted.
      { idempotencyKey: "joe-1", wait: 1 },
    );
    expect(sent.matched).toBe(1);
    const again = await person.send("crm", { name: "Joe", age: 30 }, { idempotencyKey: "joe-1" });
    expect(again.eventId).toBe(sent.eventId);

    const event = await api.durian.getEvent(sent.eventId);
    expect(event).toMatchObject({ hook: "person", payload: { name: "Joe", age: 30 }, sender: "crm" });
    expect(event.deliveries).toHaveLength(1);
  });

  it("surfaces the server's problems as DurianApiError with field errors", async () => {
    const person = api.durian.hooks.register(PersonHook);
    await api.durian.hooks.sync();

    // Only raw sendEvent can carry a field the hook does not provide: the server refuses it.
    const unknownField = (await api.durian
      .sendEvent("person", { payload: { name: "Joe", secret: "bosco" } })
      .catch((error: unknown) => error)) as DurianApiError;
    expect(unknownField).toBeInstanceOf(DurianApiError);
    expect(unknownField.status).toBe(422);
    expect(unknownField.errors.map((error) => error.path)).toContain("payload.secret");

    await expect(api.durian.sendEvent("nobody", { payload: {} })).rejects.toMatchObject({ status: 404 });
    await expect(person.listener({ url: "not a url" }).save()).rejects.toMatchObject({ status: 422 });

    const wrongKey = new Durian({
      url: TEST_ORIGIN,
      apiKey: "durian_wrong",
      fetch: (input, init) => dispatch(new Request(input, init)),
    });
    await expect(wrongKey.listHooks()).rejects.toMatchObject({ status: 401 });
  });
});

describe("typed hooks ↔ /api/v1", () => {
  it("syncs typed fields, which the server returns as declared and checks on every event", async () => {
    const member = api.durian.hooks.register(
      new Hook({
        name: "member.typed",
        providesArgs: ["note", { name: "age", schema: { type: "integer" }, required: true }],
      }),
    );
    const [synced] = await api.durian.hooks.sync();
    expect(synced?.hook.providesArgs).toEqual([
      "note",
      { name: "age", schema: { type: "integer" }, required: true },
    ]);
    expect((await member.send(null, { age: 40 })).eventId).toBeTruthy();
    // Past the SDK's own check (as an untyped caller would send it), the server refuses it by path.
    await expect(api.durian.sendEvent("member.typed", { payload: { age: "forty" } })).rejects.toMatchObject({
      status: 422,
      errors: [{ path: "payload.age", message: 'must be an integer, got the string "forty"' }],
    });
  });
});
