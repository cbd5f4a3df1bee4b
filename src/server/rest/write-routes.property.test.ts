import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiHarness, signUp, startApiHarness, TEST_ORIGIN } from "@/testing/api-harness";

// Generated JSON, the awkward cases included (NUL, lone surrogates, numbers a double cannot hold,
// nesting thousands deep, wrong types), thrown at every write route through the real handlers on a
// real database: the answer is 2xx or 4xx, never 5xx; a 4xx writes nothing; an accepted event is
// stored exactly as sent.

const RUNS_PER_ROUTE = 40;

let api: ApiHarness;
let listenerId: string;
let sessionCookie: string;

beforeAll(async () => {
  api = await startApiHarness();
  await api.call("PUT", "/hooks/person", { body: { providesArgs: ["name", "address", "amount"] } });
  listenerId = (
    await api.call("POST", "/listeners", { body: { hook: "person", url: "https://example.com/p" } })
  ).body.id;
  sessionCookie = await signUp(`property-${Date.now()}@example.com`);
});
afterAll(() => api?.close());

const codeUnit = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.constantFrom("\u0000", "\ud800", "\udfff", "😀", "\\", '"') },
  { weight: 1, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit)) },
);
const text = fc.string({ unit: codeUnit, maxLength: 12 });
/** Number tokens as written in the body: ordinary doubles and ones that would not arrive as written. */
const numberToken = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((value) => JSON.stringify(value)),
  fc.integer().map(String),
  fc.constantFrom(
    "1e400",
    "-1e400",
    "1e-400",
    "12345678901234567890",
    "9007199254740993",
    "0.1234567890123456789",
  ),
);
const fieldName = fc.oneof(fc.constantFrom("name", "address", "amount", "$is", "$like", "$not", "a.b"), text);

/** JSON text, built by hand so that number tokens reach the server exactly as generated. */
const jsonText: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    text.map((value) => JSON.stringify(value)),
    numberToken,
    fc.constantFrom("true", "false", "null"),
    fc.array(tie("value"), { maxLength: 4 }).map((items) => `[${items.join(",")}]`),
    fc
      .array(fc.tuple(fieldName, tie("value")), { maxLength: 4 })
      .map((entries) => `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(",")}}`),
  ),
})).value;

/** Sometimes buried under thousands of arrays. */
const anyJson = fc
  .tuple(jsonText, fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 40 }), fc.constant(10_000)))
  .map(([value, depth]) => "[".repeat(depth) + value + "]".repeat(depth));

/** Mostly what the field expects, so requests get past the first check; sometimes anything at all. */
function mostly(valid: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: anyJson });
}
const plainText = fc.string({ unit: "grapheme-ascii", maxLength: 12 });
const someText = fc
  .oneof({ weight: 3, arbitrary: plainText }, { weight: 1, arbitrary: text })
  .map((value) => JSON.stringify(value));
const fieldValue = fc.oneof(someText, numberToken, jsonText);

/** A JSON object of some of `fields`, each present or not unless `required`. */
function objectOf(
  fields: Record<string, fc.Arbitrary<string>>,
  required: string[] = [],
): fc.Arbitrary<string> {
  return fc.record(fields, { requiredKeys: required }).map(
    (chosen) =>
      `{${Object.entries(chosen)
        .map(([key, value]) => `${JSON.stringify(key)}:${value}`)
        .join(",")}}`,
  );
}

const payload = mostly(objectOf({ name: fieldValue, address: fieldValue, amount: fieldValue }));
const filter = mostly(
  objectOf({
    name: fc.oneof(fieldValue, objectOf({ $startswith: someText, $like: someText, $in: jsonText })),
    amount: fc.oneof(numberToken, objectOf({ $gt: numberToken, $not: objectOf({ $is: fieldValue }) })),
    "address.city": fieldValue,
  }),
);

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Percent-encoded; a lone surrogate (which encodeURIComponent refuses) as the UTF-8 bytes it would have. */
function queryValue(value: string): string {
  return value.split(LONE_SURROGATE).map(encodeURIComponent).join("%ED%A0%80");
}

interface WriteRoute {
  method: string;
  path: () => string;
  body: fc.Arbitrary<string>;
  session?: boolean;
}

