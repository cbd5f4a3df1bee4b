// The real server, started as `npm start` starts it, on an embedded database of its own, stopped with
// SIGTERM under a steady stream of events: every request gets a whole answer (202, or 503 with
// Retry-After once stopping) or a refused connection, never a reset one; the process exits 0; and the
// PGlite directory was shut down cleanly and holds every accepted event.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "@/server/db/client";
import { PGLITE_SUBDIR } from "@/server/db/config";
import { applyMigrations } from "@/server/db/migrate";
import { waitUntil } from "../src/testing/runner";
import { createApiKey } from "@/server/services/api-keys";
import { ensureCurrentBuild, freePort, LOOPBACK, waitForServer } from "./lib/next-app";

/** `next build` when the build is older than the sources: minutes on a busy machine. */
const BUILD_TIMEOUT_MS = 15 * 60_000;
/** Generous: the server enforces it itself (exit 1 when exceeded), so exit 0 means "in time". */
const SHUTDOWN_TIMEOUT_MS = 60_000;
const CLIENTS = 6;
const ACCEPTED_BEFORE_STOP = 30;
/** pg_control's `state` (offset 16): DB_SHUTDOWNED after a clean close, DB_IN_PRODUCTION while open. */
const PG_CONTROL_STATE_OFFSET = 16;
const DB_SHUTDOWNED = 1;

type Answer = { status: number; body: string; retryAfter?: string };
type Outcome = Answer | { error: string };

