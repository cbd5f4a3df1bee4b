// Hook versions and listener config end to end: the REST API on a real PostgreSQL database, the fan-out
// run as each event is accepted (the harness's runner), and each delivery attempted against a real
// receiver on 127.0.0.1.

import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  hookRecordSchema,
  hookVersionListSchema,
  listenerWithSecretSchema,
  problemSchema,
} from "@/contracts";
import { parseAllowlist } from "@/core/delivery/allowlist";
import { runDeliveryAttempt } from "@/server/delivery/run-delivery-attempt";
import { putHook } from "@/server/services/hooks";
import { type ApiHarness, type ApiResponse, startApiHarness } from "@/testing/api-harness";
import { type ReceivedRequest, startReceiver, type TestReceiver } from "@/testing/receiver";

let api: ApiHarness;
let receiver: TestReceiver;

beforeAll(async () => {
  receiver = await startReceiver((_, response) => void response.end());
  vi.stubEnv("DURIAN_ALLOWED_HOSTS", `127.0.0.1:${receiver.port}`);
  api = await startApiHarness();
});
afterAll(async () => {
  await receiver?.close();
  await api?.close();
  vi.unstubAllEnvs();
});

function errorsOf(response: ApiResponse, status = 422): { path: string; message: string }[] {
  expect(response.status).toBe(status);
  return problemSchema.parse(response.body).errors ?? [];
}

async function listen(hook: string, path: string, extra: object = {}): Promise<string> {
  const created = await api.call("POST", "/listeners", {
    body: { hook, url: `${receiver.url}${path}`, envelope: true, ...extra },
  });
  expect(created.status).toBe(201);
  return listenerWithSecretSchema.parse(created.body).id;
}

/** Sends an event and attempts each delivery it made; what the receiver got, by path. */
async function sendAndDeliver(hook: string, body: object): Promise<ReceivedRequest[]> {
  const before = receiver.requests.length;
  const sent = await api.call("POST", `/hooks/${hook}/events`, { body });
  expect(sent.status).toBe(202);
  const deliveries = await api.db.delivery.findMany({ where: { eventId: sent.body.eventId } });
  for (const delivery of deliveries)
    expect(
      await runDeliveryAttempt(api.db, delivery.id, {
        allowlist: parseAllowlist(`127.0.0.1:${receiver.port}`),
      }),
    ).toMatchObject({ kind: "attempted", status: "succeeded" });
  return receiver.requests.slice(before).sort((a, b) => a.path.localeCompare(b.path));
}

