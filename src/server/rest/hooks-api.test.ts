import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hookPageSchema, hookRecordSchema, problemSchema } from "@/contracts";
import { type ApiHarness, dispatch, readResponse, startApiHarness } from "@/testing/api-harness";

let api: ApiHarness;

beforeAll(async () => {
  api = await startApiHarness();
});
afterAll(() => api?.close());

function expectProblem(response: { status: number; headers: Headers; body: unknown }, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  const problem = problemSchema.parse(response.body);
  expect(problem.status).toBe(status);
  return problem;
}

describe("PUT /hooks/{name}", () => {
  it("creates with 201, answers 200 when it exists, and writes nothing when unchanged", async () => {
    const definition = { providesArgs: ["name", "email"], verboseName: "Person", retrySchedule: [1, 60] };
    const created = await api.call("PUT", "/hooks/person.created", { body: definition });
    expect(created.status).toBe(201);
    const hook = hookRecordSchema.parse(created.body);
    expect(hook).toMatchObject({
      name: "person.created",
      providesArgs: ["name", "email"],
      verboseName: "Person",
      kind: "custom",
      timeoutMs: 10_000,
      retrySchedule: [1, 60],
      enabled: true,
    });

    const again = await api.call("PUT", "/hooks/person.created", { body: definition });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(created.body);

    const changed = await api.call("PUT", "/hooks/person.created", {
      body: { ...definition, providesArgs: ["name", "email", "age"] },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.providesArgs).toEqual(["name", "email", "age"]);
    expect(changed.body.id).toBe(hook.id);
    expect(await api.db.hook.count({ where: { projectId: api.projectId, name: "person.created" } })).toBe(1);
  });

  it("replaces the whole definition: omitted fields go back to their defaults", async () => {
    await api.call("PUT", "/hooks/replaced", {
      body: { providesArgs: ["a"], description: "old", timeoutMs: 5000 },
    });
    const replaced = await api.call("PUT", "/hooks/replaced", { body: { providesArgs: ["a"] } });
    expect(replaced.body).toMatchObject({ description: "", timeoutMs: 10_000 });
  });

  it("refuses providesArgs that are not unique strings, naming the field", async () => {
    const duplicate = expectProblem(
      await api.call("PUT", "/hooks/dup", { body: { providesArgs: ["name", "email", "name"] } }),
      422,
    );
    expect(duplicate.errors).toEqual([
      { path: "providesArgs.2", message: expect.stringContaining('repeats "name"') },
    ]);

    const notStrings = expectProblem(
      await api.call("PUT", "/hooks/dup", { body: { providesArgs: ["name", 7, ""] } }),
      422,
    );
    expect(notStrings.errors?.map((error) => error.path)).toEqual(["providesArgs.1", "providesArgs.2"]);

    const notArray = expectProblem(
      await api.call("PUT", "/hooks/dup", { body: { providesArgs: "name" } }),
      422,
    );
    expect(notArray.errors?.[0]?.path).toBe("providesArgs");

    const missing = expectProblem(await api.call("PUT", "/hooks/dup", { body: {} }), 422);
    expect(missing.errors?.[0]?.path).toBe("providesArgs");
    expect(await api.db.hook.count({ where: { name: "dup" } })).toBe(0);
  });

  it("refuses a bad name, kind, timeout or retry schedule", async () => {
    const badName = expectProblem(
      await api.call("PUT", "/hooks/has%20space", { body: { providesArgs: [] } }),
      422,
    );
    expect(badName.errors).toEqual([{ path: "name", message: expect.stringContaining("letters, digits") }]);

    const bad = expectProblem(
      await api.call("PUT", "/hooks/ok", {
        body: { providesArgs: [], kind: "other", timeoutMs: 0, retrySchedule: [5, -1] },
      }),
      422,
    );
    expect(bad.errors?.map((error) => error.path).sort()).toEqual(["kind", "retrySchedule.1", "timeoutMs"]);
  });

  it("drops a field listeners filter on as a new version, leaving them on the version they filter", async () => {
    await api.call("PUT", "/hooks/signup", { body: { providesArgs: ["name", "email", "plan"] } });
    const onEmail = await api.call("POST", "/listeners", {
      body: {
        hook: "signup",
        url: "https://example.com/a",
        filter: { email: { $endswith: "@vandelay.com" } },
      },
    });
    const dropped = await api.call("PUT", "/hooks/signup", { body: { providesArgs: ["name", "plan"] } });
    expect(dropped.status).toBe(200);
    expect(dropped.body).toMatchObject({ providesArgs: ["name", "plan"], version: 2 });
    expect((await api.call("GET", `/listeners/${onEmail.body.id}`)).body).toMatchObject({
      hookVersion: 1,
      filter: { email: { $endswith: "@vandelay.com" } },
    });
  });
});

describe("GET and DELETE /hooks", () => {
  it("lists hooks by name, a page at a time, with their statistics", async () => {
    for (const name of ["list-a", "list-b", "list-c"])
      await api.call("PUT", `/hooks/${name}`, { body: { providesArgs: ["x"] } });
    await api.call("POST", "/listeners", { body: { hook: "list-a", url: "https://example.com/x" } });
    await api.call("POST", "/hooks/list-a/events", { body: { payload: { x: 1 } } });

    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : "?limit=2";
      const page = await api.call("GET", `/hooks${query}`);
      expect(page.status).toBe(200);
      const parsed = hookPageSchema.parse(page.body);
      expect(parsed.items.length).toBeLessThanOrEqual(2);
      names.push(...parsed.items.map((hook) => hook.name));
      cursor = parsed.nextCursor;
    } while (cursor);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(["list-a", "list-b", "list-c"]));

    const all = await api.call("GET", "/hooks?limit=200");
    const listA = all.body.items.find((hook: { name: string }) => hook.name === "list-a");
    expect(listA.stats).toEqual({ listeners: 1, events24h: 1, successRate24h: null });
  });

  it("searches names, verbose names, descriptions and fields, in any case, with % and _ taken literally", async () => {
    await api.call("PUT", "/hooks/search.invoice", { body: { providesArgs: ["amount_due"] } });
    await api.call("PUT", "/hooks/search.person", {
      body: { providesArgs: ["name"], verboseName: "Person signed up" },
    });
    await api.call("PUT", "/hooks/search.refund", {
      body: { providesArgs: ["amount"], description: "100% of the order" },
    });
    const found = async (search: string) => {
      const response = await api.call("GET", `/hooks?search=${encodeURIComponent(search)}`);
      expect(response.status).toBe(200);
      return hookPageSchema.parse(response.body).items.map((hook) => hook.name);
    };
    expect(await found("INVOICE")).toEqual(["search.invoice"]);
    expect(await found("signed UP")).toEqual(["search.person"]);
    expect(await found("amount")).toEqual(["search.invoice", "search.refund"]);
    expect(await found("t_d")).toEqual(["search.invoice"]);
    expect(await found("_")).toEqual(["search.invoice"]);
    expect(await found("100%")).toEqual(["search.refund"]);
    expect(await found("%")).toEqual(["search.refund"]);
    expect(await found("no such thing")).toEqual([]);

    const firstPage = await api.call("GET", "/hooks?search=amount&limit=1");
    expect(firstPage.body.items.map((hook: { name: string }) => hook.name)).toEqual(["search.invoice"]);
    const secondPage = await api.call(
      "GET",
      `/hooks?search=amount&limit=1&cursor=${firstPage.body.nextCursor}`,
    );
    expect(secondPage.body.items.map((hook: { name: string }) => hook.name)).toEqual(["search.refund"]);
  });

  it("refuses a cursor it did not make", async () => {
    const problem = expectProblem(await api.call("GET", "/hooks?cursor=bogus"), 422);
    expect(problem.errors?.[0]?.path).toBe("cursor");
  });

  it("answers 404 for an unknown hook, and deletes a hook with its listeners", async () => {
    expectProblem(await api.call("GET", "/hooks/nope"), 404);
    expectProblem(await api.call("DELETE", "/hooks/nope"), 404);

    await api.call("PUT", "/hooks/doomed", { body: { providesArgs: ["x"] } });
    await api.call("POST", "/listeners", { body: { hook: "doomed", url: "https://example.com/d" } });
    const deleted = await dispatch(api.request("DELETE", "/hooks/doomed"));
    expect(deleted.status).toBe(204);
    expectProblem(await api.call("GET", "/hooks/doomed"), 404);
    expect((await api.call("GET", "/listeners?hook=doomed")).body.items).toEqual([]);
  });

  it("never shows another project's hook", async () => {
    await api.call("PUT", "/hooks/private", { body: { providesArgs: ["x"] } });
    const other = await api.otherProject();
    const problem = expectProblem(await api.call("GET", "/hooks/private", { apiKey: other.apiKey }), 404);
    expect(problem.detail).toBe('Hook "private" not found');
    expectProblem(await api.call("DELETE", "/hooks/private", { apiKey: other.apiKey }), 404);
    expect((await api.call("GET", "/hooks", { apiKey: other.apiKey })).body.items).toEqual([]);
    expect((await api.call("GET", "/hooks/private")).status).toBe(200);
  });
});