/** One request on a connection of its own (no keep-alive), so a refused connection is told apart. */
function send(
  method: string,
  url: string,
  apiKey: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Outcome> {
  return new Promise((resolve) => {
    const request = httpRequest(url, {
      method,
      agent: false,
      headers: {
        authorization: `Bearer ${apiKey}`,
        "content-type": "application/json",
        connection: "close",
        ...headers,
      },
    });
    request.on("response", (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      const retryAfter = response.headers["retry-after"];
      response.on("end", () => resolve({ status: response.statusCode!, body: text, retryAfter }));
      response.on("error", (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    });
    request.on("error", (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    request.end(JSON.stringify(body));
  });
}

/** A webhook receiver that holds every delivery until released. */
async function startHoldingReceiver() {
  const held: ServerResponse[] = [];
  let released = false;
  const server: Server = createServer((_request: IncomingMessage, response: ServerResponse) => {
    if (released) response.end("ok");
    else held.push(response);
  });
  await new Promise<void>((resolve) => server.listen(0, LOOPBACK, resolve));
  return {
    url: `http://${LOOPBACK}:${(server.address() as AddressInfo).port}/hook`,
    held,
    release() {
      released = true;
      for (const response of held.splice(0)) response.end("ok");
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

describe("npm start under load, stopped with SIGTERM", () => {
  let dataDir: string;
  let apiKey: string;

  beforeAll(async () => {
    ensureCurrentBuild((line) => console.log(line));
    dataDir = mkdtempSync(path.join(os.tmpdir(), "durian-graceful-stop-"));
    const pglite = new PGlite(path.join(dataDir, PGLITE_SUBDIR));
    await applyMigrations(pglite);
    const db = createPrismaClient(pglite);
    const project = await db.project.create({ data: { name: "graceful stop" } });
    apiKey = (await createApiKey(project.id, { name: "load" }, db)).key;
    await db.$disconnect();
    await pglite.close();
  }, BUILD_TIMEOUT_MS);

  afterAll(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("answers or refuses every request, exits 0 and leaves a cleanly closed database with every accepted event", async () => {
    const port = await freePort();
    const base = `http://${LOOPBACK}:${port}`;
    const receiver = await startHoldingReceiver();
    let output = "";
    const server: ChildProcess = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
      stdio: ["ignore", "pipe", "inherit"],
      env: {
        ...process.env,
        NODE_ENV: "production",
        PORT: String(port),
        HOSTNAME: LOOPBACK,
        DURIAN_PUBLIC_URL: base,
        DURIAN_DATA_DIR: dataDir,
        DATABASE_URL: "",
        DURIAN_ALLOWED_HOSTS: LOOPBACK,
        DURIAN_SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
      },
    });
    server.stdout!.setEncoding("utf8");
    server.stdout!.on("data", (chunk: string) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => server.once("exit", (code) => resolve(code)));

    try {
      await waitForServer(`${base}/api/v1/openapi.json`, server);
      for (const hook of ["ping", "slow"]) {
        const put = await send("PUT", `${base}/api/v1/hooks/${hook}`, apiKey, { providesArgs: ["n"] });
        expect(put).toMatchObject({ status: 201 });
      }
      const listener = await send("POST", `${base}/api/v1/listeners`, apiKey, {
        hook: "slow",
        url: receiver.url,
      });
      expect(listener).toMatchObject({ status: 201 });

      // A steady stream: each client sends events one after another until its connection is refused,
      // and as a well-behaved client does, sends an event answered 503 again after Retry-After.
      const outcomes: Outcome[] = [];
      let sent = 0;
      const clients = Array.from({ length: CLIENTS }, async () => {
        for (;;) {
          const n = sent++;
          for (;;) {
            const outcome = await send(
              "POST",
              `${base}/api/v1/hooks/ping/events`,
              apiKey,
              { payload: { n } },
              { "idempotency-key": `event-${n}` },
            );
            outcomes.push(outcome);
            if ("error" in outcome) return;
            if (outcome.status !== 503) break;
            await sleep(Number(outcome.retryAfter) * 1000);
          }
        }
      });
      await waitUntil(
        `${ACCEPTED_BEFORE_STOP} events are accepted`,
        () =>
          outcomes.filter((outcome) => "status" in outcome && outcome.status === 202).length >=
          ACCEPTED_BEFORE_STOP,
        120_000,
      );

      // One request certainly under way at the signal: it waits for a delivery the receiver holds.
      const waiting = send("POST", `${base}/api/v1/hooks/slow/events?wait=30`, apiKey, {
        payload: { n: -1 },
      });
      await waitUntil("the receiver holds the delivery", () => receiver.held.length > 0, 60_000);

      server.kill("SIGTERM");
      await waitUntil("the server starts stopping", () => output.includes("SIGTERM: stopping"), 60_000);
      receiver.release();

      const waited = await waiting;
      await Promise.all(clients);
      const code = await exited;

      expect(waited).toMatchObject({ status: 202 });
      const failures = outcomes.filter((outcome) => "error" in outcome && outcome.error !== "ECONNREFUSED");
      expect(failures).toEqual([]);
      const unexpected = outcomes.filter(
        (outcome) =>
          "status" in outcome && outcome.status !== 202 && !(outcome.status === 503 && outcome.retryAfter),
      );
      expect(unexpected).toEqual([]);
      expect(code).toBe(0);

      const controlFile = path.join(dataDir, PGLITE_SUBDIR, "global", "pg_control");
      expect(readFileSync(controlFile).readInt32LE(PG_CONTROL_STATE_OFFSET)).toBe(DB_SHUTDOWNED);
      const accepted = [waited, ...outcomes]
        .filter(
          (outcome): outcome is { status: number; body: string } =>
            "status" in outcome && outcome.status === 202,
        )
        .map((outcome) => (JSON.parse(outcome.body) as { eventId: string }).eventId);
      const pglite = new PGlite(path.join(dataDir, PGLITE_SUBDIR));
      try {
        const { rows } = await pglite.query<{ id: string }>(`SELECT id FROM "Event"`);
        const stored = new Set(rows.map((row) => row.id));
        expect(accepted.filter((id) => !stored.has(id))).toEqual([]);
      } finally {
        await pglite.close();
      }
    } finally {
      if (server.exitCode === null) server.kill("SIGKILL");
      await receiver.close();
    }
  }, 600_000);
});
