// A client generated from the served OpenAPI document, as a user would make one: openapi-typescript
// writes the types, `tsc --strict` compiles them with a script that uses openapi-fetch, and the script,
// in its own process, drives hook → filtered listener → event → delivery over real HTTP against the
// real /api/v1 handler (on node:http, not Next: see serve-api.ts), whose embedded runner delivers to a
// real receiver on 127.0.0.1. Everything generated lives in a temporary directory outside the repository.

import { execFile } from "node:child_process";
import { mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import openapiTS, { astToString } from "openapi-typescript";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parseAllowlist } from "@/core/delivery/allowlist";
import { startReceiver, type TestReceiver } from "@/testing/receiver";
import { setRestDependenciesForTesting } from "@/server/rest/dependencies";
import { TokenBucketRateLimiter } from "@/server/rest/rate-limit";
import { EmbeddedRunner } from "@/server/runner/embedded";
import { memoryLog } from "@/testing/runner";
import { type ApiHarness, startApiHarness, TEST_RATE_LIMIT } from "@/testing/api-harness";
import { serveApi, type ServedApi } from "@/testing/serve-api";

const run = promisify(execFile);
const REPOSITORY = path.resolve(import.meta.dirname, "../../..");

let api: ApiHarness;
let server: ServedApi;
let receiver: TestReceiver;
let runner: EmbeddedRunner;
let workDir: string;

beforeAll(async () => {
  receiver = await startReceiver();
  // Listener URLs on this receiver's port only are allowed, as DURIAN_ALLOWED_HOSTS=127.0.0.1:<port> would.
  vi.stubEnv("DURIAN_ALLOWED_HOSTS", `127.0.0.1:${receiver.port}`);
  api = await startApiHarness();
  runner = new EmbeddedRunner({
    db: api.db,
    allowlist: parseAllowlist(`127.0.0.1:${receiver.port}`),
    concurrency: 4,
    listenerConcurrency: 2,
    log: memoryLog(),
  });
  await runner.start();
  setRestDependenciesForTesting({ runner, rateLimiter: new TokenBucketRateLimiter(TEST_RATE_LIMIT) });
  server = await serveApi();
  workDir = await mkdtemp(path.join(tmpdir(), "durian-typed-client-"));
  // The script and the compiler find openapi-fetch, tsx and @types/node where the repository has them.
  await symlink(path.join(REPOSITORY, "node_modules"), path.join(workDir, "node_modules"), "dir");
});