const routes: Record<string, WriteRoute> = {
  "POST /hooks/{name}/events": {
    method: "POST",
    path: () => "/hooks/person/events",
    body: objectOf({ payload, sender: mostly(someText) }, ["payload"]),
  },
  "PUT /hooks/{name}": {
    method: "PUT",
    path: () => "/hooks/generated",
    body: objectOf({
      providesArgs: mostly(fc.array(someText, { maxLength: 4 }).map((fields) => `[${fields.join(",")}]`)),
      verboseName: mostly(someText),
      timeoutMs: mostly(fc.oneof(numberToken, fc.integer({ min: 100, max: 60_000 }).map(String))),
    }),
  },
  "POST /listeners": {
    method: "POST",
    path: () => "/listeners",
    body: objectOf({ filter, description: mostly(someText) }).map((fields) =>
      fields === "{}"
        ? `{"hook":"person","url":"https://example.com/g"}`
        : `{"hook":"person","url":"https://example.com/g",${fields.slice(1)}`,
    ),
  },
  "PATCH /listeners/{id}": {
    method: "PATCH",
    path: () => `/listeners/${listenerId}`,
    body: objectOf({
      filter,
      description: mostly(someText),
      url: mostly(fc.constantFrom('"https://example.com/h"', `"${TEST_ORIGIN}/api/inspect/abc/"`)),
    }),
  },
  "POST /listeners/{id}/recover": {
    method: "POST",
    path: () => `/listeners/${listenerId}/recover`,
    body: objectOf({ since: mostly(fc.constantFrom('"2026-01-01T00:00:00Z"', '"yesterday"')) }),
  },
  "POST /api-keys": {
    method: "POST",
    path: () => "/api-keys",
    body: objectOf({ name: mostly(someText) }),
    session: true,
  },
};

async function snapshot() {
  const [hooks, listeners, events, deliveries, apiKeys, listener] = await Promise.all([
    api.db.hook.count(),
    api.db.listener.count(),
    api.db.event.count(),
    api.db.delivery.count(),
    api.db.apiKey.count(),
    api.db.listener.findUniqueOrThrow({ where: { id: listenerId } }),
  ]);
  return { hooks, listeners, events, deliveries, apiKeys, listener };
}

describe("every write route, given generated JSON", () => {
  for (const [name, route] of Object.entries(routes)) {
    it(`${name}: 2xx or 4xx, never 5xx, and nothing written on a 4xx`, async () => {
      await fc.assert(
        fc.asyncProperty(route.body, async (body) => {
          const before = await snapshot();
          const response = await api.call(route.method, route.path(), {
            rawBody: body,
            headers: route.session
              ? { "content-type": "application/json", cookie: sessionCookie, origin: TEST_ORIGIN }
              : { "content-type": "application/json" },
            apiKey: route.session ? null : undefined,
          });
          expect(response.status, JSON.stringify(response.body)).toBeLessThan(500);
          console.log("STATUS", name, response.status, JSON.stringify(response.body).slice(0, 150));
          expect(response.status).toBeGreaterThanOrEqual(200);
          if (response.status >= 400) {
            expect(await snapshot()).toEqual(before);
          } else if (name === "POST /hooks/{name}/events") {
            // Accepted: stored exactly as sent, nothing changed on the way.
            const event = await api.db.event.findUniqueOrThrow({ where: { id: response.body.eventId } });
            const sent = JSON.parse(body) as { payload: unknown; sender?: unknown };
            expect(event.payload).toEqual(sent.payload);
            expect(event.sender).toBe(sent.sender ?? null);
          }
        }),
        { numRuns: RUNS_PER_ROUTE },
      );
    });
  }

  it("query parameters of every list route: never 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("/hooks", "/listeners", "/events", "/deliveries"),
        fc.constantFrom("search", "cursor", "limit", "hook", "since", "listenerId", "eventId", "status"),
        text,
        async (path, parameter, value) => {
          const response = await api.call("GET", `${path}?${parameter}=${queryValue(value)}`);
          expect(response.status, `${path}?${parameter}=${JSON.stringify(value)}`).toBeLessThan(500);
        },
      ),
      { numRuns: RUNS_PER_ROUTE },
    );
  });
});
