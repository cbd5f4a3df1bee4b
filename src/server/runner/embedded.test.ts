import http from "node:http";
import { useEngineTestbed } from "@/testing/engine-testbed";
import { describe, expect, it } from "vitest";
import { parseAllowlist } from "@/core/delivery";
import { verifyWebhook } from "@/core/signing";
import { createPrismaClient } from "@/server/db/client";
import { testDatabaseServerUrl } from "@/testing/databases";
import { LEASE_MARGIN_MS } from "@/server/delivery";
import { seedEvent, seedHook, seedListener } from "@/testing/seed";
import { claimDueDeliveries, expireLeases, handBackClaims } from "@/server/delivery/lifecycle";
import { sendEvent } from "@/server/services/events/send-event";
import { EmbeddedRunner, type EmbeddedRunnerOptions } from "./embedded";
import { allSucceeded, deliveryStatuses, idleRunner, memoryLog, waitUntil } from "@/testing/runner";

const allowlist = parseAllowlist("127.0.0.1");
/** Long enough that only a wake-up (never the poll) can explain a prompt delivery. */
const NO_POLLING_MS = 10 * 60 * 1000;

const testbed = useEngineTestbed();
const receiver = testbed.receiver;

/** A claim of at most one delivery, by a runner with nothing in flight. */
const claimInput = {
  limit: 1,
  listeners: { inFlight: new Map<string, number>(), limit: 1 },
  projects: { inFlight: new Map<string, number>(), limit: 1 },
};

/** A hook with one listener (whose URL nobody answers) and one event: one delivery, due now. */
async function oneDueDelivery() {
  const hook = await seedHook(testbed.database.db);
  const { listenerId } = await seedListener(testbed.database.db, hook, { url: "http://127.0.0.1:9/x" });
  const { deliveryIds } = await seedEvent(testbed.database.db, hook, [listenerId]);
  return { hook, deliveryIds };
}

function runner(options: Partial<EmbeddedRunnerOptions> = {}): EmbeddedRunner {
  const created = new EmbeddedRunner({
    db: testbed.database.db,
    allowlist,
    concurrency: 10,
    listenerConcurrency: 5,
    pollIntervalMs: NO_POLLING_MS,
    log: memoryLog(),
    ...options,
  });
  testbed.track(created);
  return created;
}

