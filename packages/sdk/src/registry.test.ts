import { describe, expect, it } from "vitest";
import {
  AlreadyRegistered,
  Durian,
  DurianApiError,
  Hook,
  InvalidHookDefinition,
  NotRegistered,
  SignalHook,
} from "./index";
import { EventEmitter } from "node:events";
import { useFakeDurianApi } from "../test-support/fake-durian-api";

const fake = useFakeDurianApi();

class PersonHook extends Hook {
  name = "person";
  providesArgs = ["name", "address"];
  verboseName = "Person changed";
}

describe("hook registry", () => {
  it("registers a subclass (instantiated) and an instance, and returns the registered hook", () => {
    const person = fake.durian.hooks.register(PersonHook);
    expect(person).toBeInstanceOf(PersonHook);
    expect(person.name).toBe("person");
    const myhook = fake.durian.hooks.register(new Hook({ name: "myhook" }));
    expect(fake.durian.hooks.get("myhook")).toBe(myhook);
    expect(fake.durian.hooks.get(PersonHook)).toBe(person);
    expect(fake.durian.hooks.has(PersonHook)).toBe(true);
    expect([...fake.durian.hooks].map((hook) => hook.name)).toEqual(["person", "myhook"]);
    expect(fake.durian.hooks.size).toBe(2);
  });

  it("throws AlreadyRegistered for a second hook with the same name, class or instance", () => {
    fake.durian.hooks.register(PersonHook);
    expect(() => fake.durian.hooks.register(PersonHook)).toThrow(AlreadyRegistered);
    expect(() => fake.durian.hooks.register(new Hook({ name: "person" }))).toThrow(
      'A hook named "person" is already registered',
    );
  });

  it("refuses an instance already registered with another client", () => {
    const hook = new Hook({ name: "shared" });
    fake.durian.hooks.register(hook);
    const other = new Durian({ url: fake.api.url, apiKey: fake.api.apiKey });
    expect(() => other.hooks.register(hook)).toThrow(AlreadyRegistered);
  });

  it("unregisters by name, instance or class; an unknown one throws NotRegistered", () => {
    const person = fake.durian.hooks.register(PersonHook);
    fake.durian.hooks.register(new Hook({ name: "a" }));
    const b = fake.durian.hooks.register(new Hook({ name: "b" }));

    fake.durian.hooks.unregister("a");
    fake.durian.hooks.unregister(b);
    fake.durian.hooks.unregister(PersonHook);
    expect(fake.durian.hooks.size).toBe(0);
    expect(fake.durian.hooks.get("person")).toBeUndefined();

    expect(() => fake.durian.hooks.unregister("a")).toThrow(NotRegistered);
    expect(() => fake.durian.hooks.unregister(PersonHook)).toThrow('No hook named "person" is registered');
    expect(() => fake.durian.hooks.unregister(person)).toThrow(NotRegistered);
    // A different instance with a registered name is not the registered hook.
    fake.durian.hooks.register(new Hook({ name: "c" }));
    expect(() => fake.durian.hooks.unregister(new Hook({ name: "c" }))).toThrow(NotRegistered);
  });

  it("refuses things that are not hooks", () => {
    expect(() => fake.durian.hooks.register({ name: "x" } as unknown as Hook)).toThrow(
      /Hook instance or a subclass/,
    );
    expect(() => fake.durian.hooks.register(class NotAHook {} as unknown as typeof Hook)).toThrow(
      /subclass of Hook/,
    );
  });

  it("sync() PUTs every registered definition with its kind, and reports created or updated", async () => {
    fake.durian.hooks.register(PersonHook);
    fake.durian.hooks.register(
      new Hook({
        name: "order.paid",
        providesArgs: ["id", "total"],
        timeoutMs: 5000,
        retrySchedule: [5, 60],
      }),
    );
    const emitter = new EventEmitter();
    const signal = fake.durian.hooks.register(
      new SignalHook({
        name: "signup",
        providesArgs: ["email"],
        emitter,
        event: "signup",
        description: "New users",
      }),
    );

    const first = await fake.durian.hooks.sync();
    expect(first.map((result) => [result.hook.name, result.created])).toEqual([
      ["person", true],
      ["order.paid", true],
      ["signup", true],
    ]);
    expect(fake.api.requests.map((request) => [request.method, request.path, request.body])).toEqual([
      [
        "PUT",
        "/api/v1/hooks/person",
        { providesArgs: ["name", "address"], verboseName: "Person changed", kind: "custom" },
      ],
      [
        "PUT",
        "/api/v1/hooks/order.paid",
        { providesArgs: ["id", "total"], kind: "custom", timeoutMs: 5000, retrySchedule: [5, 60] },
      ],
      ["PUT", "/api/v1/hooks/signup", { providesArgs: ["email"], description: "New users", kind: "signal" }],
    ]);

    const second = await fake.durian.hooks.sync();
    expect(second.every((result) => !result.created)).toBe(true);
    signal.unbind();
  });

  it("sync() stops at the first error, which names the route", async () => {
    fake.durian.hooks.register(new Hook({ name: "a" }));
    fake.durian.hooks.register(new Hook({ name: "b" }));
    fake.api.respondNext({
      status: 422,
      headers: { "content-type": "application/problem+json" },
      body: { title: "Invalid", status: 422, detail: "nope", errors: [] },
    });
    const error = await fake.durian.hooks.sync().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DurianApiError);
    expect((error as Error).message).toContain("PUT");
    expect((error as Error).message).toContain("/api/v1/hooks/a");
    expect(fake.api.requests).toHaveLength(1);
  });
});

describe("hook definitions", () => {
  it("refuses bad definitions where they are written, naming the field", () => {
    expect(() => new Hook({ name: "" })).toThrow(InvalidHookDefinition);
    expect(() => new Hook({ name: "has space" })).toThrow(/name may only contain letters, digits/);
    expect(() => new Hook({ name: ".." })).toThrow(/cannot be '.' or '..'/);
    expect(() => new Hook({ name: "x".repeat(101) })).toThrow(/longer than 100 characters/);
    expect(() => new Hook({ name: "p", providesArgs: ["name", "name"] })).toThrow(
      'Hook "p": providesArgs[1] repeats "name"',
    );
    expect(() => new Hook({ name: "p", providesArgs: ["name", ""] })).toThrow(
      /providesArgs\[1\] must be a non-empty string/,
    );
    expect(() => new Hook({ name: "p", timeoutMs: 0 })).toThrow(/timeoutMs must be a positive whole number/);
    expect(() => new Hook({ name: "p", retrySchedule: [5, -1] })).toThrow(/retrySchedule\[1\]/);
  });

  it("checks a subclass's fields when it is registered", () => {
    class Nameless extends Hook {
      providesArgs = ["a"];
    }
    class Repeating extends Hook {
      name = "rep";
      providesArgs = ["a", "a"];
    }
    expect(() => fake.durian.hooks.register(Nameless)).toThrow(/name is required/);
    expect(() => fake.durian.hooks.register(Repeating)).toThrow(InvalidHookDefinition);
    expect(fake.durian.hooks.size).toBe(0);
  });
});
