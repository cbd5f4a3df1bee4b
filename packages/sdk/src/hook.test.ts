import { describe, expect, it } from "vitest";
import {
  Durian,
  DurianError,
  Gte,
  Hook,
  InvalidFilter,
  InvalidPayload,
  Like,
  Lt,
  NotRegistered,
  Startswith,
} from "./index";
import { useFakeDurianApi } from "../test-support/fake-durian-api";

const fake = useFakeDurianApi();

class PersonHook extends Hook {
  name = "person";
  providesArgs = ["name", "address"];
}

const eventRequests = () => fake.api.requests.filter((request) => request.path.endsWith("/events"));

describe("hook.send", () => {
  it("projects the payload to providesArgs before it leaves the app", async () => {
    const person = fake.durian.hooks.register(PersonHook);
    await fake.durian.hooks.sync();

    const result = await person.send(null, {
      name: "George Constanza",
      address: "New York City",
      secret: "hunter2",
    });
    expect(result.eventId).toMatch(/^evt_/);

    const [request] = eventRequests();
    expect(request?.body).toEqual({
      payload: { name: "George Constanza", address: "New York City" },
      version: 1,
    });
    expect(request?.rawBody).not.toContain("hunter2");
    expect(request?.rawBody).not.toContain("secret");
  });

  it("leaves out provided fields that were not sent or are undefined, and keeps null", async () => {
    const person = fake.durian.hooks.register(PersonHook);
    await fake.durian.hooks.sync();
    await person.send("crm", { name: null, address: undefined });
    expect(eventRequests()[0]?.body).toEqual({ payload: { name: null }, sender: "crm", version: 1 });
  });

  it("converts dates and bigints to JSON and refuses values JSON cannot carry, naming the field", async () => {
    const hook = fake.durian.hooks.register(
      new Hook({ name: "order", providesArgs: ["at", "total", "meta"] }),
    );
    await fake.durian.hooks.sync();
    await hook.send(null, { at: new Date("2026-01-02T03:04:05Z"), total: 12n, meta: { tags: ["a"] } });
    expect(eventRequests()[0]?.body).toEqual({
      payload: { at: "2026-01-02T03:04:05.000Z", total: "12", meta: { tags: ["a"] } },
      version: 1,
    });

    await expect(hook.send(null, { meta: { size: Number.NaN } })).rejects.toThrow(
      'payload field "meta.size" is NaN',
    );
    await expect(hook.send(null, { meta: new Map() })).rejects.toThrow(InvalidPayload);
    // A field the hook does not provide is dropped before it could fail.
    await hook.send(null, { total: 1, callback: () => 1 });
    expect(eventRequests()).toHaveLength(2);
  });

  it("refuses a payload that is not a plain object", async () => {
    const hook = fake.durian.hooks.register(PersonHook);
    await expect(hook.send(null, ["Joe"] as unknown as Record<string, unknown>)).rejects.toThrow(
      InvalidPayload,
    );
    expect(fake.api.requests).toHaveLength(0);
  });

  it("passes the idempotency key and wait through", async () => {
    const hook = fake.durian.hooks.register(PersonHook);
    await fake.durian.hooks.sync();
    await hook.send(null, { name: "Joe" }, { idempotencyKey: "person-1", wait: 2 });
    expect(eventRequests()[0]).toMatchObject({
      query: { wait: "2" },
      headers: { "idempotency-key": "person-1" },
    });
  });

  it("works through a new instance of a registered class, as durian's PersonHook().send()", async () => {
    fake.durian.hooks.register(PersonHook);
    await fake.durian.hooks.sync();
    await new PersonHook().send(null, { name: "Jerry" });
    expect(eventRequests()[0]?.body).toEqual({ payload: { name: "Jerry" }, version: 1 });
  });

  it("asks which client when a class is registered with two", async () => {
    fake.durian.hooks.register(PersonHook);
    const other = new Durian({ url: fake.api.url, apiKey: fake.api.apiKey });
    other.hooks.register(PersonHook);
    await expect(new PersonHook().send(null, {})).rejects.toThrow(DurianError);
    await expect(new PersonHook().send(null, {})).rejects.toThrow(/registered with 2 Durian clients/);
    other.hooks.clear();
    await fake.durian.hooks.sync();
    await expect(new PersonHook().send(null, {})).resolves.toMatchObject({ matched: 0 });
  });

  it("throws NotRegistered for a hook no client knows, and after unregister", async () => {
    const loose = new Hook({ name: "loose" });
    await expect(loose.send(null, {})).rejects.toThrow(NotRegistered);

    fake.durian.hooks.register(loose);
    fake.durian.hooks.unregister(loose);
    await expect(loose.send(null, {})).rejects.toThrow(NotRegistered);
    await expect(new PersonHook().listener({ url: "https://x.test" }).save()).rejects.toThrow(NotRegistered);
    expect(fake.api.requests).toHaveLength(0);
  });
});

