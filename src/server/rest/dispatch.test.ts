import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiHarness, startApiHarness } from "@/testing/api-harness";

// Routing and validation by the operation table (dispatch.ts, match-operation.ts); each operation's
// own behaviour is pinned by the *-api tests.

let api: ApiHarness;

beforeAll(async () => {
  api = await startApiHarness();
  await api.call("PUT", "/hooks/person", { body: { providesArgs: ["name"] } });
});
afterAll(() => api?.close());

const paths = (body: { errors?: { path: string }[] }) => body.errors?.map((error) => error.path);

describe("routing by the operation table", () => {
  it("answers an unknown path 404 and a known path's other methods 405 with Allow, before authentication", async () => {
    const unknown = await api.call("GET", "/nope/1", { apiKey: null });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toBe("application/problem+json");
    expect(unknown.body.detail).toBe("No route GET /api/v1/nope/1");

    const wrongMethod = await api.call("PATCH", "/hooks/person", { apiKey: null });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("GET, PUT, DELETE");
    expect(wrongMethod.body.detail).toContain("PATCH is not allowed here");

    const options = await api.call("OPTIONS", "/hooks/person", { apiKey: null });
    expect(options.status).toBe(204);
    expect(options.headers.get("allow")).toBe("GET, PUT, DELETE, OPTIONS");
  });

  it("answers HEAD as GET, and serves the OpenAPI document without authentication", async () => {
    expect((await api.call("HEAD", "/hooks")).status).toBe(200);
    const document = await api.call("GET", "/openapi.json", { apiKey: null });
    expect(document.status).toBe(200);
    expect(document.body.openapi).toBe("3.1.0");
  });

  it("decodes path segments before their schema sees them", async () => {
    const slashed = await api.call("GET", "/hooks/a%2Fb");
    expect(slashed.status).toBe(422);
    expect(paths(slashed.body)).toEqual(["name"]);
    expect((await api.call("GET", "/hooks/%E0%A4%A")).status).toBe(400);
  });
});

describe("validation by the operation's schemas", () => {
  it("names every bad part of a request at once: path, query, header and body", async () => {
    const refused = await api.call("POST", "/hooks/bad%20name/events?wait=soon", {
      headers: { "idempotency-key": "" },
      body: { payload: ["not", "an", "object"], sender: 7 },
    });
    expect(refused.status).toBe(422);
    expect(paths(refused.body)).toEqual(["name", "wait", "Idempotency-Key", "payload", "sender"]);
  });
});
