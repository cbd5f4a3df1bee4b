import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SECRET_ROTATION_WINDOW_MS } from "@/core/signing";
import { openListenerSecret } from "@/server/secrets";
import { listenerPageSchema, listenerRecordSchema, listenerWithSecretSchema } from "@/contracts";
import { type ApiHarness, startApiHarness } from "@/testing/api-harness";

let api: ApiHarness;

beforeAll(async () => {
  api = await startApiHarness();
  await api.call("PUT", "/hooks/person", { body: { providesArgs: ["name", "email", "customer"] } });
  await api.call("PUT", "/hooks/order", { body: { providesArgs: ["total"] } });
});
afterAll(() => api?.close());

async function createListener(body: Record<string, unknown>) {
  return api.call("POST", "/listeners", {
    body: { hook: "person", url: "https://example.com/hook", ...body },
  });
}

function fieldErrors(response: { status: number; body: { errors?: { path: string; message: string }[] } }) {
  expect(response.status).toBe(422);
  return response.body.errors ?? [];
}

describe("POST /listeners", () => {
  it("creates a listener with its signing secret and its index key", async () => {
    const response = await createListener({
      filter: { name: "Joe", email: { $endswith: "@vandelay.com" } },
      description: "Joe only",
      headers: { Authorization: "Bearer receiver-token" },
      envelope: true,
    });
    expect(response.status).toBe(201);
    const listener = listenerWithSecretSchema.parse(response.body);
    expect(listener).toMatchObject({
      hook: "person",
      url: "https://example.com/hook",
      filter: { name: "Joe", email: { $endswith: "@vandelay.com" } },
      description: "Joe only",
      headers: { Authorization: "Bearer receiver-token" },
      envelope: true,
      enabled: true,
      disabledReason: null,
      consecutiveFailures: 0,
    });
    expect(listener.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const row = await api.db.listener.findUniqueOrThrow({ where: { id: listener.id } });
    expect(row).toMatchObject({
      indexKind: "exact",
      indexField: "name",
      indexValue: '"Joe"',
    });
    // Stored encrypted (src/server/secrets), never as the whsec_ secret itself.
    expect(row.secret).toMatch(/^enc:v1:/);
    expect(openListenerSecret(row.secret)).toBe(listener.secret);
  });

  it("defaults to an empty filter, which every event of the hook matches", async () => {
    const response = await createListener({});
    expect(response.status).toBe(201);
    expect(response.body.filter).toEqual({});
    expect(await api.db.listener.findUniqueOrThrow({ where: { id: response.body.id } })).toMatchObject({
      indexKind: "scan",
    });
  });

  it("refuses a filter on a field the hook does not provide, or in bad form, naming the field", async () => {
    const unknownField = fieldErrors(await createListener({ filter: { age: { $gt: 3 } } }));
    expect(unknownField).toEqual([
      { path: "filter.age", message: expect.stringContaining('does not provide "age"') },
    ]);

    const unknownOperator = fieldErrors(await createListener({ filter: { name: { $nope: 1 } } }));
    expect(unknownOperator).toEqual([
      { path: "filter.name.$nope", message: expect.stringContaining('unknown operator "$nope"') },
    ]);

    const badRegex = fieldErrors(await createListener({ filter: { name: { $like: "(" } } }));
    expect(badRegex[0]?.path).toBe("filter.name.$like");

    const notObject = fieldErrors(await createListener({ filter: ["name"] }));
    expect(notObject[0]?.path).toBe("filter");
  });

  it("refuses URLs that are not http(s) or point at private addresses", async () => {
    expect(fieldErrors(await createListener({ url: "ftp://example.com/x" }))).toEqual([
      { path: "url", message: expect.stringContaining("only http and https") },
    ]);
    expect(fieldErrors(await createListener({ url: "not a url" }))[0]?.path).toBe("url");
    for (const url of [
      "http://127.0.0.1:8080/x",
      "http://10.1.2.3/x",
      "http://169.254.169.254/latest",
      "http://[::1]/x",
      "http://localhost/x",
    ]) {
      const errors = fieldErrors(await createListener({ url }));
      expect(errors[0]?.path, url).toBe("url");
    }
    expect(await api.db.listener.count({ where: { url: { contains: "169.254" } } })).toBe(0);
  });

  it("lets a listener point at the app's own request inspector, and nothing else of the app", async () => {
    const project = await api.db.project.findUniqueOrThrow({ where: { id: api.projectId } });
    const inspector = await createListener({
      url: `http://localhost:3000/api/inspect/${project.inspectorToken}`,
    });
    expect(inspector.status).toBe(201);
    expect(fieldErrors(await createListener({ url: "http://localhost:3000/api/v1/hooks" }))[0]?.path).toBe(
      "url",
    );
    expect(fieldErrors(await createListener({ url: "http://localhost:3001/api/inspect/x" }))[0]?.path).toBe(
      "url",
    );
  });

  it("refuses custom headers that would override Durian's or break the request", async () => {
    const errors = fieldErrors(
      await createListener({
        headers: { "webhook-id": "x", Host: "evil", "X-Ok": "fine", "X-Bad": "a\r\nb" },
      }),
    );
    expect(errors.map((error) => error.path).sort()).toEqual([
      "headers.Host",
      "headers.X-Bad",
      "headers.webhook-id",
    ]);
    expect(fieldErrors(await createListener({ headers: { "X-Number": 1 } }))[0]?.path).toBe(
      "headers.X-Number",
    );
  });

  it("answers 404 for an unknown hook", async () => {
    const response = await createListener({ hook: "ghost" });
    expect(response.status).toBe(404);
    expect(response.body.detail).toBe('Hook "ghost" not found');
  });
});

describe("reading, changing and deleting listeners", () => {
  it("lists listeners newest first without secrets, by hook, a page at a time", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(
        (await api.call("POST", "/listeners", { body: { hook: "order", url: `https://example.com/o${i}` } }))
          .body.id,
      );
    }
    const first = await api.call("GET", "/listeners?hook=order&limit=2");
    expect(first.status).toBe(200);
    const page = listenerPageSchema.parse(first.body);
    expect(page.items.map((listener) => listener.id)).toEqual([ids[2], ids[1]]);
    expect(first.body.items[0]).not.toHaveProperty("secret");
    const second = await api.call("GET", `/listeners?hook=order&limit=2&cursor=${page.nextCursor}`);
    expect(second.body.items.map((listener: { id: string }) => listener.id)).toEqual([ids[0]]);
    expect(second.body.nextCursor).toBeNull();

    expect((await api.call("GET", "/listeners?hook=nosuchhook")).body.items).toEqual([]);
    const all = await api.call("GET", "/listeners?limit=200");
    expect(all.body.items.length).toBeGreaterThan(3);
  });

  it("shows one listener with its secret", async () => {
    const created = await createListener({});
    const fetched = await api.call("GET", `/listeners/${created.body.id}`);
    expect(fetched.status).toBe(200);
    expect(listenerWithSecretSchema.parse(fetched.body).secret).toBe(created.body.secret);
  });

  it("changes only the given fields and re-indexes a new filter", async () => {
    const created = await createListener({ filter: { name: "Joe" }, description: "keep me" });
    const patched = await api.call("PATCH", `/listeners/${created.body.id}`, {
      body: { filter: { email: { $startswith: "jo" } } },
    });
    expect(patched.status).toBe(200);
    expect(listenerRecordSchema.parse(patched.body)).toMatchObject({
      filter: { email: { $startswith: "jo" } },
      description: "keep me",
    });
    expect(await api.db.listener.findUniqueOrThrow({ where: { id: created.body.id } })).toMatchObject({
      indexKind: "prefix",
      indexField: "email",
    });

    const refused = fieldErrors(
      await api.call("PATCH", `/listeners/${created.body.id}`, {
        body: { filter: { total: 1 }, description: "x" },
      }),
    );
    expect(refused[0]?.path).toBe("filter.total");
    expect((await api.call("GET", `/listeners/${created.body.id}`)).body.description).toBe("keep me");
  });

  it("keeps an optional name: trimmed, renamed, and removed with null or a blank", async () => {
    const unnamed = await createListener({});
    expect(listenerWithSecretSchema.parse(unnamed.body).name).toBeNull();

    const created = await createListener({ name: "  CRM sync " });
    expect(created.status).toBe(201);
    expect(created.body.name).toBe("CRM sync");
    const path = `/listeners/${created.body.id}`;
    expect(listenerWithSecretSchema.parse((await api.call("GET", path)).body).name).toBe("CRM sync");
    const listed = await api.call("GET", "/listeners?hook=person&limit=200");
    expect(
      listenerPageSchema.parse(listed.body).items.find((item) => item.id === created.body.id)?.name,
    ).toBe("CRM sync");

    const renamed = await api.call("PATCH", path, { body: { name: "Billing" } });
    expect(listenerRecordSchema.parse(renamed.body).name).toBe("Billing");
    expect((await api.call("PATCH", path, { body: { description: "other" } })).body.name).toBe("Billing");
    expect((await api.call("PATCH", path, { body: { name: null } })).body.name).toBeNull();
    await api.call("PATCH", path, { body: { name: "Billing" } });
    expect((await api.call("PATCH", path, { body: { name: "   " } })).body.name).toBeNull();
    expect((await api.db.listener.findUniqueOrThrow({ where: { id: created.body.id } })).name).toBeNull();
  });

  it("refuses a name that is too long or not a string, naming the field", async () => {
    expect(fieldErrors(await createListener({ name: "x".repeat(101) }))).toEqual([
      { path: "name", message: expect.stringContaining("at most 100 characters") },
    ]);
    const { body: listener } = await createListener({});
    expect(
      fieldErrors(await api.call("PATCH", `/listeners/${listener.id}`, { body: { name: 7 } }))[0]?.path,
    ).toBe("name");
  });

  it("disables with a reason, and re-enabling clears the failures", async () => {
    const { body: listener } = await createListener({});
    const disabled = await api.call("PATCH", `/listeners/${listener.id}`, { body: { enabled: false } });
    expect(disabled.body).toMatchObject({
      enabled: false,
      disabledReason: "Disabled by a user",
      disabledAt: expect.any(String),
      selfHealing: false,
    });

    await api.db.listener.update({
      where: { id: listener.id },
      data: { consecutiveFailures: 20, disabledReason: "20 failures in a row" },
    });
    const enabled = await api.call("PATCH", `/listeners/${listener.id}`, { body: { enabled: true } });
    expect(enabled.body).toMatchObject({
      enabled: true,
      disabledReason: null,
      disabledAt: null,
      consecutiveFailures: 0,
    });
    const healing = await api.call("PATCH", `/listeners/${listener.id}`, { body: { selfHealing: true } });
    expect(healing.body).toMatchObject({ selfHealing: true });
  });

  it("rotates the secret, keeping the previous one signing for 24 hours", async () => {
    const { body: listener } = await createListener({});
    const before = Date.now();
    const rotated = await api.call("POST", `/listeners/${listener.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    const parsed = listenerWithSecretSchema.parse(rotated.body);
    expect(parsed.secret).not.toBe(listener.secret);
    expect(parsed.secret).toMatch(/^whsec_/);
    const until = new Date(parsed.previousSecretUntil!).getTime();
    expect(until).toBeGreaterThanOrEqual(before + SECRET_ROTATION_WINDOW_MS);
    expect(until).toBeLessThanOrEqual(Date.now() + SECRET_ROTATION_WINDOW_MS);
    const row = await api.db.listener.findUniqueOrThrow({ where: { id: listener.id } });
    expect(openListenerSecret(row.secret)).toBe(parsed.secret);
    expect(openListenerSecret(row.previousSecret!)).toBe(listener.secret);
  });

  it("recovers the failed deliveries created since a time, and only those", async () => {
    const { body: listener } = await createListener({});
    const { body: bystander } = await createListener({});
    const hours = (n: number) => new Date(Date.now() - n * 3_600_000);
    // Events matching both listeners; their deliveries are then given an age and an outcome.
    const deliveries: Record<string, string> = {};
    const outcomes = [
      ["recent failure", "failed", hours(1)],
      ["older failure", "failed", hours(30)],
      ["recent success", "succeeded", hours(1)],
      ["recent pending", "pending", hours(1)],
    ] as const;
    for (const [label, status, createdAt] of outcomes) {
      const sent = await api.call("POST", "/hooks/person/events", { body: { payload: { name: label } } });
      const rows = await api.db.delivery.findMany({ where: { eventId: sent.body.eventId } });
      for (const row of rows) {
        await api.db.delivery.update({
          where: { id: row.id },
          data: { status, createdAt, attemptCount: 5, nextAttemptAt: null },
        });
        if (row.listenerId === listener.id) deliveries[label] = row.id;
      }
    }

    const recovered = await api.call("POST", `/listeners/${listener.id}/recover`, {
      body: { since: hours(24).toISOString() },
    });
    expect(recovered.status).toBe(202);
    expect(recovered.body).toEqual({ recovered: 1 });
    expect(api.runner.retried.at(-1)).toEqual({
      projectId: api.projectId,
      deliveryIds: [deliveries["recent failure"]],
    });
    const statusOf = async (id: string) =>
      (await api.db.delivery.findUniqueOrThrow({ where: { id } })).status;
    expect(await statusOf(deliveries["recent failure"]!)).toBe("pending");
    expect(await statusOf(deliveries["older failure"]!)).toBe("failed");
    expect(await statusOf(deliveries["recent success"]!)).toBe("succeeded");
    const bystanderFailures = await api.db.delivery.count({
      where: { listenerId: bystander.id, status: "failed" },
    });
    expect(bystanderFailures).toBe(2);

    // Again: nothing failed is left in the window.
    const again = await api.call("POST", `/listeners/${listener.id}/recover`, {
      body: { since: hours(24).toISOString() },
    });
    expect(again.body).toEqual({ recovered: 0 });
  });

  it("refuses to recover for a disabled listener, with a bad time, or for another project", async () => {
    const { body: listener } = await createListener({});
    const bad = fieldErrors(
      await api.call("POST", `/listeners/${listener.id}/recover`, { body: { since: "yesterday" } }),
    );
    expect(bad[0]).toMatchObject({ path: "since", message: expect.stringMatching(/ISO 8601/) });
    expect(
      fieldErrors(await api.call("POST", `/listeners/${listener.id}/recover`, { body: {} }))[0]?.path,
    ).toBe("since");

    const other = await api.otherProject();
    const since = new Date(0).toISOString();
    expect(
      (await api.call("POST", `/listeners/${listener.id}/recover`, { apiKey: other.apiKey, body: { since } }))
        .status,
    ).toBe(404);

    await api.call("PATCH", `/listeners/${listener.id}`, { body: { enabled: false } });
    const refused = await api.call("POST", `/listeners/${listener.id}/recover`, { body: { since } });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/enable it/);
  });

  it("deletes a listener", async () => {
    const { body: listener } = await createListener({});
    expect((await api.call("DELETE", `/listeners/${listener.id}`)).status).toBe(204);
    expect((await api.call("GET", `/listeners/${listener.id}`)).status).toBe(404);
    expect((await api.call("DELETE", `/listeners/${listener.id}`)).status).toBe(404);
  });

  it("never lets another project see or touch a listener", async () => {
    const { body: listener } = await createListener({});
    const other = await api.otherProject();
    const as = { apiKey: other.apiKey };
    expect((await api.call("GET", `/listeners/${listener.id}`, as)).status).toBe(404);
    expect(
      (await api.call("PATCH", `/listeners/${listener.id}`, { ...as, body: { description: "mine" } })).status,
    ).toBe(404);
    expect((await api.call("POST", `/listeners/${listener.id}/rotate-secret`, as)).status).toBe(404);
    expect((await api.call("DELETE", `/listeners/${listener.id}`, as)).status).toBe(404);
    expect((await api.call("GET", "/listeners", as)).body.items).toEqual([]);
    expect(
      (await api.call("POST", "/listeners", { ...as, body: { hook: "person", url: "https://example.com" } }))
        .status,
    ).toBe(404);
    const unchanged = await api.db.listener.findUniqueOrThrow({ where: { id: listener.id } });
    expect(unchanged.description).toBe("");
    expect(openListenerSecret(unchanged.secret)).toBe(listener.secret);
  });
});
