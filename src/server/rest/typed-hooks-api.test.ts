import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiHarness, startApiHarness } from "@/testing/api-harness";

let api: ApiHarness;

beforeAll(async () => {
  api = await startApiHarness();
});
afterAll(() => api?.close());

const PERSON_FIELDS = [
  "note",
  { name: "name", schema: { type: "string", minLength: 1 }, required: true },
  { name: "age", schema: { type: "integer", minimum: 0 } },
  { name: "score", schema: { type: "number" } },
  { name: "vip", schema: { type: "boolean" } },
  { name: "signedUpAt", schema: { type: "string", format: "date-time" } },
  { name: "plan", schema: { enum: ["free", "pro"] } },
  {
    name: "address",
    schema: {
      type: "object",
      properties: { city: { type: "string" }, zip: { type: "string" } },
      required: ["city"],
    },
  },
  { name: "tags", schema: { type: "array", items: { type: "string" } } },
];

const VALID_PERSON = {
  name: "Joe",
  note: { any: ["thing"] },
  age: 40,
  score: 0.5,
  vip: true,
  signedUpAt: "2026-01-15T09:30:00Z",
  plan: "pro",
  address: { city: "Queens" },
  tags: ["a"],
};

async function putPerson(name = "person") {
  const response = await api.call("PUT", `/hooks/${name}`, { body: { providesArgs: PERSON_FIELDS } });
  expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
  return response;
}

async function sendPerson(payload: Record<string, unknown>, hook = "person") {
  return api.call("POST", `/hooks/${hook}/events`, { body: { payload } });
}

function errorsOf(response: { body: { errors?: { path: string; message: string }[] } }) {
  return Object.fromEntries((response.body.errors ?? []).map(({ path, message }) => [path, message]));
}

describe("typed providesArgs", () => {
  it("takes and returns the mixed form: bare names stay strings, typed fields objects", async () => {
    const created = await putPerson();
    expect(created.status).toBe(201);
    expect(created.body.providesArgs[0]).toBe("note");
    expect(created.body.providesArgs[2]).toEqual({
      name: "age",
      schema: { type: "integer", minimum: 0 },
      required: false,
    });
    const again = await putPerson();
    expect(again.status).toBe(200);
    expect(again.body.updatedAt).toBe(created.body.updatedAt);
  });

  it("refuses a bad type by its path", async () => {
    const response = await api.call("PUT", "/hooks/bad", {
      body: {
        providesArgs: [
          "ok",
          { name: "age", schema: { type: "int" } },
          { name: "at", schema: { type: "number", format: "date-time" } },
          { name: "x", schema: { type: "string", pattern: "^a" } },
        ],
      },
    });
    expect(response.status).toBe(422);
    expect(Object.keys(errorsOf(response))).toEqual([
      "providesArgs.1.schema.type",
      "providesArgs.2.schema.format",
      "providesArgs.3.schema",
    ]);
    expect(errorsOf(response)["providesArgs.2.schema.format"]).toBe('"format" needs "type": "string"');
  });
});

describe("events against the field types", () => {
  it("accepts an event whose values have their types", async () => {
    await putPerson();
    const response = await sendPerson(VALID_PERSON);
    expect(response.status).toBe(202);
    const event = await api.call("GET", `/events/${response.body.eventId}`);
    expect(event.body.payload).toEqual(VALID_PERSON);
  });

  it.each([
    ["string", { name: 7 }, "payload.name", "must be a string, got number 7"],
    ["integer", { age: 40.5 }, "payload.age", "must be an integer, got number 40.5"],
    ["number", { score: "high" }, "payload.score", 'must be a number, got the string "high"'],
    ["boolean", { vip: "yes" }, "payload.vip", 'must be true or false, got the string "yes"'],
    ["date-time", { signedUpAt: "yesterday" }, "payload.signedUpAt", /^must be a date-time \(RFC 3339\)/],
    ["enum", { plan: "gold" }, "payload.plan", 'must be one of "free", "pro"'],
    ["nested object", { address: { city: 7 } }, "payload.address.city", "must be a string, got number 7"],
    ["nested required", { address: { zip: "11101" } }, "payload.address.city", "is required"],
    ["array items", { tags: ["a", 1] }, "payload.tags.1", "must be a string, got number 1"],
    ["minimum", { age: -1 }, "payload.age", "must be at least 0"],
  ])("refuses a wrong %s with 422 naming %s", async (_type, change, path, message) => {
    await putPerson();
    const response = await sendPerson({ ...VALID_PERSON, ...change });
    expect(response.status).toBe(422);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(Object.keys(errorsOf(response))).toEqual([path]);
    expect(errorsOf(response)[path]).toEqual(
      message instanceof RegExp ? expect.stringMatching(message) : message,
    );
  });

  it("requires required fields", async () => {
    await putPerson();
    const { name: _name, ...withoutName } = VALID_PERSON;
    const response = await sendPerson(withoutName);
    expect(response.status).toBe(422);
    expect(errorsOf(response)).toEqual({ "payload.name": "is required" });
  });

  it("checks the new types from the next event on, and any writer's type change invalidates ingest plans", async () => {
    await api.call("PUT", "/hooks/counter", { body: { providesArgs: ["count"] } });
    expect((await sendPerson({ count: "three" }, "counter")).status).toBe(202);
    await api.call("PUT", "/hooks/counter", {
      body: { providesArgs: [{ name: "count", schema: { type: "integer" } }] },
    });
    expect((await sendPerson({ count: "three" }, "counter")).status).toBe(422);

    const before = await api.db.hook.findFirstOrThrow({
      where: { projectId: api.projectId, name: "counter" },
    });
    await api.db.hook.update({ where: { id: before.id }, data: { fieldTypes: {} } });
    const after = await api.db.hook.findUniqueOrThrow({ where: { id: before.id } });
    expect(after.ingestVersion).toBe(before.ingestVersion + 1);
    expect((await sendPerson({ count: "three" }, "counter")).status).toBe(202);
  });
});