describe("EmbeddedRunner", () => {
  it("delivers every delivery of several events, each once, signed, as soon as it is told", async () => {
    const target = await receiver();
    const hook = await seedHook(testbed.database.db);
    const listeners = await Promise.all(
      ["a", "b", "c", "d"].map((path) =>
        seedListener(testbed.database.db, hook, { url: `${target.url}/${path}` }),
      ),
    );
    const delivering = runner();
    await delivering.start();

    const events = [];
    for (let index = 0; index < 3; index++) {
      const event = await seedEvent(
        testbed.database.db,
        hook,
        listeners.map((listener) => listener.listenerId),
        {
          name: `user-${index}`,
        },
      );
      await delivering.deliveriesCreated({ projectId: hook.projectId, ...event });
      events.push(event);
    }
    const deliveryIds = events.flatMap((event) => event.deliveryIds);

    await waitUntil("every delivery succeeded", () => allSucceeded(testbed.database.db, deliveryIds));
    expect(target.requests.map((request) => request.headers["webhook-id"]).sort()).toEqual(
      [...deliveryIds].sort(),
    );
    for (const request of target.requests) {
      const listener = listeners[["/a", "/b", "/c", "/d"].indexOf(request.path)]!;
      await verifyWebhook({ secret: listener.secret, headers: request.headers, body: request.body });
    }
  });

  it("keeps to the global and the per-listener concurrency limits", async () => {
    const GLOBAL_LIMIT = 4;
    const LISTENER_LIMIT = 2;
    let inFlight = 0;
    let maxInFlight = 0;
    const inFlightByPath = new Map<string, number>();
    let maxPerListener = 0;
    const target = await receiver((request, response) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const forListener = (inFlightByPath.get(request.path) ?? 0) + 1;
      inFlightByPath.set(request.path, forListener);
      maxPerListener = Math.max(maxPerListener, forListener);
      setTimeout(() => {
        inFlight--;
        inFlightByPath.set(request.path, (inFlightByPath.get(request.path) ?? 1) - 1);
        response.end("ok");
      }, 30);
    });
    const hook = await seedHook(testbed.database.db);
    const listenerIds: string[] = [];
    for (const path of ["one", "two", "three"]) {
      listenerIds.push(
        (await seedListener(testbed.database.db, hook, { url: `${target.url}/${path}` })).listenerId,
      );
    }
    const deliveryIds: string[] = [];
    // The oldest deliveries all go to one listener, so only the per-listener limit keeps it at two.
    for (let index = 0; index < 6; index++) {
      deliveryIds.push(...(await seedEvent(testbed.database.db, hook, [listenerIds[0]!])).deliveryIds);
    }
    for (let index = 0; index < 4; index++) {
      deliveryIds.push(...(await seedEvent(testbed.database.db, hook, listenerIds)).deliveryIds);
    }

    const delivering = runner({ concurrency: GLOBAL_LIMIT, listenerConcurrency: LISTENER_LIMIT });
    await delivering.start();

    await waitUntil("every delivery succeeded", () => allSucceeded(testbed.database.db, deliveryIds));
    expect(target.requests).toHaveLength(deliveryIds.length);
    expect(maxInFlight).toBeLessThanOrEqual(GLOBAL_LIMIT);
    expect(maxPerListener).toBeLessThanOrEqual(LISTENER_LIMIT);
    // The limits are limits, not a queue of one.
    expect(maxInFlight).toBeGreaterThan(1);
  });

  it("never claims past a listener's limit, counting what is already in flight", async () => {
    const hook = await seedHook(testbed.database.db);
    const busy = await seedListener(testbed.database.db, hook, { url: "http://127.0.0.1:9/busy" });
    const idle = await seedListener(testbed.database.db, hook, { url: "http://127.0.0.1:9/idle" });
    for (let index = 0; index < 5; index++)
      await seedEvent(testbed.database.db, hook, [busy.listenerId, idle.listenerId]);

    const { claimed } = await claimDueDeliveries(testbed.database.db, {
      limit: 10,
      listeners: { inFlight: new Map([[busy.listenerId, 2]]), limit: 3 },
      projects: { inFlight: new Map(), limit: 100 },
      now: new Date(),
    });

    const count = (listenerId: string) =>
      claimed.filter((context) => context.listenerId === listenerId).length;
    expect(count(busy.listenerId)).toBe(1);
    expect(count(idle.listenerId)).toBe(3);
    const leased = await testbed.database.db.delivery.findMany({
      where: { id: { in: claimed.map((c) => c.deliveryId) } },
    });
    expect(
      leased.every((delivery) => delivery.status === "delivering" && delivery.lockedUntil !== null),
    ).toBe(true);
    // Claimed ones are not claimable again while their lease lasts.
    const { claimed: again } = await claimDueDeliveries(testbed.database.db, {
      limit: 10,
      listeners: { inFlight: new Map(), limit: 10 },
      projects: { inFlight: new Map(), limit: 100 },
      now: new Date(),
    });
    expect(again.map((context) => context.deliveryId)).not.toEqual(
      expect.arrayContaining(claimed.map((context) => context.deliveryId)),
    );
    await testbed.database.db.delivery.deleteMany({ where: { hookId: hook.hookId } });
  });

  it("gives each claimed delivery its own event's payload, though a claim reads each payload once", async () => {
    const db = testbed.database.db;
    const hook = await seedHook(db);
    const listeners = await Promise.all(
      [1, 2, 3].map((index) => seedListener(db, hook, { url: `http://127.0.0.1:9/${index}` })),
    );
    const ids = listeners.map((listener) => listener.listenerId);
    const ada = await seedEvent(db, hook, ids, { name: "Ada" });
    const grace = await seedEvent(db, hook, ids, { name: "Grace" });

    const { claimed } = await claimDueDeliveries(db, {
      limit: 10,
      listeners: { inFlight: new Map(), limit: 10 },
      projects: { inFlight: new Map(), limit: 100 },
      now: new Date(),
    });

    const payloads = (eventId: string) =>
      claimed.filter((context) => context.eventId === eventId).map((context) => context.payload);
    expect(payloads(ada.eventId)).toEqual([{ name: "Ada" }, { name: "Ada" }, { name: "Ada" }]);
    expect(payloads(grace.eventId)).toEqual([{ name: "Grace" }, { name: "Grace" }, { name: "Grace" }]);
    await db.delivery.deleteMany({ where: { hookId: hook.hookId } });
  });

  it("claims a project's one due delivery past another project's older backlog, each delivery once", async () => {
    const db = testbed.database.db;
    const busy = await seedHook(db);
    const quiet = await seedHook(db);
    // More than a claim looks at among the oldest (MIN_SCAN), all due before the quiet project's one.
    const backlog = await Promise.all(
      Array.from({ length: 120 }, (_, index) =>
        seedListener(db, busy, { url: `http://127.0.0.1:9/busy/${index}` }),
      ),
    );
    const earlier = new Date(Date.now() - 60_000);
    await seedEvent(
      db,
      busy,
      backlog.map((listener) => listener.listenerId),
      undefined,
      earlier,
    );
    const lone = await seedListener(db, quiet, { url: "http://127.0.0.1:9/quiet" });
    const { deliveryIds: loneDelivery } = await seedEvent(db, quiet, [lone.listenerId]);

    const claim = (limit: number) =>
      claimDueDeliveries(db, {
        limit,
        listeners: { inFlight: new Map(), limit: 5 },
        projects: { inFlight: new Map(), limit: 1_000 },
        now: new Date(),
      });
    const first = await claim(4);
    // In turns across projects: the quiet project's delivery is taken in the first turn.
    expect(first.claimed.map((context) => context.projectId)).toContain(quiet.projectId);
    expect(first.claimed.map((context) => context.deliveryId)).toContain(loneDelivery[0]);
    const rest = await claim(500);
    const ids = [...first.claimed, ...rest.claimed].map((context) => context.deliveryId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(121);
    await db.delivery.deleteMany({ where: { hookId: { in: [busy.hookId, quiet.hookId] } } });
  });

  it("hands back only claims still under its own lease (never another runner's later claim)", async () => {
    const { hook, deliveryIds } = await oneDueDelivery();
    const { claimed: stale } = await claimDueDeliveries(testbed.database.db, {
      ...claimInput,
      now: new Date(),
    });
    expect(stale.map((context) => context.deliveryId)).toEqual(deliveryIds);
    // Later, once that lease has run out, another runner takes the delivery over.
    const later = new Date(stale[0]!.lockedUntil.getTime() + LEASE_MARGIN_MS);
    await expireLeases(testbed.database.db, later);
    const { claimed: current } = await claimDueDeliveries(testbed.database.db, { ...claimInput, now: later });
    expect(current.map((context) => context.deliveryId)).toEqual(deliveryIds);

    expect(await handBackClaims(testbed.database.db, stale, new Date())).toBe(0);
    const delivery = await testbed.database.db.delivery.findUniqueOrThrow({ where: { id: deliveryIds[0]! } });
    expect(delivery.status).toBe("delivering");
    expect(delivery.lockedUntil).toEqual(current[0]!.lockedUntil);

    const handedBackAt = new Date(later.getTime() + 1_000);
    expect(await handBackClaims(testbed.database.db, current, handedBackAt)).toBe(1);
    // Changed, as the live log (which follows updatedAt) must see.
    const released = await testbed.database.db.delivery.findUniqueOrThrow({ where: { id: deliveryIds[0]! } });
    expect(released).toMatchObject({ status: "pending", lockedUntil: null, updatedAt: handedBackAt });
    await testbed.database.db.delivery.deleteMany({ where: { hookId: hook.hookId } });
  });

  it.skipIf(!testDatabaseServerUrl())(
    "says a claim came back short because another runner was taking the same deliveries at that moment",
    async () => {
      const { hook, deliveryIds } = await oneDueDelivery();
      const otherRunnersDb = createPrismaClient(testbed.database.url!);
      try {
        // The other runner's claim, still under way: it holds the row its own claim chose.
        await otherRunnersDb.$transaction(async (other) => {
          await other.$queryRaw`SELECT id FROM "Delivery" WHERE id = ${deliveryIds[0]} FOR UPDATE`;
          const meanwhile = await claimDueDeliveries(testbed.database.db, { ...claimInput, now: new Date() });
          expect(meanwhile).toEqual({ claimed: [], contended: true });
        });
        const after = await claimDueDeliveries(testbed.database.db, { ...claimInput, now: new Date() });
        expect(after.claimed.map((context) => context.deliveryId)).toEqual(deliveryIds);
        // Nothing left to claim is not contention.
        expect(await claimDueDeliveries(testbed.database.db, { ...claimInput, now: new Date() })).toEqual({
          claimed: [],
          contended: false,
        });
      } finally {
        await otherRunnersDb.$disconnect();
        await testbed.database.db.delivery.deleteMany({ where: { hookId: hook.hookId } });
      }
    },
  );

  it("retries on its own when a retry falls due: 500, then 200, same webhook-id", async () => {
    const target = await receiver((_, response, index) => {
      response.writeHead(index === 0 ? 500 : 200);
      response.end();
    });
    const hook = await seedHook(testbed.database.db, { retrySchedule: [1] });
    const { listenerId } = await seedListener(testbed.database.db, hook, { url: target.url });
    const { deliveryIds } = await seedEvent(testbed.database.db, hook, [listenerId]);
    const delivering = runner();
    await delivering.start();

    await waitUntil("the retry succeeded", () => allSucceeded(testbed.database.db, deliveryIds));
    expect(target.requests.map((request) => request.headers["webhook-id"])).toEqual([
      deliveryIds[0],
      deliveryIds[0],
    ]);
    const attempts = await testbed.database.db.deliveryAttempt.findMany({
      where: { deliveryId: deliveryIds[0]! },
      orderBy: { number: "asc" },
    });
    expect(attempts.map((attempt) => attempt.responseStatus)).toEqual([500, 200]);
  });

  it("stops cleanly: waits for the attempt in flight, then claims nothing more", async () => {
    const target = await receiver((_, response) => setTimeout(() => response.end("ok"), 100));
    const hook = await seedHook(testbed.database.db);
    const { listenerId } = await seedListener(testbed.database.db, hook, { url: target.url });
    const first = await seedEvent(testbed.database.db, hook, [listenerId]);
    const delivering = runner();
    await delivering.start();
    await waitUntil("the request arrived", () => target.requests.length === 1);

    await delivering.stop();

    expect(await deliveryStatuses(testbed.database.db, first.deliveryIds)).toEqual(
      new Map([[first.deliveryIds[0], "succeeded"]]),
    );
    const second = await seedEvent(testbed.database.db, hook, [listenerId]);
    await delivering.deliveriesCreated({ projectId: hook.projectId, ...second });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await deliveryStatuses(testbed.database.db, second.deliveryIds)).toEqual(
      new Map([[second.deliveryIds[0], "pending"]]),
    );
    expect(target.requests).toHaveLength(1);
    await testbed.database.db.delivery.deleteMany({ where: { hookId: hook.hookId } });
  });

  it("hands back deliveries it claimed but had not sent when it stops", async () => {
    let answer: () => void = () => {};
    const target = await receiver((_, response) => {
      answer = () => response.end("ok");
    });
    const hook = await seedHook(testbed.database.db);
    const { listenerId } = await seedListener(testbed.database.db, hook, { url: target.url });
    const { deliveryIds } = await seedEvent(testbed.database.db, hook, [listenerId, listenerId, listenerId]);
    // One request at a time: the first is sent, the next is claimed and kept ready.
    const delivering = runner({ concurrency: 1 });
    await delivering.start();
    await waitUntil("the first request arrived", () => target.requests.length === 1);
    await waitUntil("the next delivery was claimed", async () => {
      const statuses = await deliveryStatuses(testbed.database.db, deliveryIds);
      return [...statuses.values()].filter((status) => status === "delivering").length === 2;
    });

    const stopped = delivering.stop();
    answer();
    await stopped;

    const deliveries = await testbed.database.db.delivery.findMany({ where: { id: { in: deliveryIds } } });
    expect(deliveries.map((delivery) => [delivery.status, delivery.lockedUntil]).sort()).toEqual([
      ["pending", null],
      ["pending", null],
      ["succeeded", null],
    ]);
    expect(target.requests).toHaveLength(1);
    await testbed.database.db.delivery.deleteMany({ where: { hookId: hook.hookId } });
  });

  it("takes over deliveries a crashed runner left mid-attempt once their lease expires, with the same webhook-id", async () => {
    let hang = true;
    const target = await receiver((_, response) => {
      if (!hang) response.end("ok");
    });
    const hook = await seedHook(testbed.database.db, { timeoutMs: 60_000 });
    const { listenerId } = await seedListener(testbed.database.db, hook, { url: target.url });
    const { deliveryIds } = await seedEvent(testbed.database.db, hook, [listenerId, listenerId]);
    // The first runner claims and sends, then "crashes": it is abandoned, its leases stay behind.
    const crashed = new EmbeddedRunner({
      db: testbed.database.db,
      allowlist,
      concurrency: 10,
      listenerConcurrency: 5,
      pollIntervalMs: NO_POLLING_MS,
      log: memoryLog(),
    });
    await crashed.start();
    await waitUntil("both requests arrived", () => target.requests.length === 2);
    hang = false;

    // A new runner on the same database, whose clock is past the lease (timeout + margin).
    const leaseMs = 60_000 + LEASE_MARGIN_MS;
    const log = memoryLog();
    const restarted = runner({ now: () => new Date(Date.now() + leaseMs + 1_000), log });
    await restarted.start();

    await waitUntil("both deliveries succeeded", () => allSucceeded(testbed.database.db, deliveryIds));
    const ids = target.requests.map((request) => request.headers["webhook-id"]);
    expect(ids).toHaveLength(4);
    expect([...ids].sort()).toEqual([...deliveryIds, ...deliveryIds].sort());
    expect(log.lines.join("\n")).toMatch(/2 delivery attempt\(s\) abandoned/);

    // The abandoned attempts end late (their connections close); their records lose to the ones made.
    await target.close();
    await crashed.stop();
    const attempts = await testbed.database.db.deliveryAttempt.findMany({
      where: { deliveryId: { in: deliveryIds } },
    });
    expect(attempts.map((attempt) => [attempt.number, attempt.responseStatus])).toEqual([
      [1, 200],
      [1, 200],
    ]);
    expect(await allSucceeded(testbed.database.db, deliveryIds)).toBe(true);
  });
});

