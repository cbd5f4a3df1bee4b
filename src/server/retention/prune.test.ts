import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DeliveryStatus } from "@/generated/prisma/client";
import { createTestDatabase, type TestDatabase } from "@/testing/databases";
import { seedHook, seedListener, type SeededHook } from "@/testing/seed";
import { pruneBatch, pruneExpiredData } from "./prune";
import { retentionCutoff } from "./window";

// Retention on a real database (PostgreSQL with DATABASE_URL, PGlite otherwise): what is deleted and
// what is kept at the window's edge, and that work in progress is never touched.

const NOW = new Date("2026-11-30T12:00:00.000Z");
const RETENTION_DAYS = 30;
const CUTOFF = retentionCutoff(NOW, RETENTION_DAYS);
/** Expired by one millisecond. */
const JUST_EXPIRED = new Date(CUTOFF.getTime() - 1);
const LONG_AGO = new Date(CUTOFF.getTime() - 90 * 24 * 60 * 60 * 1000);
const RECENT = new Date(NOW.getTime() - 60 * 60 * 1000);

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});
// Pruning looks at every project: each test starts with none.
beforeEach(async () => {
  await database.db.project.deleteMany();
});

interface Scene {
  hook: SeededHook;
  listenerId: string;
}

async function scene(): Promise<Scene> {
  const hook = await seedHook(database.db);
  const { listenerId } = await seedListener(database.db, hook, { url: "https://receiver.example.test/" });
  return { hook, listenerId };
}

async function event({ hook }: Scene, createdAt: Date): Promise<string> {
  const created = await database.db.event.create({
    data: { projectId: hook.projectId, hookId: hook.hookId, hookName: hook.hookName, payload: {}, createdAt },
  });
  return created.id;
}

async function delivery(
  { hook, listenerId }: Scene,
  eventId: string,
  status: DeliveryStatus,
  createdAt: Date,
  attemptTimes: Date[] = [],
): Promise<{ id: string; attemptIds: string[] }> {
  // A second delivery of one event to one listener is what a replay (the next fan-out) makes.
  const fanOut = await database.db.delivery.count({ where: { eventId, listenerId } });
  const created = await database.db.delivery.create({
    data: {
      projectId: hook.projectId,
      eventId,
      listenerId,
      hookId: hook.hookId,
      fanOut,
      status,
      attemptCount: attemptTimes.length,
      createdAt,
    },
  });
  const attemptIds: string[] = [];
  for (const [index, at] of attemptTimes.entries()) {
    const attempt = await database.db.deliveryAttempt.create({
      data: {
        deliveryId: created.id,
        projectId: hook.projectId,
        number: index + 1,
        startedAt: at,
        durationMs: 12,
        requestUrl: "https://receiver.example.test/",
        requestHeaders: {},
        requestBody: "{}",
        responseStatus: 500,
        responseBody: "x".repeat(1000),
        createdAt: at,
      },
    });
    attemptIds.push(attempt.id);
  }
  return { id: created.id, attemptIds };
}

async function inspectorRequest({ hook }: Scene, receivedAt: Date): Promise<string> {
  const created = await database.db.inspectorRequest.create({
    data: { projectId: hook.projectId, method: "POST", headers: {}, body: "{}", receivedAt },
  });
  return created.id;
}

async function remaining() {
  const ids = async (rows: Promise<{ id: string }[]>) => (await rows).map((row) => row.id).sort();
  const select = { select: { id: true } } as const;
  return {
    events: await ids(database.db.event.findMany(select)),
    deliveries: await ids(database.db.delivery.findMany(select)),
    deliveryAttempts: await ids(database.db.deliveryAttempt.findMany(select)),
    inspectorRequests: await ids(database.db.inspectorRequest.findMany(select)),
  };
}

const prune = (options: { batchSize?: number; maxBatchesPerTable?: number } = {}) =>
  pruneExpiredData(database.db, { now: NOW, retentionDays: RETENTION_DAYS, pauseMs: 0, ...options });

