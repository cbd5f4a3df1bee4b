import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/testing/databases";
import type { DeliveryRunner } from "@/server/runner/port";
import { ConflictError, NotFoundError, ValidationError } from "./errors";
import { sendTestEvent, TEST_EVENT_SENDER } from "./events/test-event";
import { getHookWithStats } from "./hooks";

// The reads and writes the dashboard added to the services: a hook's page stats and test events.

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

function recordingRunner() {
  const created: string[][] = [];
  const runner: DeliveryRunner = {
    kind: "embedded",
    fanOutRequested: async () => {},
    deliveriesCreated: async ({ deliveries }) => {
      created.push(deliveries.map((delivery) => delivery.id));
    },
    retryRequested: async () => {},
    start: async () => {},
    stop: async () => {},
  };
  return { runner, created };
}

async function projectWithListeners() {
  const db = database.db;
  const project = await db.project.create({ data: { name: "Dashboard additions" } });
  const hook = await db.hook.create({
    data: { projectId: project.id, name: "person", providesArgs: ["name", "email"] },
  });
  const listener = (filter: object, enabled = true) =>
    db.listener.create({
      data: {
        projectId: project.id,
        hookId: hook.id,
        url: "https://example.com/a",
        filter,
        secret: "whsec_x",
        enabled,
      },
    });
  return {
    projectId: project.id,
    hook,
    joe: await listener({ name: "Joe" }),
    other: await listener({}),
    off: await listener({}, false),
  };
}

describe("sendTestEvent", () => {
  it("delivers to that listener only, even when its filter would not match, and tells the runner", async () => {
    const { projectId, joe, other } = await projectWithListeners();
    const { runner, created } = recordingRunner();
    const result = await sendTestEvent(
      projectId,
      joe.id,
      { payload: { name: "Simon" } },
      { db: database.db, runner },
    );
    const deliveries = await database.db.delivery.findMany({ where: { eventId: result.eventId } });
    expect(deliveries.map((delivery) => delivery.listenerId)).toEqual([joe.id]);
    expect(deliveries.some((delivery) => delivery.listenerId === other.id)).toBe(false);
    expect(created).toEqual([[result.deliveryId]]);
    const event = await database.db.event.findUniqueOrThrow({ where: { id: result.eventId } });
    expect(event).toMatchObject({ sender: TEST_EVENT_SENDER, payload: { name: "Simon" } });
  });

  it("sends a sample payload with every provided field when none is given", async () => {
    const { projectId, other } = await projectWithListeners();
    const { runner } = recordingRunner();
    const { eventId } = await sendTestEvent(projectId, other.id, {}, { db: database.db, runner });
    const event = await database.db.event.findUniqueOrThrow({ where: { id: eventId } });
    expect(Object.keys(event.payload as object)).toEqual(["name", "email"]);
  });

  it("refuses fields the hook does not provide, a disabled listener and another project's listener", async () => {
    const { projectId, joe, off } = await projectWithListeners();
    const deps = { db: database.db, runner: recordingRunner().runner };
    await expect(sendTestEvent(projectId, joe.id, { payload: { secret: "x" } }, deps)).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(sendTestEvent(projectId, off.id, {}, deps)).rejects.toBeInstanceOf(ConflictError);
    const stranger = await database.db.project.create({ data: { name: "Stranger" } });
    await expect(sendTestEvent(stranger.id, joe.id, {}, deps)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("getHookWithStats", () => {
  it("counts listeners, last-24-hours events and the share of finished deliveries that succeeded", async () => {
    const { projectId, hook, joe } = await projectWithListeners();
    const now = new Date();
    const old = new Date(now.getTime() - 25 * 60 * 60 * 1000);
    const db = database.db;
    for (const [createdAt, status] of [
      [now, "succeeded"],
      [now, "succeeded"],
      [now, "failed"],
      [now, "pending"],
      [old, "failed"],
    ] as const) {
      await db.event.create({
        data: {
          projectId,
          hookId: hook.id,
          hookName: hook.name,
          payload: {},
          createdAt,
          deliveries: { create: { projectId, listenerId: joe.id, hookId: hook.id, status, createdAt } },
        },
      });
    }
    const withStats = await getHookWithStats(projectId, "person", db, now);
    expect(withStats.stats).toEqual({ listeners: 3, events24h: 4, successRate24h: 2 / 3 });
    await expect(getHookWithStats(projectId, "nobody", db)).rejects.toBeInstanceOf(NotFoundError);
  });
});
