import { EventEmitter } from "node:events";
import { beforeEach, describe, expect, it } from "vitest";
import { DurianApiError, NotRegistered, SignalHook } from "./index";
import { useFakeDurianApi } from "../test-support/fake-durian-api";

const fake = useFakeDurianApi();

let emitter: EventEmitter;

beforeEach(() => {
  emitter = new EventEmitter();
});

// Sends of separate emits run concurrently, so the server may see them in any order.
const sentBodies = () =>
  fake.api.requests
    .filter((request) => request.path.endsWith("/events"))
    .map((request) => request.body)
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

async function registeredSignalHook(options: Partial<ConstructorParameters<typeof SignalHook>[0]> = {}) {
  const hook = fake.durian.hooks.register(
    new SignalHook({
      name: "signup",
      providesArgs: ["email", "name"],
      emitter,
      event: "user:signup",
      ...options,
    }),
  );
  await fake.durian.hooks.sync();
  fake.api.requests.length = 0;
  return hook;
}

describe("SignalHook", () => {
  it("sends on every emit; a single plain object argument is the payload, projected", async () => {
    const hook = await registeredSignalHook();
    emitter.emit("user:signup", { email: "joe@example.com", name: "Joe", password: "hunter2" });
    emitter.emit("user:signup", { email: "jerry@example.com" });
    await hook.flush();

    expect(sentBodies()).toEqual([
      { payload: { email: "jerry@example.com" }, version: 1 },
      { payload: { email: "joe@example.com", name: "Joe" }, version: 1 },
    ]);
    expect(fake.api.requests[0]?.path).toBe("/api/v1/hooks/signup/events");
  });

  it("maps positional arguments onto providesArgs in order, dropping extra ones", async () => {
    const hook = await registeredSignalHook();
    emitter.emit("user:signup", "joe@example.com", "Joe", "ignored");
    emitter.emit("user:signup", "only@example.com");
    await hook.flush();
    expect(sentBodies()).toEqual([
      { payload: { email: "joe@example.com", name: "Joe" }, version: 1 },
      { payload: { email: "only@example.com" }, version: 1 },
    ]);
  });

  it("uses toPayload and a computed sender when given", async () => {
    const hook = await registeredSignalHook({
      toPayload: (user) => ({ email: (user as { mail: string }).mail, name: "from toPayload" }),
      sender: (_user, source) => String(source),
    });
    emitter.emit("user:signup", { mail: "a@b.c" }, "web");
    await hook.flush();
    expect(sentBodies()).toEqual([
      { payload: { email: "a@b.c", name: "from toPayload" }, sender: "web", version: 1 },
    ]);
  });

  it("is registered with kind signal", async () => {
    await registeredSignalHook();
    expect(fake.api.hooks.get("signup")?.kind).toBe("signal");
  });

  it("stops sending after unbind()", async () => {
    const hook = await registeredSignalHook();
    emitter.emit("user:signup", { email: "before@example.com" });
    hook.unbind();
    emitter.emit("user:signup", { email: "after@example.com" });
    await hook.flush();
    expect(sentBodies()).toEqual([{ payload: { email: "before@example.com" }, version: 1 }]);
    expect(hook.bound).toBe(false);
    expect(emitter.listenerCount("user:signup")).toBe(0);
  });

  it("reports a failed send to onError instead of throwing from emit", async () => {
    const errors: unknown[] = [];
    const hook = await registeredSignalHook({ onError: (error, args) => errors.push([error, args]) });
    fake.api.respondNext({
      status: 503,
      headers: { "content-type": "application/problem+json" },
      body: { title: "Unavailable", status: 503, detail: "down" },
    });
    expect(() => emitter.emit("user:signup", { email: "x@y.z" })).not.toThrow();
    await hook.flush();
    expect(errors).toHaveLength(1);
    const [error, args] = errors[0] as [DurianApiError, unknown[]];
    expect(error).toBeInstanceOf(DurianApiError);
    expect(error.status).toBe(503);
    expect(args).toEqual([{ email: "x@y.z" }]);
  });

  it("reports NotRegistered for emits before the hook is registered", async () => {
    const errors: unknown[] = [];
    const hook = new SignalHook({
      name: "early",
      emitter,
      event: "e",
      onError: (error) => errors.push(error),
    });
    emitter.emit("e", {});
    await hook.flush();
    expect(errors[0]).toBeInstanceOf(NotRegistered);
    expect(fake.api.requests).toHaveLength(0);
    hook.unbind();
  });

  it("works with any emitter that has on and off", async () => {
    const listeners = new Map<string, (...args: unknown[]) => void>();
    const tinyEmitter = {
      on: (event: string | symbol, listener: (...args: unknown[]) => void) =>
        listeners.set(String(event), listener),
      off: (event: string | symbol) => listeners.delete(String(event)),
    };
    const hook = fake.durian.hooks.register(
      new SignalHook({ name: "tiny", providesArgs: ["n"], emitter: tinyEmitter, event: "tick" }),
    );
    await fake.durian.hooks.sync();
    listeners.get("tick")?.(7);
    await hook.flush();
    expect(sentBodies()).toEqual([{ payload: { n: 7 }, version: 1 }]);
    hook.unbind();
    expect(listeners.size).toBe(0);
  });

  it("refuses an emitter without on()", () => {
    expect(() => new SignalHook({ name: "x", emitter: {} as EventEmitter, event: "e" })).toThrow(
      /on\(event, listener\)/,
    );
  });
});