// The engine end to end with the embedded runner: events accepted by the events service, matched by
// the fan-out job, delivered by the delivery job, to real receivers on 127.0.0.1.
describe("the engine", () => {
  it("answers before matching, then matches in pages and delivers to each matching listener once", async () => {
    const target = await receiver();
    const hook = await seedHook(testbed.database.db);
    const listenerIds: string[] = [];
    for (let index = 0; index < 7; index++)
      listenerIds.push(
        (await seedListener(testbed.database.db, hook, { url: `${target.url}/${index}` })).listenerId,
      );
    const delivering = runner();
    await delivering.start();

    const { result } = await sendEvent(
      hook.projectId,
      hook.hookName,
      { payload: { name: "Ada" } },
      { waitSeconds: 20 },
      { db: testbed.database.db, runner: delivering },
    );

    expect(result.matched).toBe(7);
    expect(result.deliveries!.every((delivery) => delivery.firstAttempt?.responseStatus === 200)).toBe(true);
    const deliveries = await testbed.database.db.delivery.findMany({ where: { eventId: result.eventId } });
    expect(new Set(deliveries.map((delivery) => delivery.listenerId))).toEqual(new Set(listenerIds));
    expect(target.requests.map((request) => request.headers["webhook-id"]).sort()).toEqual(
      deliveries.map((delivery) => delivery.id).sort(),
    );
  });

  it("matches an event another server accepted within a poll interval, however often other work wakes it", async () => {
    const target = await receiver();
    const hook = await seedHook(testbed.database.db);
    const { listenerId } = await seedListener(testbed.database.db, hook, { url: target.url });
    const delivering = runner({ pollIntervalMs: 200 });
    await delivering.start();
    // Past its first look (which finds everything): one delivery it was told of, delivered.
    const { deliveryIds: told } = await seedEvent(testbed.database.db, hook, [listenerId]);
    await delivering.deliveriesCreated({ projectId: hook.projectId, deliveries: [] });
    await waitUntil("the delivery it was told of succeeded", () => allSucceeded(testbed.database.db, told));
    // Another server's accepting path: it stores the event and its fan-out and tells only its own runner.
    let waking = true;
    const wakes = (async () => {
      while (waking) {
        await delivering.deliveriesCreated({ projectId: hook.projectId, deliveries: [] });
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    try {
      const { result } = await sendEvent(
        hook.projectId,
        hook.hookName,
        { payload: { name: "Ada" } },
        {},
        { db: testbed.database.db, runner: idleRunner },
      );
      await waitUntil("the other server's event is delivered", async () => {
        const deliveries = await testbed.database.db.delivery.findMany({
          where: { eventId: result.eventId },
        });
        return deliveries.length === 1 && deliveries[0]!.status === "succeeded";
      });
      expect(target.requests).toHaveLength(2);
      expect(await testbed.database.db.delivery.count({ where: { listenerId } })).toBe(2);
    } finally {
      waking = false;
      await wakes;
    }
  });

  it("claims nothing for events whose only listener is at its limit, until its slot is free", async () => {
    const hanging = await receiver(() => {});
    const hook = await seedHook(testbed.database.db, { timeoutMs: 60_000 });
    const { listenerId } = await seedListener(testbed.database.db, hook, { url: hanging.url });
    const delivering = runner({ listenerConcurrency: 1 });
    await delivering.start();
    const send = () =>
      sendEvent(
        hook.projectId,
        hook.hookName,
        { payload: { name: "Ada" } },
        {},
        { db: testbed.database.db, runner: delivering },
      );
    await send();
    await waitUntil("the first delivery holds the listener's one slot", () => hanging.requests.length === 1);
    const claimsBefore = delivering.claimsMade;

    for (let event = 0; event < 10; event++) await send();
    await waitUntil("every event is matched", async () => {
      const matched = await testbed.database.db.delivery.count({ where: { listenerId } });
      const fanningOut = await testbed.database.db.fanOut.count({
        where: { hookId: hook.hookId, done: false },
      });
      return matched === 11 && fanningOut === 0;
    });

    // Each event woke it (to match), but none of their deliveries could go: it did not look for them.
    expect(delivering.claimsMade).toBe(claimsBefore);
    expect(hanging.requests).toHaveLength(1);
  });

  it("keeps one project's hanging receivers from taking the slots another project's deliveries need", async () => {
    const hanging = await receiver(() => {});
    const fast = await receiver();
    const noisy = await seedHook(testbed.database.db, { timeoutMs: 60_000 });
    const noisyListeners: string[] = [];
    for (let index = 0; index < 4; index++)
      noisyListeners.push(
        (await seedListener(testbed.database.db, noisy, { url: `${hanging.url}/${index}` })).listenerId,
      );
    const victim = await seedHook(testbed.database.db);
    const { listenerId } = await seedListener(testbed.database.db, victim, { url: fast.url });
    for (let event = 0; event < 5; event++) await seedEvent(testbed.database.db, noisy, noisyListeners);
    const delivering = runner({ concurrency: 4, projectConcurrency: 2, listenerConcurrency: 2 });
    await delivering.start();
    await waitUntil("the noisy project's receivers hold its slots", () => hanging.requests.length === 2);

    const victimDeliveries: string[] = [];
    for (let event = 0; event < 5; event++)
      victimDeliveries.push(...(await seedEvent(testbed.database.db, victim, [listenerId])).deliveryIds);
    await delivering.deliveriesCreated();

    await waitUntil("every delivery of the other project succeeded", () =>
      allSucceeded(testbed.database.db, victimDeliveries),
    );
    // The hanging project never held more than its share.
    expect(hanging.requests).toHaveLength(2);
    expect(fast.requests).toHaveLength(5);
  });

  it("runs on two servers sharing one database: every delivery made once, both doing work", async () => {
    // The receiver answers nothing until more requests are open at once than one server may have in
    // flight, so the deliveries can only finish if both servers take part, whichever is faster.
    const perServer = 4;
    const open = new Set<http.ServerResponse>();
    let released = false;
    const target = await receiver((_, response) => {
      if (released) return void response.end("ok");
      open.add(response);
      // A request the runner gave up on (its timeout) no longer counts.
      response.on("close", () => open.delete(response));
      if (open.size <= perServer) return;
      released = true;
      for (const waiting of open) waiting.end("ok");
    });
    const hook = await seedHook(testbed.database.db);
    const listenerIds: string[] = [];
    for (let index = 0; index < 20; index++)
      listenerIds.push(
        (await seedListener(testbed.database.db, hook, { url: `${target.url}/${index}` })).listenerId,
      );
    const secondServersDb = createPrismaClient(testbed.database.url ?? testbed.database.pglite!);
    const first = runner({ concurrency: perServer });
    const second = runner({ db: secondServersDb, concurrency: perServer });
    try {
      await Promise.all([first.start(), second.start()]);
      const deliveryIds: string[] = [];
      for (let event = 0; event < 10; event++)
        deliveryIds.push(...(await seedEvent(testbed.database.db, hook, listenerIds)).deliveryIds);
      await Promise.all([first.deliveriesCreated(), second.deliveriesCreated()]);

      await waitUntil(
        "every delivery succeeded",
        () => allSucceeded(testbed.database.db, deliveryIds),
        60_000,
      );
      const ids = target.requests.map((request) => request.headers["webhook-id"] as string);
      expect(ids).toHaveLength(deliveryIds.length);
      expect(new Set(ids)).toEqual(new Set(deliveryIds));
      expect(first.attemptsMade).toBeGreaterThan(0);
      expect(second.attemptsMade).toBeGreaterThan(0);
    } finally {
      await second.stop();
      await secondServersDb.$disconnect();
    }
  }, 120_000);
});