describe("listener filters against the field types", () => {
  it("refuses operators and values that cannot match the field's type", async () => {
    await putPerson();
    const response = await api.call("POST", "/listeners", {
      body: {
        hook: "person",
        url: "https://example.com/hook",
        filter: { age: { $startswith: "4" }, plan: "gold", "address.city": { $gt: 1 } },
      },
    });
    expect(response.status).toBe(422);
    expect(Object.keys(errorsOf(response))).toEqual([
      "filter.age.$startswith",
      "filter.plan",
      "filter.address.city.$gt",
    ]);
    expect(errorsOf(response)["filter.plan"]).toBe(
      'plan: "gold" can never match: the field is one of "free", "pro"',
    );
    const fitting = await api.call("POST", "/listeners", {
      body: {
        hook: "person",
        url: "https://example.com/hook",
        filter: { age: { $gt: 30 }, signedUpAt: { $after: "2026-01-01T00:00:00Z" }, plan: { $in: ["pro"] } },
      },
    });
    expect(fitting.status).toBe(201);
  });
});

describe("downloads", () => {
  it("serves the hook's JSON Schema, which validates the payloads Durian stores and delivers", async () => {
    await putPerson("person.schema");
    const response = await api.call("GET", "/hooks/person.schema/schema");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/schema+json");
    expect(response.headers.get("content-disposition")).toBe(
      'attachment; filename="person.schema.schema.json"',
    );
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(response.body);

    const sent = await sendPerson(VALID_PERSON, "person.schema");
    const stored = await api.call("GET", `/events/${sent.body.eventId}`);
    expect(validate(stored.body.payload), JSON.stringify(validate.errors)).toBe(true);
    // What Durian refuses, the schema refuses too.
    expect(validate({ ...VALID_PERSON, age: "forty" })).toBe(false);
    expect(validate({ ...VALID_PERSON, secret: 1 })).toBe(false);
    expect(validate({ ...VALID_PERSON, address: { city: "Q", street: "Main" } })).toBe(false);
  });

  it("serves TypeScript declarations as a file", async () => {
    await putPerson("person.types");
    const response = await api.call("GET", "/hooks/person.types/types");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="person.types.ts"');
    expect(response.body).toContain("export interface PersonTypesPayload {");
    expect(response.body).toContain('  plan?: "free" | "pro";');
    expect(response.body).toContain("  name: string;");
  });

  it("lists the project's hooks under `webhooks` in the OpenAPI document fetched with an API key", async () => {
    await putPerson("person.openapi");
    const withKey = await api.call("GET", "/openapi.json");
    const post = withKey.body.webhooks["person.openapi"].post;
    const [payloadSchema] = post.requestBody.content["application/json"].schema.anyOf;
    expect(payloadSchema).toMatchObject({
      title: "person.openapi",
      required: ["name"],
      additionalProperties: false,
    });
    expect(payloadSchema).not.toHaveProperty("$schema");
    expect(withKey.headers.get("cache-control")).toBe("private, no-store");

    const other = await api.otherProject();
    const otherDocument = await api.call("GET", "/openapi.json", { apiKey: other.apiKey });
    expect(otherDocument.body.webhooks).not.toHaveProperty("person.openapi");
    const publicDocument = await api.call("GET", "/openapi.json", { apiKey: null });
    expect(publicDocument.body).not.toHaveProperty("webhooks");
  });
});