describe("request bodies", () => {
  it("answers 415 for a content type other than JSON", async () => {
    const problem = expectProblem(
      await api.call("PUT", "/hooks/typed", {
        rawBody: '{"providesArgs":[]}',
        headers: { "content-type": "text/plain" },
      }),
      415,
    );
    expect(problem.detail).toContain("text/plain");
    expectProblem(await api.call("PUT", "/hooks/typed", { rawBody: '{"providesArgs":[]}' }), 415);
    const withCharset = await api.call("PUT", "/hooks/typed", {
      rawBody: '{"providesArgs":[]}',
      headers: { "content-type": "application/json; charset=utf-8" },
    });
    expect(withCharset.status).toBe(201);
  });

  it("answers 400 for malformed JSON or an empty body", async () => {
    const json = { "content-type": "application/json" };
    expectProblem(
      await api.call("PUT", "/hooks/broken", { rawBody: '{"providesArgs": [', headers: json }),
      400,
    );
    expectProblem(await api.call("PUT", "/hooks/broken", { rawBody: "", headers: json }), 400);
    expect(await api.db.hook.count({ where: { name: "broken" } })).toBe(0);
  });

  it("answers 413 for a body over 256 KB, by its Content-Length or by the bytes read", async () => {
    const big = JSON.stringify({ providesArgs: ["x"], description: "d".repeat(256 * 1024) });
    const declared = expectProblem(
      await api.call("PUT", "/hooks/big", { rawBody: big, headers: { "content-type": "application/json" } }),
      413,
    );
    expect(declared.detail).toContain("256 KB");

    // A stream with no Content-Length (or one that lies) is cut off once it passes the limit.
    const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(new TextEncoder().encode('{"providesArgs":[],"description":"'));
        if (sent++ < 8) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const streamed = api.request("PUT", "/hooks/big", {
      rawBody: stream,
      headers: { "content-type": "application/json", "content-length": "10" },
    });
    expectProblem(await readResponse(await dispatch(streamed)), 413);
    expect(sent).toBeLessThan(8);
    expect(await api.db.hook.count({ where: { name: "big" } })).toBe(0);
  });
});

describe("routing", () => {
  it("answers unknown routes with a problem+json 404", async () => {
    const problem = expectProblem(await api.call("GET", "/nothing/here"), 404);
    expect(problem.detail).toContain("/api/v1/nothing/here");
  });
});