afterAll(async () => {
  await receiver?.close();
  await runner?.stop();
  await server?.close();
  await api?.close();
  vi.unstubAllEnvs();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

/** What a user of the generated types writes; it prints what it saw, as JSON, for the test to check. */
const CLIENT_SCRIPT = `
import createClient from "openapi-fetch";
import type { paths } from "./durian-api";

const client = createClient<paths>({
  baseUrl: process.env.DURIAN_URL + "/api/v1",
  headers: { authorization: "Bearer " + process.env.DURIAN_API_KEY },
});

function ok<T>(what: string, result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data === undefined) throw new Error(what + ": " + result.response.status + " " + JSON.stringify(result.error));
  return result.data;
}

const hook = ok("put hook", await client.PUT("/hooks/{name}", {
  params: { path: { name: "person" } },
  body: { verboseName: "Person changed", providesArgs: ["name", "address"] },
}));

const listener = ok("create listener", await client.POST("/listeners", {
  body: { hook: hook.name, url: process.env.RECEIVER_URL + "/j", filter: { name: { $startswith: "J" } } },
}));

const send = (name: string) =>
  client.POST("/hooks/{name}/events", {
    params: { path: { name: "person" }, query: { wait: 10 }, header: { "Idempotency-Key": "typed-" + name } },
    body: { payload: { name, address: "Queens" }, sender: "typed-client" },
  });
const joe = ok("send Joe", await send("Joe"));
const kramer = ok("send Kramer", await send("Kramer"));
const replayed = await send("Joe");

const deliveries = ok("list deliveries", await client.GET("/deliveries", {
  params: { query: { eventId: joe.eventId } },
}));
const refused = await client.POST("/listeners", {
  body: { hook: "person", url: process.env.RECEIVER_URL + "/x", filter: { name: { $nope: 1 } } },
});

console.log(JSON.stringify({
  listener: { id: listener.id, filter: listener.filter, secret: listener.secret },
  joe: { eventId: joe.eventId, matched: joe.matched, outcome: joe.deliveries?.[0]?.firstAttempt?.responseStatus },
  kramer: { matched: kramer.matched },
  replayed: { eventId: replayed.data?.eventId, header: replayed.response.headers.get("Idempotent-Replayed") },
  deliveries: deliveries.items.map((delivery) => ({ listenerId: delivery.listenerId, status: delivery.status })),
  refused: { status: refused.response.status, paths: refused.error?.errors?.map((error) => error.path) },
}));
`;

/** What CLIENT_SCRIPT prints. */
interface ClientReport {
  listener: { id: string; filter: unknown; secret: string };
  joe: { eventId: string; matched?: number; outcome?: number | null };
  kramer: { matched?: number };
  replayed: { eventId?: string; header: string | null };
  deliveries: { listenerId: string; status: string }[];
  refused: { status: number; paths?: string[] };
}

const TSCONFIG = {
  compilerOptions: {
    strict: true,
    noEmit: true,
    target: "ES2022",
    module: "ESNext",
    moduleResolution: "Bundler",
    types: ["node"],
    skipLibCheck: true,
  },
  files: ["durian-api.ts", "client.ts"],
};

describe("a client generated from the served OpenAPI document", () => {
  it("compiles under tsc --strict and drives hook → filtered listener → event → delivery", async () => {
    const document = new URL(`${server.url}/api/v1/openapi.json`);
    // Without this option, openapi-typescript makes a field with a default required even in a request
    // body when the body is a named component (openapi-typescript#1903): a client would have to send them all.
    const types = astToString(await openapiTS(document, { defaultNonNullable: false }));
    expect(types).not.toMatch(/__schema\d/);
    await writeFile(path.join(workDir, "durian-api.ts"), types);
    await writeFile(path.join(workDir, "client.ts"), CLIENT_SCRIPT);
    await writeFile(path.join(workDir, "tsconfig.json"), JSON.stringify(TSCONFIG));
    await writeFile(path.join(workDir, "package.json"), JSON.stringify({ type: "module" }));

    const tsc = path.join(REPOSITORY, "node_modules/typescript/bin/tsc");
    const compiled = await run(process.execPath, [tsc, "-p", workDir]).catch(
      (error: { stdout?: string; stderr?: string }) => error,
    );
    expect("stdout" in compiled ? `${compiled.stdout ?? ""}${compiled.stderr ?? ""}` : "").toBe("");

    const { stdout } = await run(process.execPath, ["--import", "tsx", "client.ts"], {
      cwd: workDir,
      env: {
        PATH: process.env.PATH ?? "",
        NODE_ENV: "test",
        DURIAN_URL: server.url,
        DURIAN_API_KEY: api.apiKey,
        RECEIVER_URL: receiver.url,
      },
    });
    const seen = JSON.parse(stdout) as ClientReport;

    expect(seen.listener).toMatchObject({
      filter: { name: { $startswith: "J" } },
      secret: expect.stringMatching(/^whsec_/),
    });
    expect(seen.joe).toEqual({ eventId: expect.any(String), matched: 1, outcome: 200 });
    expect(seen.kramer).toEqual({ matched: 0 });
    expect(seen.replayed).toEqual({ eventId: seen.joe.eventId, header: "true" });
    expect(seen.deliveries).toEqual([{ listenerId: seen.listener.id, status: "succeeded" }]);
    expect(seen.refused).toEqual({ status: 422, paths: ["filter.name.$nope"] });

    expect(receiver.requests).toHaveLength(1);
    const [delivered] = receiver.requests;
    expect(delivered).toMatchObject({ method: "POST", path: "/j" });
    expect(JSON.parse(delivered!.body)).toEqual({ name: "Joe", address: "Queens" });
    expect(delivered!.headers["webhook-signature"]).toMatch(/^v1,/);
  }, 180_000);
});