describe("pruneExpiredData", () => {
  it("deletes what is older than the window by a millisecond and keeps what is exactly at its edge", async () => {
    const s = await scene();
    const expiredEvent = await event(s, JUST_EXPIRED);
    await delivery(s, expiredEvent, "succeeded", JUST_EXPIRED, [JUST_EXPIRED]);
    const edgeEvent = await event(s, CUTOFF);
    const edgeDelivery = await delivery(s, edgeEvent, "failed", CUTOFF, [CUTOFF, CUTOFF]);
    await inspectorRequest(s, JUST_EXPIRED);
    const edgeRequest = await inspectorRequest(s, CUTOFF);

    const result = await prune();

    expect(result).toEqual({
      cutoff: CUTOFF,
      deleted: { deliveryAttempts: 1, deliveries: 1, events: 1, inspectorRequests: 1, attemptRollups: 0 },
      complete: true,
    });
    expect(await remaining()).toEqual({
      events: [edgeEvent],
      deliveries: [edgeDelivery.id],
      deliveryAttempts: [...edgeDelivery.attemptIds].sort(),
      inspectorRequests: [edgeRequest],
    });
  });

  it("never deletes a pending or delivering delivery, nor its attempts, nor its event", async () => {
    const s = await scene();
    const kept: { event: string; delivery: { id: string; attemptIds: string[] } }[] = [];
    for (const status of ["pending", "delivering"] as const) {
      const eventId = await event(s, LONG_AGO);
      kept.push({ event: eventId, delivery: await delivery(s, eventId, status, LONG_AGO, [LONG_AGO]) });
    }
    // A finished delivery of the same old event as a pending one goes; the event stays for the other.
    const finished = await delivery(s, kept[0]!.event, "failed", LONG_AGO, [LONG_AGO]);

    const { deleted } = await prune();

    expect(deleted).toEqual({
      deliveryAttempts: 1,
      deliveries: 1,
      events: 0,
      inspectorRequests: 0,
      attemptRollups: 0,
    });
    const left = await remaining();
    expect(left.events).toEqual(kept.map((entry) => entry.event).sort());
    expect(left.deliveries).toEqual(kept.map((entry) => entry.delivery.id).sort());
    expect(left.deliveryAttempts).toEqual(kept.flatMap((entry) => entry.delivery.attemptIds).sort());
    expect(left.deliveries).not.toContain(finished.id);
  });

  it("keeps a delivery retried within the window, and its event, while its old attempts go", async () => {
    const s = await scene();
    const eventId = await event(s, LONG_AGO);
    const retried = await delivery(s, eventId, "succeeded", LONG_AGO, [LONG_AGO, RECENT]);
    // A replay within the window: the new delivery keeps the old event.
    const replayedEvent = await event(s, LONG_AGO);
    const replay = await delivery(s, replayedEvent, "succeeded", RECENT, [RECENT]);

    const { deleted } = await prune();

    expect(deleted).toEqual({
      deliveryAttempts: 1,
      deliveries: 0,
      events: 0,
      inspectorRequests: 0,
      attemptRollups: 0,
    });
    expect(await remaining()).toEqual({
      events: [eventId, replayedEvent].sort(),
      deliveries: [retried.id, replay.id].sort(),
      deliveryAttempts: [retried.attemptIds[1]!, replay.attemptIds[0]!].sort(),
      inspectorRequests: [],
    });
  });

  it("deletes an hourly rollup once its whole hour is past the window", async () => {
    const { hook, listenerId } = await scene();
    const hourOf = (time: Date) => new Date(Math.floor(time.getTime() / 3_600_000) * 3_600_000);
    const HOUR = 3_600_000;
    // The hour holding the cutoff still counts attempts within the window; the one before it does not.
    const straddling = hourOf(CUTOFF);
    const expired = new Date(straddling.getTime() - HOUR);
    for (const hour of [new Date(expired.getTime() - 10 * HOUR), expired, straddling, hourOf(RECENT)])
      await database.db.attemptRollup.create({
        data: {
          listenerId,
          hour,
          projectId: hook.projectId,
          hookId: hook.hookId,
          succeeded: 1,
          latencyBuckets: [],
        },
      });

    const { deleted } = await prune();

    expect(deleted.attemptRollups).toBe(2);
    const left = await database.db.attemptRollup.findMany({
      select: { hour: true },
      orderBy: { hour: "asc" },
    });
    expect(left.map((row) => row.hour)).toEqual([straddling, hourOf(RECENT)]);
  });

  it("prunes every project, a batch at a time, and stops at the batch limit", async () => {
    const scenes = [await scene(), await scene()];
    for (const s of scenes) {
      for (let index = 0; index < 3; index++) {
        const eventId = await event(s, LONG_AGO);
        await delivery(s, eventId, "succeeded", LONG_AGO, [LONG_AGO]);
        await inspectorRequest(s, LONG_AGO);
      }
    }
    const newest = await event(scenes[1]!, RECENT);

    // 6 rows a table in batches of 4: two batches each, the second one short.
    const bounded = await prune({ batchSize: 4, maxBatchesPerTable: 1 });
    expect(bounded.complete).toBe(false);
    expect(bounded.deleted).toEqual({
      deliveryAttempts: 4,
      deliveries: 4,
      events: 4,
      inspectorRequests: 4,
      attemptRollups: 0,
    });

    const rest = await prune({ batchSize: 4 });
    expect(rest.complete).toBe(true);
    expect(rest.deleted).toEqual({
      deliveryAttempts: 2,
      deliveries: 2,
      events: 2,
      inspectorRequests: 2,
      attemptRollups: 0,
    });
    expect(await remaining()).toEqual({
      events: [newest],
      deliveries: [],
      deliveryAttempts: [],
      inspectorRequests: [],
    });
  });

  it("stops between batches when asked to", async () => {
    const s = await scene();
    for (let index = 0; index < 3; index++) await inspectorRequest(s, LONG_AGO);
    const controller = new AbortController();
    controller.abort();

    const result = await pruneExpiredData(database.db, {
      now: NOW,
      retentionDays: RETENTION_DAYS,
      signal: controller.signal,
    });

    expect(result.complete).toBe(false);
    expect((await remaining()).inspectorRequests).toHaveLength(3);
  });

  it("refuses a window or a batch that makes no sense", async () => {
    await expect(pruneExpiredData(database.db, { now: NOW, retentionDays: 0 })).rejects.toThrow(
      /retentionDays: expected a whole number of days/,
    );
    await expect(
      pruneExpiredData(database.db, { now: NOW, retentionDays: 30, batchSize: 0 }),
    ).rejects.toThrow(/batchSize: expected a positive integer, got 0/);
    await expect(pruneBatch(database.db, "events", { cutoff: CUTOFF, batchSize: 1.5 })).rejects.toThrow(
      /batchSize/,
    );
  });
});