describe("hook.preparePayload (durian's prepare_payload)", () => {
  interface Customer {
    first: string;
    last: string;
    email: string;
    passwordHash: string;
  }

  // durian's example: a hook that sends a model instance, flattened into the fields it provides.
  class CustomerHook extends Hook {
    name = "customer";
    providesArgs = ["name", "email", "changedBy"];
    override preparePayload(sender: string | null, payload: Record<string, unknown>) {
      const customer = payload as unknown as Customer;
      return {
        name: `${customer.first} ${customer.last}`,
        email: customer.email,
        changedBy: sender ?? "system",
        passwordHash: customer.passwordHash, // not provided: projected away after this
      };
    }
  }
  const jerry: Customer = {
    first: "Jerry",
    last: "Seinfeld",
    email: "jerry@example.com",
    passwordHash: "hunter2",
  };

  it("lets a subclass reshape the payload, which is then projected to providesArgs", async () => {
    const hook = fake.durian.hooks.register(CustomerHook);
    await fake.durian.hooks.sync();
    await hook.send("crm", { ...jerry });

    const [request] = eventRequests();
    expect(request?.body).toEqual({
      payload: { name: "Jerry Seinfeld", email: "jerry@example.com", changedBy: "crm" },
      sender: "crm",
      version: 1,
    });
    expect(request?.rawBody).not.toContain("hunter2");
  });

  it("passes a missing sender as null, and applies to sends through a new instance of the class", async () => {
    fake.durian.hooks.register(CustomerHook);
    await fake.durian.hooks.sync();
    await new CustomerHook().send(undefined, { ...jerry });
    expect(eventRequests()[0]?.body).toEqual({
      payload: { name: "Jerry Seinfeld", email: "jerry@example.com", changedBy: "system" },
      version: 1,
    });
  });

  it("may be given as an option, and may be async", async () => {
    const seen: unknown[] = [];
    const hook = fake.durian.hooks.register(
      new Hook({
        name: "order",
        providesArgs: ["id", "total"],
        async preparePayload(sender, payload) {
          seen.push([sender, payload]);
          await Promise.resolve();
          return { ...payload, total: Number(payload.cents) / 100 };
        },
      }),
    );
    await fake.durian.hooks.sync();
    await hook.send(null, { id: "o-1", cents: 1250 });
    expect(seen).toEqual([[null, { id: "o-1", cents: 1250 }]]);
    expect(eventRequests()[0]?.body).toEqual({ payload: { id: "o-1", total: 12.5 }, version: 1 });
  });

  it("passes the payload through unchanged by default", async () => {
    const hook = new Hook({ name: "plain", providesArgs: ["a"] });
    const payload = { a: 1, b: 2 };
    expect(await hook.preparePayload(null, payload)).toBe(payload);
  });

  it("refuses a result that is not a plain object, naming preparePayload, and sends nothing", async () => {
    const hook = fake.durian.hooks.register(
      new Hook({
        name: "forgetful",
        providesArgs: ["a"],
        preparePayload: () => undefined as unknown as Record<string, unknown>,
      }),
    );
    await fake.durian.hooks.sync();
    fake.api.requests.length = 0;
    await expect(hook.send(null, { a: 1 })).rejects.toThrow(
      new InvalidPayload(
        'Hook "forgetful": preparePayload must return a plain object keyed by field, got undefined',
      ),
    );
    expect(fake.api.requests).toHaveLength(0);
  });
});

describe("hook.listener().match().save()", () => {
  it("creates a listener for the hook with a serialised filter and returns its secret", async () => {
    const person = fake.durian.hooks.register(PersonHook);
    await fake.durian.hooks.sync();

    const listener = await person
      .listener({
        url: "http://where.joe/is/listening",
        description: "J people",
        headers: { "x-a": "1" },
        envelope: true,
      })
      .match({ name: Startswith("J") })
      .save();
    expect(listener.secret).toMatch(/^whsec_/);
    expect(fake.api.requestsTo("POST", "/api/v1/listeners")[0]?.body).toEqual({
      hook: "person",
      url: "http://where.joe/is/listening",
      description: "J people",
      headers: { "x-a": "1" },
      envelope: true,
      filter: { name: { $startswith: "J" } },
    });
  });

  it("sends no filter when nothing was matched (every event)", async () => {
    const person = fake.durian.hooks.register(PersonHook);
    await fake.durian.hooks.sync();
    await person.listener({ url: "http://where.joe/is/listening" }).save();
    expect(fake.api.requestsTo("POST", "/api/v1/listeners")[0]?.body).toEqual({
      hook: "person",
      url: "http://where.joe/is/listening",
    });
  });

  it("ANDs conditions given to several match() calls", () => {
    const hook = new Hook({ name: "h", providesArgs: ["age", "name", "address"] });
    const builder = hook
      .listener({ url: "https://x.test" })
      .match({ age: Gte(18), name: "Joe" })
      .match({ age: Lt(65), "address.city": Like(/^new york/i) });
    expect(builder.toFilter()).toEqual({
      age: { $gte: 18, $lt: 65 },
      name: "Joe",
      "address.city": { $like: "(?i)^new york" },
    });
    expect(() => builder.match({ age: Gte(21) })).toThrow(
      'Filter field "age": cannot combine two $gte conditions',
    );
  });

  it("refuses a filter on a field the hook does not provide", () => {
    const builder = new PersonHook().listener({ url: "https://x.test" });
    expect(() => builder.match({ secret: "x" })).toThrow(InvalidFilter);
    expect(() => builder.match({ "secret.inner": 1 })).toThrow(
      'Filter field "secret": hook "person" does not provide it',
    );
  });
});
