import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { verifyWebhook } from "../src/core/signing";
import { buildIsCurrent } from "../scripts/lib/next-app";
import { command, createApiKey, packWorkspace, plainEnv } from "./packages";
import { signUp, uniqueEmail } from "./support";

// The CLI as a developer gets it: `npm pack` builds and packs packages/cli, a directory outside this
// repository installs the tarball alone (it has no dependencies: everything is bundled), and the
// installed `durian` runs: --help, then `listen` against the real server (`scripts/server.mjs`, so the relay's
// Server-Sent Events cross the server's own /api/v1 handler) while the installed `trigger` sends an event;
// the delivery reaches a receiver on this machine and verifies with the secret `listen` printed.

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A receiver on a free port of 127.0.0.1: only the CLI on this machine posts to it. */
async function startReceiver(): Promise<{ url: string; requests: Received[]; close(): Promise<void> }> {
  const requests: Received[] = [];
  const server = http.createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      requests.push({ headers: incoming.headers, body: Buffer.concat(chunks).toString("utf8") });
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let workDir: string;
let listening: ChildProcess | undefined;
test.beforeAll(() => {
  workDir = mkdtempSync(path.join(os.tmpdir(), "durian-cli-package-"));
});
test.afterAll(() => {
  listening?.kill("SIGKILL");
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

test("the packed CLI installs alone, and its listen forwards a delivery from the server that verifies", async ({
  page,
  baseURL,
}) => {
  test.setTimeout(600_000);

  const packs = path.join(workDir, "packs");
  mkdirSync(packs);
  const pack = await packWorkspace("@durian/cli", packs);
  expect(pack.files).toEqual(["README.md", "dist/durian.js", "package.json"]);
  expect(buildIsCurrent(), "packing the CLI changed an input of the app's build").toBe(true);

  const app = path.join(workDir, "app");
  mkdirSync(app);
  writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "cli-user", private: true }, null, 2));
  await command(
    "npm",
    ["install", pack.tarball, "--prefer-offline", "--no-audit", "--no-fund", "--no-package-lock"],
    app,
  );
  const modules = path.join(app, "node_modules");
  const installed = readdirSync(modules).filter((name) => !name.startsWith("."));
  expect(installed, "the tarball pulled in dependencies").toEqual(["@durian"]);
  expect(readdirSync(path.join(modules, "@durian"))).toEqual(["cli"]);
  const durian = path.join(app, "node_modules/.bin/durian");
  const { stdout: help } = await command(durian, ["--help"], app);
  expect(help).toContain("durian listen <hook> --forward <url>");

  // Against the real server.
  await signUp(page, { name: "Kramer", email: uniqueEmail("kramer") });
  const apiKey = await createApiKey(page, "e2e cli package");
  const hook = await page.request.put("/api/v1/hooks/person", {
    headers: { authorization: `Bearer ${apiKey}` },
    data: { providesArgs: ["name", "address"] },
  });
  expect(hook.status()).toBe(201);
  const env = plainEnv({ DURIAN_URL: baseURL!, DURIAN_API_KEY: apiKey });
  const receiver = await startReceiver();
  try {
    let stdout = "";
    let stderr = "";
    listening = spawn(durian, ["listen", "person", "--forward", receiver.url], { cwd: app, env });
    listening.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    listening.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    await expect.poll(() => stderr, { timeout: 30_000 }).toMatch(/Ready!/);
    const secret = stderr.match(/signing secret is (whsec_\S+)/)![1]!;

    const { stdout: triggered } = await command(
      durian,
      ["trigger", "person", "--data", '{"name": "Joe"}'],
      app,
      { env },
    );
    const eventId = triggered.match(/^event (\S+)/)?.[1];
    expect(eventId, triggered).toBeDefined();

    await expect.poll(() => receiver.requests.length, { timeout: 30_000 }).toBe(1);
    const [request] = receiver.requests;
    expect(await verifyWebhook({ secret, headers: request!.headers, body: request!.body })).toEqual({
      name: "Joe",
    });
    await expect.poll(() => stdout, { timeout: 30_000 }).toContain(`person  ${eventId}  200`);

    const event = await page.request.get(`/api/v1/events/${eventId}`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    const [delivery] = ((await event.json()) as { deliveries: { status: string }[] }).deliveries;
    expect(delivery!.status).toBe("succeeded");
  } finally {
    await receiver.close();
  }
});
