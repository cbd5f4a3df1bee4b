import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_PAGE_SIZE } from "@/contracts/common";
import { generateSecret } from "@/core/signing";
import { setDbForTesting } from "@/server/db/client";
import { createTestDatabase, type TestDatabase } from "@/testing/databases";
import {
  deliveryChangesSince,
  deliveryLogFilterChoices,
  getDeliveryDetail,
  listEventLog,
} from "./delivery-log";

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  setDbForTesting(database.db);
});
afterAll(async () => {
  setDbForTesting(undefined);
  await database.drop();
});

async function seed() {
  const db = database.db;
  const project = await db.project.create({ data: { name: "Log tests" } });
  const hooks = await Promise.all(
    ["order.paid", "user.signed_up"].map((name) =>
      db.hook.create({ data: { projectId: project.id, name, providesArgs: ["id"] } }),
    ),
  );
  const listeners = await Promise.all(
    hooks.map((hook) =>
      db.listener.create({
        data: {
          projectId: project.id,
          hookId: hook.id,
          url: `https://example.test/${hook.name}`,
          secret: generateSecret(),
        },
      }),
    ),
  );
  const start = new Date("2026-01-01T00:00:00Z");
  const deliveries = [];
  for (let index = 0; index < 4; index++) {
    const hook = hooks[index % 2]!;
    const event = await db.event.create({
      data: {
        projectId: project.id,
        hookId: hook.id,
        hookName: hook.name,
        payload: { id: index },
        createdAt: start,
      },
    });
    deliveries.push(
      await db.delivery.create({
        data: {
          projectId: project.id,
          eventId: event.id,
          hookId: hook.id,
          listenerId: listeners[index % 2]!.id,
          status: index === 3 ? "failed" : "succeeded",
          createdAt: start,
          updatedAt: new Date(start.getTime() + index * 1000),
        },
      }),
    );
  }
  return { projectId: project.id, hooks, listeners, deliveries, start };
}

describe("deliveryChangesSince", () => {
  it("returns deliveries changed after the time, oldest change first, with the log's filters", async () => {
    const { projectId, deliveries, listeners, start } = await seed();
    const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);

    const changed = await deliveryChangesSince(projectId, {}, at(0.5));
    expect(changed.items.map((delivery) => delivery.id)).toEqual(
      deliveries.slice(1).map((delivery) => delivery.id),
    );
    expect(changed.more).toBe(false);

    const paid = await deliveryChangesSince(projectId, { hook: "order.paid" }, at(-1));
    expect(paid.items.map((delivery) => delivery.id)).toEqual([deliveries[0]!.id, deliveries[2]!.id]);

    const failed = await deliveryChangesSince(projectId, { status: "failed" }, at(-1));
    expect(failed.items.map((delivery) => delivery.id)).toEqual([deliveries[3]!.id]);

    const ofListener = await deliveryChangesSince(projectId, { listenerId: listeners[1]!.id }, at(-1));
    expect(ofListener.items.map((delivery) => delivery.listenerUrl)).toEqual([
      listeners[1]!.url,
      listeners[1]!.url,
    ]);

    expect((await deliveryChangesSince(projectId, { hook: "no.such.hook" }, at(-1))).items).toEqual([]);
    expect((await deliveryChangesSince(projectId, {}, at(10))).items).toEqual([]);
    const later = await deliveryChangesSince(projectId, { since: at(1) }, at(-1));
    expect(later.items).toEqual([]);
  });
});

describe("deliveryLogFilterChoices and getDeliveryDetail", () => {
  it("offers the project's hooks and listeners and labels a delivery with its hook", async () => {
    const { projectId, deliveries } = await seed();
    const choices = await deliveryLogFilterChoices(projectId);
    expect(choices.hooks.map((hook) => hook.name)).toEqual(["order.paid", "user.signed_up"]);
    expect(choices.listeners.map((listener) => listener.hook).sort()).toEqual([
      "order.paid",
      "user.signed_up",
    ]);

    const detail = await getDeliveryDetail(projectId, deliveries[1]!.id);
    expect(detail).toMatchObject({
      id: deliveries[1]!.id,
      hookName: "user.signed_up",
      listenerEnabled: true,
      attempts: [],
    });
  });
});

describe("listEventLog", () => {
  it("pages events with how their deliveries went", async () => {
    const { projectId } = await seed();
    const page = await listEventLog(projectId, { limit: 3 });
    expect(page.items).toHaveLength(3);
    expect(page.nextCursor).not.toBeNull();
    const tallies = page.items.map((event) => event.deliveries);
    for (const tally of tallies) expect(tally.total).toBe(1);
    const all = [
      ...tallies,
      ...(await listEventLog(projectId, { cursor: page.nextCursor!, limit: DEFAULT_PAGE_SIZE })).items.map(
        (event) => event.deliveries,
      ),
    ];
    expect(all.reduce((sum, tally) => sum + tally.failed, 0)).toBe(1);
    expect(all.reduce((sum, tally) => sum + tally.succeeded, 0)).toBe(3);
  });
});
