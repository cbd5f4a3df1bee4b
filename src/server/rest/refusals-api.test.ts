import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_JSON_DEPTH } from "@/core/payload/json-depth";
import { createCaller } from "@/server/api/root";
import { getSessionUser } from "@/server/auth/session";
import { type ApiHarness, signUp, startApiHarness, TEST_ORIGIN } from "@/testing/api-harness";

// "Refuse before the database": input PostgreSQL would refuse (a 500), or would store changed, gets a
// 422 naming where it is, and nothing is written.

let api: ApiHarness;
let listenerId: string;

beforeAll(async () => {
  api = await startApiHarness();
  await api.call("PUT", "/hooks/person", { body: { providesArgs: ["name", "address", "amount"] } });
  const listener = await api.call("POST", "/listeners", {
    body: { hook: "person", url: "https://example.com/hook" },
  });
  listenerId = listener.body.id;
});
afterAll(() => api?.close());

const NUL = "a\u0000b";
const LONE_SURROGATE = "x\ud800";

async function rowCounts() {
  const [hooks, listeners, events, deliveries, apiKeys] = await Promise.all([
    api.db.hook.count(),
    api.db.listener.count(),
    api.db.event.count(),
    api.db.delivery.count(),
    api.db.apiKey.count(),
  ]);
  return { hooks, listeners, events, deliveries, apiKeys };
}

/** Calls, expects a 422 problem naming exactly `paths`, and that nothing was written. */
async function expectRefused(
  method: string,
  path: string,
  options: Parameters<ApiHarness["call"]>[2],
  paths: string[],
) {
  const before = await rowCounts();
  const response = await api.call(method, path, options);
  expect(response.status, JSON.stringify(response.body)).toBe(422);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  expect(response.body.errors.map((error: { path: string }) => error.path)).toEqual(paths);
  expect(await rowCounts()).toEqual(before);
  return response.body.errors as { path: string; message: string }[];
}

function raw(text: string) {
  return { rawBody: text, headers: { "content-type": "application/json" } };
}

function nested(depth: number, inner = '"x"'): string {
  return "[".repeat(depth) + inner + "]".repeat(depth);
}

describe("NUL and unpaired surrogates", () => {
  it("are refused in payload values, nested too, and in the sender", async () => {
    await expectRefused("POST", "/hooks/person/events", { body: { payload: { name: NUL } } }, [
      "payload.name",
    ]);
    await expectRefused(
      "POST",
      "/hooks/person/events",
      { body: { payload: { address: { lines: ["ok", NUL] } } } },
      ["payload.address.lines.1"],
    );
    await expectRefused("POST", "/hooks/person/events", { body: { payload: { name: LONE_SURROGATE } } }, [
      "payload.name",
    ]);
    await expectRefused("POST", "/hooks/person/events", { body: { payload: {}, sender: NUL } }, ["sender"]);
    // Sent as a JSON escape, a lone surrogate in the sender used to become U+FFFD on a 202.
    await expectRefused("POST", "/hooks/person/events", raw('{"payload": {}, "sender": "\\ud800"}'), [
      "sender",
    ]);
  });

  it("are refused in hook and listener fields", async () => {
    await expectRefused("PUT", "/hooks/person", { body: { providesArgs: ["name"], verboseName: NUL } }, [
      "verboseName",
    ]);
    await expectRefused("PUT", "/hooks/person", { body: { providesArgs: ["name", NUL] } }, [
      "providesArgs.1",
    ]);
    await expectRefused(
      "POST",
      "/listeners",
      { body: { hook: "person", url: "https://example.com/a", description: NUL } },
      ["description"],
    );
    await expectRefused("PATCH", `/listeners/${listenerId}`, { body: { description: LONE_SURROGATE } }, [
      "description",
    ]);
  });

  it("are refused in query parameters and path segments, never a 500", async () => {
    const search = await expectRefused("GET", "/hooks?search=%00", {}, ["search"]);
    expect(search[0]!.message).toContain("NUL");
    await expectRefused("GET", "/deliveries/a%00b", {}, ["id"]);
    await expectRefused("GET", "/events?hook=person&cursor=%00", {}, ["cursor"]);
    await expectRefused("GET", "/hooks/a%00b", {}, ["name"]);
    await expectRefused("DELETE", "/listeners/a%00b", {}, ["id"]);
  });

  it("are refused in an API key's name (a dashboard session)", async () => {
    const cookie = await signUp(`refusals-${Date.now()}@example.com`);
    await expectRefused(
      "POST",
      "/api-keys",
      { apiKey: null, headers: { cookie, origin: TEST_ORIGIN }, body: { name: NUL } },
      ["name"],
    );
  });
});

