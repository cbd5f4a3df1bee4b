import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authenticateApiKey, LAST_USED_WRITE_INTERVAL_MS } from "@/server/services/api-keys";
import { setRestDependenciesForTesting } from "./dependencies";
import { TokenBucketRateLimiter } from "./rate-limit";
import { apiKeyListSchema, createdApiKeySchema } from "@/contracts";
import {
  type ApiHarness,
  signUp,
  startApiHarness,
  TEST_ORIGIN,
  TEST_RATE_LIMIT,
} from "@/testing/api-harness";

let api: ApiHarness;

beforeAll(async () => {
  api = await startApiHarness();
});
afterAll(() => api?.close());

describe("API keys as Bearer tokens", () => {
  it("answers 401 with a challenge when there is no key, a malformed one or an unknown one", async () => {
    for (const authorization of [
      undefined,
      "Basic dXNlcjpwYXNz",
      "Bearer",
      "Bearer not-a-durian-key",
      `Bearer durian_${"x".repeat(43)}`,
    ]) {
      const headers: Record<string, string> = authorization ? { authorization } : {};
      const response = await api.call("GET", "/hooks", { apiKey: null, headers });
      expect(response.status, authorization).toBe(401);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      expect(response.headers.get("www-authenticate")).toBe('Bearer realm="durian"');
      expect(response.body).toMatchObject({
        type: "https://durian.dev/problems/unauthorized",
        title: "Unauthorized",
        status: 401,
      });
    }
  });

  it("stops accepting a key the moment it is revoked", async () => {
    const created = await api.call("POST", "/api-keys", { body: { name: "x" } });
    expect(created.status).toBe(403); // creating keys needs a session
    const { apiKey } = await api.otherProject();
    const [keyRow] = await api.db.apiKey.findMany({ where: { prefix: apiKey.slice(0, 13) } });
    expect((await api.call("GET", "/hooks", { apiKey })).status).toBe(200);
    expect((await api.call("DELETE", `/api-keys/${keyRow!.id}`, { apiKey })).status).toBe(204);
    const refused = await api.call("GET", "/hooks", { apiKey });
    expect(refused.status).toBe(401);
    expect(refused.body.detail).toContain("revoked");
  });

  it("cannot revoke or name another project's key or project", async () => {
    const other = await api.otherProject();
    const theirKey = await api.db.apiKey.findFirstOrThrow({ where: { projectId: other.projectId } });
    expect((await api.call("DELETE", `/api-keys/${theirKey.id}`)).status).toBe(404);
    expect((await api.call("GET", `/hooks?projectId=${other.projectId}`)).status).toBe(404);
    expect((await api.call("GET", "/hooks", { apiKey: other.apiKey })).status).toBe(200);
  });

  it("records the last use at most once a minute", async () => {
    const { apiKey } = await api.otherProject();
    const key = await api.db.apiKey.findFirstOrThrow({ where: { prefix: apiKey.slice(0, 13) } });
    expect(key.lastUsedAt).toBeNull();
    const t0 = new Date("2030-01-01T00:00:00Z");
    const at = (ms: number) => new Date(t0.getTime() + ms);
    expect(await authenticateApiKey(apiKey, api.db, t0)).toEqual({
      apiKeyId: key.id,
      projectId: key.projectId,
    });
    expect((await api.db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).lastUsedAt).toEqual(t0);
    await authenticateApiKey(apiKey, api.db, at(LAST_USED_WRITE_INTERVAL_MS / 2));
    expect((await api.db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).lastUsedAt).toEqual(t0);
    await authenticateApiKey(apiKey, api.db, at(LAST_USED_WRITE_INTERVAL_MS + 1));
    expect((await api.db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).lastUsedAt).toEqual(
      at(LAST_USED_WRITE_INTERVAL_MS + 1),
    );
  });
});

