import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseAllowlist } from "@/core/delivery";
import { startReceiver, type TestReceiver } from "@/testing/receiver";
import { createTestDatabase, testDatabaseServerUrl } from "@/testing/databases";
import { LEASE_MARGIN_MS } from "@/server/delivery";
import { seedEvent, seedHook, seedListener } from "@/testing/seed";
import { generateSecret } from "@/core/signing";
import { FAN_OUT_LEASE_MS } from "@/server/fan-out/fan-outs";
import { sealListenerSecret, secretKeyringFrom, setSecretKeyringForTesting } from "@/server/secrets";
import { sendEvent } from "@/server/services/events/send-event";
import { EmbeddedRunner } from "./embedded";
import { allSucceeded, idleRunner, memoryLog, spawnRunnerProcess, waitUntil } from "@/testing/runner";

const HOOK_TIMEOUT_MS = 60_000;
/** The audience of the fan-out that is killed half-way. */
const FAN_OUT_LISTENERS = 100_000;
/** The child decrypts the listener secrets this process encrypts: they share the key, as servers must. */
const SECRET_KEY = "embedded-crash test key of at least 32 characters";
const postgresServer = testDatabaseServerUrl();
const SKIP_REASON =
  "SKIPPED: the kill -9 test needs a PostgreSQL server (TEST_DATABASE_URL or DATABASE_URL) because two processes " +
  "share its database; the in-memory PGlite used otherwise belongs to one process. The in-process crash test in " +
  "embedded.test.ts still runs.";