describe("hook versions", () => {
  it("adds a version on a breaking change; listeners on the old one still receive the old shape", async () => {
    await api.call("PUT", "/hooks/person", { body: { providesArgs: ["name", "email", "phone"] } });
    const old = await listen("person", "/old", { filter: { email: { $exists: true } } });

    const changed = await api.call("PUT", "/hooks/person", {
      body: { providesArgs: ["name", "phone", "age"] },
    });
    expect(changed.status).toBe(200);
    expect(hookRecordSchema.parse(changed.body)).toMatchObject({
      version: 2,
      providesArgs: ["name", "phone", "age"],
    });
    const current = await listen("person", "/new");
    expect((await api.call("GET", `/listeners/${old}`)).body.hookVersion).toBe(1);
    expect((await api.call("GET", `/listeners/${current}`)).body.hookVersion).toBe(2);

    const latest = await sendAndDeliver("person", { payload: { name: "Joe", phone: "212", age: 40 } });
    expect(latest.map((request) => request.path)).toEqual(["/new"]);
    expect(latest[0]!.headers["durian-hook-version"]).toBe("2");
    expect(JSON.parse(latest[0]!.body)).toMatchObject({
      type: "person",
      version: 2,
      data: { name: "Joe", phone: "212", age: 40 },
    });

    const earlier = await sendAndDeliver("person", {
      version: 1,
      payload: { name: "Joe", email: "joe@example.com", phone: "212" },
    });
    expect(earlier.map((request) => request.path)).toEqual(["/old"]);
    expect(earlier[0]!.headers["durian-hook-version"]).toBe("1");
    expect(JSON.parse(earlier[0]!.body)).toMatchObject({
      version: 1,
      data: { name: "Joe", email: "joe@example.com", phone: "212" },
    });

    const events = await api.call("GET", "/events?hook=person");
    expect(events.body.items.map((event: { hookVersion: number }) => event.hookVersion)).toEqual([1, 2]);

    // The same Idempotency-Key for another version is another request, refused.
    const keyed = (version: number) =>
      api.call("POST", "/hooks/person/events", {
        body: { version, payload: { name: "Joe" } },
        headers: { "Idempotency-Key": "versioned-1" },
      });
    expect((await keyed(1)).status).toBe(202);
    expect(errorsOf(await keyed(2))[0]?.path).toBe("Idempotency-Key");

    // Each version is validated with its own fields.
    const sendTo = (body: object) => api.call("POST", "/hooks/person/events", { body });
    expect(errorsOf(await sendTo({ version: 1, payload: { age: 3 } }))).toEqual([
      { path: "payload.age", message: expect.stringContaining('does not provide "age"') },
    ]);
    expect(errorsOf(await sendTo({ payload: { email: "x" } }))[0]?.path).toBe("payload.email");
    expect(errorsOf(await sendTo({ version: 3, payload: {} }))).toEqual([
      { path: "version", message: 'hook "person" has no version 3 (its versions are 1 to 2)' },
    ]);
  });

  it("changes the latest version in place for an additive change, and lists versions with their listeners and changes", async () => {
    const additive = await api.call("PUT", "/hooks/person", {
      body: { providesArgs: ["name", "phone", "age", "city"] },
    });
    expect(additive.body.version).toBe(2);

    const listed = await api.call("GET", "/hooks/person/versions");
    expect(listed.status).toBe(200);
    const { items } = hookVersionListSchema.parse(listed.body);
    expect(
      items.map(({ version, providesArgs, listeners }) => ({ version, providesArgs, listeners })),
    ).toEqual([
      { version: 2, providesArgs: ["name", "phone", "age", "city"], listeners: 1 },
      { version: 1, providesArgs: ["name", "email", "phone"], listeners: 1 },
    ]);
    expect(items[0]!.changes).toEqual([
      { path: "age", kind: "added", detail: "added, optional", breaking: false },
      { path: "city", kind: "added", detail: "added, optional", breaking: false },
      { path: "email", kind: "removed", detail: "removed", breaking: true },
    ]);
    expect(items[1]!.changes).toEqual([]);
    expect((await api.call("GET", "/hooks/nobody/versions")).status).toBe(404);
  });

  it("moves a listener to another version only if its filter fits that version's fields", async () => {
    const listener = await listen("person", "/moving", { hookVersion: 1, filter: { email: "a@b.c" } });
    expect(errorsOf(await api.call("PATCH", `/listeners/${listener}`, { body: { hookVersion: 2 } }))).toEqual(
      [{ path: "filter.email", message: expect.stringContaining('does not provide "email"') }],
    );
    const moved = await api.call("PATCH", `/listeners/${listener}`, {
      body: { hookVersion: 2, filter: { city: "Queens" } },
    });
    expect(moved.body).toMatchObject({ hookVersion: 2, filter: { city: "Queens" } });
    expect(errorsOf(await api.call("PATCH", `/listeners/${listener}`, { body: { hookVersion: 9 } }))).toEqual(
      [{ path: "hookVersion", message: 'hook "person" has no version 9 (its versions are 1 to 2)' }],
    );
    await api.call("DELETE", `/listeners/${listener}`);
  });

  it("creates a listener on an earlier version only with a filter that fits that version's fields", async () => {
    const create = (body: object) =>
      api.call("POST", "/listeners", { body: { hook: "person", url: `${receiver.url}/earlier`, ...body } });
    expect(errorsOf(await create({ hookVersion: 1, filter: { city: "Queens" } }))).toEqual([
      { path: "filter.city", message: expect.stringContaining('does not provide "city"') },
    ]);
    expect(errorsOf(await create({ filter: { email: { $exists: true } } }))).toEqual([
      { path: "filter.email", message: expect.stringContaining('does not provide "email"') },
    ]);
    const created = await create({ hookVersion: 1, filter: { email: { $exists: true } } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ hookVersion: 1, filter: { email: { $exists: true } } });
    await api.call("DELETE", `/listeners/${created.body.id}`);
  });

  it("takes typed fields: a changed type is a new version, kept with its types", async () => {
    const typed = (type: "string" | "integer") => ({
      verboseName: "",
      description: "",
      kind: "custom" as const,
      timeoutMs: 10_000,
      retrySchedule: [],
      configForm: [],
      providesArgs: ["name", { name: "age", schema: { type }, required: true }],
    });
    const first = await putHook(api.projectId, "typed", typed("string"), api.db);
    expect(first.hook.version).toBe(1);
    expect((await putHook(api.projectId, "typed", typed("string"), api.db)).hook.version).toBe(1);
    const second = await putHook(api.projectId, "typed", typed("integer"), api.db);
    expect(second.hook.version).toBe(2);
    const versions = await api.db.hookVersion.findMany({
      where: { hookId: first.hook.id },
      orderBy: { version: "asc" },
    });
    expect(versions.map((version) => [version.version, version.fieldTypes])).toEqual([
      [1, { age: { schema: { type: "string" }, required: true } }],
      [2, { age: { schema: { type: "integer" }, required: true } }],
    ]);
    const listed = hookVersionListSchema.parse((await api.call("GET", "/hooks/typed/versions")).body);
    expect(listed.items[0]!.changes).toEqual([
      { path: "age", kind: "changed", detail: "type: string → integer", breaking: true },
    ]);
  });
});

