// Runs the README's quickstart as a separate process against the fake API (which delivers, signed,
// like Durian does), so the example in the docs keeps working. e2e/sdk-package.spec.ts runs the same
// file from the packed SDK against a real server.

import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startFakeDurianApi, type FakeDurianApi } from "../test-support/fake-durian-api";

const REPO_ROOT = path.resolve(import.meta.dirname, "../../..");
const QUICKSTART = path.join(import.meta.dirname, "quickstart.ts");
const README = path.join(import.meta.dirname, "../README.md");
const run = promisify(execFile);

let api: FakeDurianApi;
beforeAll(async () => {
  api = await startFakeDurianApi({ deliver: true });
});
afterAll(() => api.close());

it("registers, syncs, creates a filtered listener, sends, and the receiver verifies the delivery", async () => {
  const { stdout } = await run(path.join(REPO_ROOT, "node_modules/.bin/tsx"), [QUICKSTART], {
    cwd: REPO_ROOT,
    env: { ...process.env, DURIAN_URL: api.url, DURIAN_API_KEY: api.apiKey, RECEIVER_PORT: "0" },
    timeout: 30_000,
  });

  expect(stdout).toMatch(/event evt_\d+ matched 1 listener\(s\)/);
  expect(stdout).toContain('receiver verified: {"name":"Joe","address":"Queens"}');
  expect(api.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
    "PUT /api/v1/hooks/person",
    "POST /api/v1/listeners",
    "POST /api/v1/hooks/person/events",
    expect.stringMatching(/^DELETE \/api\/v1\/listeners\/lst_\d+$/),
  ]);
  expect(api.requestsTo("POST", "/api/v1/listeners")[0]?.body).toMatchObject({
    hook: "person",
    filter: { name: { $startswith: "J" } },
  });
  expect(api.requestsTo("POST", "/api/v1/hooks/person/events")[0]?.rawBody).not.toContain("bosco");
  expect(api.listeners.size).toBe(0);
});

it("is the README's quickstart, word for word", () => {
  const quickstart = readFileSync(QUICKSTART, "utf8");
  expect(readFileSync(README, "utf8")).toContain("```ts\n" + quickstart + "```");
});
