import { describe, expect, it } from "vitest";
import { Hook, InvalidHookDefinition } from "./index";
import { useFakeDurianApi } from "../test-support/fake-durian-api";

const fake = useFakeDurianApi();

const CONFIG_FORM = [
  { name: "format", schema: { enum: ["json", "xml"] }, default: "json" },
  { name: "include_address", schema: { type: "boolean" as const }, default: false },
];

function sentBodies(): unknown[] {
  return fake.api.requests
    .filter((request) => request.path.endsWith("/events"))
    .map((request) => request.body);
}

describe("hook versions and config forms in the SDK", () => {
  it("syncs the config form, and sends the version its sync answered with", async () => {
    const person = fake.durian.hooks.register(
      new Hook({ name: "person", providesArgs: ["name", "email"], configForm: CONFIG_FORM }),
    );
    const [synced] = await fake.durian.hooks.sync();
    expect(fake.api.requests[0]?.body).toMatchObject({ configForm: CONFIG_FORM });
    expect(synced?.hook.version).toBe(1);

    // Someone else's deploy drops a field: a new version, which this app's events do not follow.
    await fake.durian.putHook({ name: "person", providesArgs: ["name"] });
    await person.send(null, { name: "Joe", email: "joe@example.com" });
    expect(sentBodies()).toEqual([{ payload: { name: "Joe", email: "joe@example.com" }, version: 1 }]);
  });

  it("sends the version a hook declares, and none before a sync when it declares none", async () => {
    const pinned = fake.durian.hooks.register(
      new Hook({ name: "pinned", providesArgs: ["name"], version: 2 }),
    );
    const unsynced = fake.durian.hooks.register(new Hook({ name: "unsynced", providesArgs: ["name"] }));
    await fake.durian.putHook({ name: "pinned", providesArgs: ["name", "email"] });
    await fake.durian.putHook({ name: "pinned", providesArgs: ["name"] });
    await fake.durian.putHook({ name: "unsynced", providesArgs: ["name"] });
    await pinned.send("app", { name: "Joe" });
    await unsynced.send(null, { name: "Joe" });
    expect(sentBodies()).toEqual([
      { payload: { name: "Joe" }, sender: "app", version: 2 },
      { payload: { name: "Joe" } },
    ]);
    expect(() => new Hook({ name: "bad", version: 0 })).toThrow(InvalidHookDefinition);
  });

  it("creates listeners with config and a version", async () => {
    const person = fake.durian.hooks.register(
      new Hook({ name: "person", providesArgs: ["name"], configForm: CONFIG_FORM }),
    );
    await fake.durian.hooks.sync();
    const listener = await person
      .listener({ url: "https://example.com/a", config: { format: "xml" }, hookVersion: 1 })
      .save();
    expect(fake.api.requests.at(-1)?.body).toMatchObject({ config: { format: "xml" }, hookVersion: 1 });
    expect(listener).toMatchObject({ hookVersion: 1, config: { format: "xml" } });
  });
});
