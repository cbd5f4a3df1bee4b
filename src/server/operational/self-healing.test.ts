import { InngestTestEngine } from "@inngest/test";
import { useEngineTestbed } from "@/testing/engine-testbed";
import { describe, expect, it } from "vitest";
import { parseAllowlist } from "@/core/delivery";
import type { ProbeSchedule } from "@/core/delivery/probe-schedule";
import { type ReceiverHandler } from "@/testing/receiver";
import { verifyWebhook } from "@/core/signing";
import { seedEvent, seedHook, seedListener, type SeededHook } from "@/testing/seed";
import { RecordingRunner } from "@/testing/api-harness";
import { EmbeddedRunner } from "@/server/runner/embedded";
import { createInngestClient } from "@/server/runner/inngest/client";
import { createDeliveryFunctions } from "@/server/runner/inngest/functions";
import { memoryLog, waitUntil } from "@/testing/runner";
import { DISABLED_BY_USER_REASON } from "@/server/services/listeners";
import { OPERATIONAL_HOOKS } from "./hooks";
import { PING_TYPE } from "./self-healing";

// Self-healing against real receivers: a listener disabled by failures is pinged until it answers
// three times in a row, then enabled again with its failed deliveries recovered and delivered.

const allowlist = parseAllowlist("127.0.0.1");
/** No waiting between pings: the test drives the schedule, not the clock. */
const IMMEDIATE: ProbeSchedule = {
  firstAfterMs: 0,
  backoffMs: 1,
  maxBackoffMs: 1,
  afterSuccessMs: 0,
  successesToHeal: 3,
};

const testbed = useEngineTestbed();
const receiver = testbed.receiver;

/** Answers pings with 503 the first `outages` times, then with 200; deliveries always with 200. */
function recoversAfter(outages: number): ReceiverHandler {
  let pings = 0;
  return (request, response) => {
    if (request.headers["durian-hook"] === PING_TYPE && pings++ < outages) response.statusCode = 503;
    response.end();
  };
}

/** A self-healing listener disabled by failures, with one failed delivery from before. */
async function disabledListener(hook: SeededHook, url: string, disabledReason: string) {
  const listener = await seedListener(testbed.database.db, hook, {
    url,
    enabled: false,
    disabledReason,
    consecutiveFailures: 20,
  });
  await testbed.database.db.listener.update({
    where: { id: listener.listenerId },
    data: { selfHealing: true, disabledAt: new Date() },
  });
  const { deliveryIds } = await seedEvent(testbed.database.db, hook, [listener.listenerId]);
  await testbed.database.db.delivery.update({
    where: { id: deliveryIds[0]! },
    data: { status: "failed", attemptCount: 8, nextAttemptAt: null },
  });
  return { ...listener, deliveryId: deliveryIds[0]! };
}

describe("self-healing listeners", () => {
  it("are pinged, signed, until three pings in a row are answered, then enabled with their failed deliveries recovered", async () => {
    const hook = await seedHook(testbed.database.db, { name: "orders", providesArgs: ["id"] });
    const target = await receiver(recoversAfter(2));
    const listener = await disabledListener(
      hook,
      target.url,
      "Disabled after 20 failed deliveries in a row.",
    );
    const byUser = await disabledListener(hook, `${target.url}/by-user`, DISABLED_BY_USER_REASON);

    const runner = new EmbeddedRunner({
      db: testbed.database.db,
      allowlist,
      concurrency: 10,
      listenerConcurrency: 5,
      pollIntervalMs: 50,
      selfHealingIntervalMs: 20,
      probeSchedule: IMMEDIATE,
      log: memoryLog(),
    });
    testbed.track(runner);
    await runner.start();

    await waitUntil("the recovered delivery arrived", () =>
      target.requests.some((request) => request.headers["webhook-id"] === listener.deliveryId),
    );
    const pings = target.requests.filter((request) => request.headers["durian-hook"] === PING_TYPE);
    // Two unanswered, then three answered.
    expect(pings).toHaveLength(5);
    for (const ping of pings) {
      expect(ping.path).toBe("/");
      const body = await verifyWebhook({ secret: listener.secret, headers: ping.headers, body: ping.body });
      expect(body).toEqual({
        type: PING_TYPE,
        timestamp: expect.any(String),
        data: { listenerId: listener.listenerId, disabledAt: expect.any(String) },
      });
    }
    const healed = await testbed.database.db.listener.findUniqueOrThrow({
      where: { id: listener.listenerId },
    });
    expect(healed).toMatchObject({
      enabled: true,
      disabledReason: null,
      disabledAt: null,
      consecutiveFailures: 0,
    });
    await waitUntil("the recovered delivery succeeded", async () => {
      const delivery = await testbed.database.db.delivery.findUniqueOrThrow({
        where: { id: listener.deliveryId },
      });
      return delivery.status === "succeeded";
    });
    // The event is written after the runner is told of the recovered delivery, which may be made first.
    const recoveredEvents = {
      where: { projectId: hook.projectId, hookName: OPERATIONAL_HOOKS.listenerRecovered.name },
    };
    await waitUntil(
      "the listener's recovery was announced",
      async () => (await testbed.database.db.event.count(recoveredEvents)) > 0,
    );
    const recovered = await testbed.database.db.event.findMany(recoveredEvents);
    expect(recovered.map((event) => event.payload)).toEqual([
      {
        listenerId: listener.listenerId,
        hook: "orders",
        url: target.url,
        by: "self-healing",
        recoveredDeliveries: 1,
        disabledAt: expect.any(String),
      },
    ]);
    // A listener a user disabled is left alone.
    expect(target.requests.filter((request) => request.path === "/by-user")).toHaveLength(0);
    const stillOff = await testbed.database.db.listener.findUniqueOrThrow({
      where: { id: byUser.listenerId },
    });
    expect(stillOff.enabled).toBe(false);
  });

  it("run from the Inngest cron function with the same job", async () => {
    const hook = await seedHook(testbed.database.db, { name: "orders", providesArgs: ["id"] });
    const target = await receiver();
    const listener = await disabledListener(
      hook,
      target.url,
      "The endpoint answered 410 Gone; the listener was disabled.",
    );
    const runner = new RecordingRunner(() => testbed.database.db);
    const { heal } = createDeliveryFunctions(createInngestClient({ isDev: true }), {
      db: () => testbed.database.db,
      attemptOptions: () => ({ allowlist }),
      projectConcurrency: 50,
      listenerConcurrency: 5,
      probeSchedule: IMMEDIATE,
      runner: () => runner,
    });

    for (let sweep = 1; sweep <= 3; sweep++) {
      const { result } = await new InngestTestEngine({ function: heal }).execute();
      expect(result).toEqual({ probed: 1, healed: sweep === 3 ? 1 : 0 });
    }

    expect(target.requests).toHaveLength(3);
    const healed = await testbed.database.db.listener.findUniqueOrThrow({
      where: { id: listener.listenerId },
    });
    expect(healed.enabled).toBe(true);
    expect(runner.retried).toEqual([{ projectId: hook.projectId, deliveryIds: [listener.deliveryId] }]);
    const { result } = await new InngestTestEngine({ function: heal }).execute();
    expect(result).toEqual({ probed: 0, healed: 0 });
  });
});