describe("nesting", () => {
  it(`accepts a payload nested ${MAX_JSON_DEPTH} levels and refuses one level more`, async () => {
    const atLimit = await api.call(
      "POST",
      "/hooks/person/events",
      raw(`{"payload": {"name": ${nested(31)}}}`),
    );
    expect(atLimit.status).toBe(202);
    const [error] = await expectRefused(
      "POST",
      "/hooks/person/events",
      raw(`{"payload": {"name": ${nested(32)}}}`),
      [["payload", "name", ...Array<number>(31).fill(0)].join(".")],
    );
    expect(error!.message).toBe(`nested deeper than ${MAX_JSON_DEPTH} levels of objects and arrays`);
  });

  it("refuses a payload or a filter nested 10,000 deep with a 422, not a stack overflow", async () => {
    const deepPayload = await api.call(
      "POST",
      "/hooks/person/events",
      raw(`{"payload": {"name": ${nested(10_000)}}}`),
    );
    expect(deepPayload.status).toBe(422);
    const deepObject = '{"a":'.repeat(10_000) + "1" + "}".repeat(10_000);
    const deepFilter = await api.call(
      "POST",
      "/listeners",
      raw(`{"hook": "person", "url": "https://example.com/f", "filter": {"name": {"$is": ${deepObject}}}}`),
    );
    expect(deepFilter.status).toBe(422);
    expect(deepFilter.body.errors[0].path).toMatch(/^filter\.name\.\$is\.a\.a/);
  });
});

describe("numbers JSON cannot carry exactly", () => {
  it("are refused naming the path instead of changing on a 202", async () => {
    const [overflow] = await expectRefused(
      "POST",
      "/hooks/person/events",
      raw('{"payload": {"amount": 1e400}}'),
      ["payload.amount"],
    );
    expect(overflow!.message).toContain("would become null");
    const [digits] = await expectRefused(
      "POST",
      "/hooks/person/events",
      raw('{"payload": {"amount": [1, 12345678901234567890]}}'),
      ["payload.amount.1"],
    );
    expect(digits!.message).toContain("12345678901234567000");
    await expectRefused(
      "POST",
      "/hooks/person/events",
      raw('{"payload": {"amount": 0.1234567890123456789}}'),
      ["payload.amount"],
    );
    await expectRefused("PUT", "/hooks/person", raw('{"providesArgs": ["name"], "timeoutMs": 1e400}'), [
      "timeoutMs",
    ]);
  });

  it("are accepted when they arrive as written, and stored so", async () => {
    const response = await api.call(
      "POST",
      "/hooks/person/events",
      raw('{"payload": {"amount": [1.50, 1e2, 9007199254740992, -0.25]}}'),
    );
    expect(response.status).toBe(202);
    const event = await api.db.event.findUniqueOrThrow({ where: { id: response.body.eventId } });
    expect(event.payload).toEqual({ amount: [1.5, 100, 9007199254740992, -0.25] });
  });
});

describe("?wait=", () => {
  it("takes decimal seconds from 0 to 30 only", async () => {
    for (const wait of ["0x10", "1e1", "%205", "", "-1", "31", "Infinity", "5s"]) {
      await expectRefused("POST", `/hooks/person/events?wait=${wait}`, { body: { payload: {} } }, ["wait"]);
    }
    for (const wait of ["0", "0.05", "00"]) {
      const response = await api.call("POST", `/hooks/person/events?wait=${wait}`, { body: { payload: {} } });
      expect(response.status, wait).toBe(202);
    }
  });
});

describe("the app's own inspector as a listener URL", () => {
  it("is stored without the trailing slash its route would answer with a 308", async () => {
    const created = await api.call("POST", "/listeners", {
      body: { hook: "person", url: `${TEST_ORIGIN}/api/inspect/cktoken123/` },
    });
    expect(created.status).toBe(201);
    expect(created.body.url).toBe(`${TEST_ORIGIN}/api/inspect/cktoken123`);
    const updated = await api.call("PATCH", `/listeners/${created.body.id}`, {
      body: { url: `${TEST_ORIGIN}/api/inspect/other456/` },
    });
    expect(updated.body.url).toBe(`${TEST_ORIGIN}/api/inspect/other456`);
  });
});

describe("dashboard procedures (tRPC) share the refusals", () => {
  it("refuse NUL, lone surrogates and deep nesting as BAD_REQUEST with the path, writing nothing", async () => {
    const cookie = await signUp(`refusals-trpc-${Date.now()}@example.com`);
    const user = await getSessionUser(new Headers({ cookie }));
    const member = await api.db.projectMember.findFirstOrThrow({ where: { userId: user!.id } });
    const caller = createCaller({ headers: new Headers({ origin: TEST_ORIGIN }), user });
    const projectId = member.projectId;
    const before = await rowCounts();

    await expect(caller.apiKey.create({ projectId, name: NUL })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      cause: { fieldErrors: [{ path: "name", message: expect.stringContaining("NUL") }] },
    });
    await expect(caller.project.create({ name: LONE_SURROGATE })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(caller.listener.get({ projectId, id: NUL })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const deep = JSON.parse(nested(10_000)) as unknown;
    await expect(
      caller.listener.sendTest({ projectId, id: listenerId, payload: { name: deep } }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await rowCounts()).toEqual(before);
  });
});