describe("listener config (durian's config_form)", () => {
  const configForm = [
    { name: "format", schema: { enum: ["json", "xml"] }, default: "json" },
    { name: "include_address", schema: { type: "boolean" }, default: false },
    { name: "team", schema: { type: "string", maxLength: 20 }, required: true },
  ];

  it("refuses a config form that is not scalar options with fitting defaults", async () => {
    const refused = await api.call("PUT", "/hooks/configured", {
      body: { providesArgs: ["name"], configForm: [{ name: "where", schema: { type: "object" } }] },
    });
    expect(errorsOf(refused).map((error) => error.path)).toEqual(["configForm.0.schema"]);
  });

  it("validates each listener's config against the hook's form, naming the option", async () => {
    const put = await api.call("PUT", "/hooks/configured", { body: { providesArgs: ["name"], configForm } });
    expect(put.status).toBe(201);
    expect(put.body.configForm).toEqual(configForm.map((option) => ({ required: false, ...option })));
    const create = (config: object) =>
      api.call("POST", "/listeners", { body: { hook: "configured", url: `${receiver.url}/cfg`, config } });
    expect(errorsOf(await create({ format: "csv", include_address: "yes", colour: "red" }))).toEqual([
      { path: "config.format", message: 'must be one of "json", "xml"' },
      { path: "config.include_address", message: 'must be true or false, got the string "yes"' },
      { path: "config.colour", message: expect.stringContaining('no option "colour"') },
      { path: "config.team", message: "is required" },
    ]);
    expect(errorsOf(await create({ team: ["ops"] }))[0]?.path).toBe("config.team");
  });

  it("delivers the config, with the defaults of options left unset, in a header and the envelope", async () => {
    const listener = await listen("configured", "/cfg", { config: { team: "équipe", format: "xml" } });
    const [request] = await sendAndDeliver("configured", { payload: { name: "Joe" } });
    const delivered = { format: "xml", include_address: false, team: "équipe" };
    expect(request!.headers["durian-listener-config"]).toBe(
      '{"format":"xml","include_address":false,"team":"\\u00e9quipe"}',
    );
    expect(JSON.parse(request!.headers["durian-listener-config"] as string)).toEqual(delivered);
    expect(JSON.parse(request!.body)).toMatchObject({ data: { name: "Joe" }, config: delivered });

    const changed = await api.call("PATCH", `/listeners/${listener}`, {
      body: { config: { team: "ops", include_address: true } },
    });
    expect(changed.body.config).toEqual({ team: "ops", include_address: true });
    expect(errorsOf(await api.call("PATCH", `/listeners/${listener}`, { body: { config: {} } }))).toEqual([
      { path: "config.team", message: "is required" },
    ]);

    // The attempt's body, read back after the listener changed, is still the one it sent.
    expect((await api.call("PATCH", `/listeners/${listener}`, { body: { envelope: false } })).status).toBe(
      200,
    );
    const read = await api.call("GET", `/deliveries/${request!.headers["webhook-id"]}`);
    expect(read.body.attempts[0].requestBody).toBe(request!.body);
  });
});