describe("dashboard sessions", () => {
  let cookie: string;
  let firstProjectId: string;

  beforeAll(async () => {
    cookie = await signUp(`session-${Date.now()}@example.com`);
    const user = await api.db.user.findFirstOrThrow({ orderBy: { createdAt: "desc" } });
    firstProjectId = (await api.db.projectMember.findFirstOrThrow({ where: { userId: user.id } })).projectId;
  });

  const asUser = (headers: Record<string, string> = {}) => ({
    apiKey: null,
    headers: { cookie, ...headers },
  });
  const fromApp = (headers: Record<string, string> = {}) => asUser({ origin: TEST_ORIGIN, ...headers });

  it("creates an API key for the user's first project, shown once, that then works as a Bearer token", async () => {
    const created = await api.call("POST", "/api-keys", { ...fromApp(), body: { name: "deploy script" } });
    expect(created.status).toBe(201);
    const key = createdApiKeySchema.parse(created.body);
    expect(key.key).toMatch(/^durian_[A-Za-z0-9_-]{43}$/);
    expect(key.key.startsWith(key.prefix)).toBe(true);
    expect(key.name).toBe("deploy script");
    const row = await api.db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row.projectId).toBe(firstProjectId);
    expect(row.hash).not.toContain(key.key.slice(7));

    const listed = await api.call("GET", "/api-keys", asUser());
    const list = apiKeyListSchema.parse(listed.body);
    expect(list.items.map((item) => item.id)).toContain(key.id);
    expect(JSON.stringify(listed.body)).not.toContain(key.key);

    await api.call("PUT", "/hooks/from-key", { apiKey: key.key, body: { providesArgs: ["x"] } });
    expect((await api.call("GET", "/hooks/from-key", asUser())).status).toBe(200);
  });

  it("acts on the project named by projectId when the user is a member, and 404 otherwise", async () => {
    const user = await api.db.user.findFirstOrThrow({ orderBy: { createdAt: "desc" } });
    const second = await api.db.project.create({
      data: { name: "second", members: { create: { userId: user.id, role: "owner" } } },
    });
    const put = await api.call("PUT", `/hooks/in-second?projectId=${second.id}`, {
      ...fromApp(),
      body: { providesArgs: [] },
    });
    expect(put.status).toBe(201);
    expect(await api.db.hook.count({ where: { projectId: second.id, name: "in-second" } })).toBe(1);

    const key = await api.call("POST", "/api-keys", {
      ...fromApp(),
      body: { name: "second's", projectId: second.id },
    });
    expect((await api.db.apiKey.findUniqueOrThrow({ where: { id: key.body.id } })).projectId).toBe(second.id);

    const notMine = await api.call("GET", `/hooks?projectId=${api.projectId}`, asUser());
    expect(notMine.status).toBe(404);
    const notMineWrite = await api.call("POST", "/api-keys", {
      ...fromApp(),
      body: { name: "x", projectId: api.projectId },
    });
    expect(notMineWrite.status).toBe(404);
    expect(await api.db.apiKey.count({ where: { projectId: api.projectId, name: "x" } })).toBe(0);
  });

  it("refuses cookie-authenticated writes from another origin or without one", async () => {
    const evil = await api.call("POST", "/api-keys", {
      ...asUser({ origin: "https://evil.example" }),
      body: { name: "stolen" },
    });
    expect(evil.status).toBe(403);
    expect(evil.body.detail).toContain("https://evil.example");
    const none = await api.call("PUT", "/hooks/no-origin", { ...asUser(), body: { providesArgs: [] } });
    expect(none.status).toBe(403);
    expect(await api.db.apiKey.count({ where: { name: "stolen" } })).toBe(0);
    expect(await api.db.hook.count({ where: { name: "no-origin" } })).toBe(0);
    // Reads need no Origin: without CORS headers another site cannot read the answer anyway.
    expect((await api.call("GET", "/hooks", asUser())).status).toBe(200);
  });

  it("answers 401 for a cookie that is not a session", async () => {
    const response = await api.call("GET", "/hooks", {
      apiKey: null,
      headers: { cookie: "better-auth.session_token=forged" },
    });
    expect(response.status).toBe(401);
  });
});

describe("rate limit", () => {
  it("answers 429 with Retry-After past the burst, per key", async () => {
    setRestDependenciesForTesting({
      runner: api.runner,
      rateLimiter: new TokenBucketRateLimiter({ perSecond: 0.5, burst: 3 }),
    });
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await api.call("GET", "/hooks")).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const limited = await api.call("POST", "/hooks/x/events", { body: { payload: {} } });
      expect(limited.status).toBe(429);
      expect(limited.headers.get("retry-after")).toBe("2");
      expect(limited.body).toMatchObject({ status: 429, title: "Too Many Requests" });
      const other = await api.otherProject();
      expect((await api.call("GET", "/hooks", { apiKey: other.apiKey })).status).toBe(200);
    } finally {
      setRestDependenciesForTesting({
        runner: api.runner,
        rateLimiter: new TokenBucketRateLimiter(TEST_RATE_LIMIT),
      });
    }
  });
});