if (!postgresServer) console.warn(`embedded-crash.test.ts: ${SKIP_REASON}`);

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe("the embedded runner killed with SIGKILL mid-delivery", () => {
  it.skipIf(!postgresServer)(
    "leaves nothing undelivered: a new runner completes every delivery with the same webhook-id",
    async () => {
      const database = await createTestDatabase({ kind: "postgres" });
      cleanups.push(() => database.drop());
      setSecretKeyringForTesting(secretKeyringFrom(SECRET_KEY));
      cleanups.push(() => setSecretKeyringForTesting(undefined));
      let answering = false;
      const target: TestReceiver = await startReceiver((_, response) => {
        if (answering) response.end("ok");
      });
      cleanups.push(() => target.close());
      const hook = await seedHook(database.db, { timeoutMs: HOOK_TIMEOUT_MS });
      const { listenerId } = await seedListener(database.db, hook, { url: target.url });
      const { deliveryIds } = await seedEvent(database.db, hook, [listenerId, listenerId, listenerId]);

      const child = startRunnerProcess(database.url!);
      cleanups.push(() => void child.process.kill("SIGKILL"));
      const output = await child.ready;
      expect(output).toMatch(/durian: delivery runner: embedded \(DURIAN_RUNNER=embedded/);
      await waitUntil("the child sent all three requests", () => target.requests.length === 3);

      child.process.kill("SIGKILL");
      await child.exited;
      answering = true;
      const stuck = await database.db.delivery.findMany({ where: { id: { in: deliveryIds } } });
      expect(stuck.map((delivery) => delivery.status)).toEqual(["delivering", "delivering", "delivering"]);

      const restarted = new EmbeddedRunner({
        db: database.db,
        allowlist: parseAllowlist("127.0.0.1"),
        concurrency: 10,
        listenerConcurrency: 5,
        log: memoryLog(),
        // Its clock is past the dead runner's leases (hook timeout + margin), instead of waiting for them.
        now: () => new Date(Date.now() + HOOK_TIMEOUT_MS + LEASE_MARGIN_MS + 1_000),
      });
      cleanups.push(() => restarted.stop());
      await restarted.start();

      await waitUntil("every delivery succeeded", () => allSucceeded(database.db, deliveryIds));
      const ids = target.requests.map((request) => request.headers["webhook-id"] as string);
      expect([...ids].sort()).toEqual([...deliveryIds, ...deliveryIds].sort());
      const attempts = await database.db.deliveryAttempt.findMany({
        where: { deliveryId: { in: deliveryIds } },
      });
      expect(attempts.map((attempt) => [attempt.number, attempt.responseStatus])).toEqual([
        [1, 200],
        [1, 200],
        [1, 200],
      ]);
    },
    120_000,
  );
});

describe("the embedded runner killed with SIGKILL mid-fan-out", () => {
  it.skipIf(!postgresServer)(
    `gives every one of ${FAN_OUT_LISTENERS} listeners its delivery once, a repeat carrying the same webhook-id`,
    async () => {
      const database = await createTestDatabase({ kind: "postgres" });
      cleanups.push(() => database.drop());
      setSecretKeyringForTesting(secretKeyringFrom(SECRET_KEY));
      cleanups.push(() => setSecretKeyringForTesting(undefined));
      const target = await countingReceiver();
      cleanups.push(() => target.close());
      const hook = await seedHook(database.db);
      const secret = sealListenerSecret(generateSecret());
      for (let start = 0; start < FAN_OUT_LISTENERS; start += 10_000) {
        await database.db.listener.createMany({
          data: Array.from({ length: Math.min(10_000, FAN_OUT_LISTENERS - start) }, (_, offset) => ({
            projectId: hook.projectId,
            hookId: hook.hookId,
            url: `${target.url}/${start + offset}`,
            secret,
          })),
        });
      }
      const { result } = await sendEvent(
        hook.projectId,
        hook.hookName,
        { payload: { name: "Ada" } },
        {},
        // Nobody is told: the child finds the fan-out when it looks.
        { db: database.db, runner: idleRunner },
      );
      const { eventId } = result;

      const child = startRunnerProcess(database.url!);
      cleanups.push(() => void child.process.kill("SIGKILL"));
      await child.ready;
      await waitUntil(
        "the child matched a few pages and is delivering",
        async () =>
          (await database.db.delivery.count({ where: { eventId } })) >= 3_000 && target.received() > 0,
        120_000,
      );
      child.process.kill("SIGKILL");
      await child.exited;
      const fanOut = await database.db.fanOut.findUniqueOrThrow({
        where: { eventId_number: { eventId, number: 0 } },
      });
      // Killed mid-fan-out, as the test means to be.
      expect(fanOut.done).toBe(false);

      const restarted = new EmbeddedRunner({
        db: database.db,
        allowlist: parseAllowlist("127.0.0.1"),
        concurrency: 100,
        listenerConcurrency: 5,
        log: memoryLog(),
        // Its clock is past the dead runner's leases, instead of waiting for them.
        now: () => new Date(Date.now() + FAN_OUT_LEASE_MS + HOOK_TIMEOUT_MS + LEASE_MARGIN_MS),
      });
      cleanups.push(() => restarted.stop());
      await restarted.start();
      await waitUntil(
        "every delivery arrived",
        async () =>
          target.received() >= FAN_OUT_LISTENERS &&
          (await database.db.delivery.count({ where: { eventId, status: "succeeded" } })) ===
            FAN_OUT_LISTENERS,
        600_000,
      );

      const deliveries = await database.db.delivery.findMany({
        where: { eventId },
        select: { id: true, listenerId: true },
      });
      expect(deliveries).toHaveLength(FAN_OUT_LISTENERS);
      expect(new Set(deliveries.map((delivery) => delivery.listenerId)).size).toBe(FAN_OUT_LISTENERS);
      const deliveryIds = new Set(deliveries.map((delivery) => delivery.id));
      const arrived = target.webhookIds();
      // Each delivery arrived; anything that arrived more than once (cut off by the kill) is a repeat of one.
      expect([...deliveryIds].filter((id) => !arrived.has(id))).toEqual([]);
      expect([...arrived.keys()].filter((id) => !deliveryIds.has(id))).toEqual([]);
    },
    900_000,
  );
});

/** A receiver that only counts requests by webhook-id (a 100,000-request test keeps no bodies). */
async function countingReceiver() {
  const seen = new Map<string, number>();
  let received = 0;
  const server = http.createServer((request, response) => {
    const id = String(request.headers["webhook-id"]);
    request.resume();
    request.on("end", () => {
      seen.set(id, (seen.get(id) ?? 0) + 1);
      received++;
      response.end("ok");
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received: () => received,
    webhookIds: () => seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function startRunnerProcess(databaseUrl: string) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "durian-runner-child-"));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  return spawnRunnerProcess({
    DATABASE_URL: databaseUrl,
    DURIAN_DATA_DIR: dataDir,
    DURIAN_RUNNER: "embedded",
    DURIAN_ALLOWED_HOSTS: "127.0.0.1",
    DURIAN_SECRET_KEY: SECRET_KEY,
  });
}
