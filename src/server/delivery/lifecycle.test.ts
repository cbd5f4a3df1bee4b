import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  canTransition,
  DELIVERY_STATUSES,
  DELIVERY_TRANSITIONS,
  type DeliveryTransition,
} from "@/core/delivery/lifecycle";
import { Prisma } from "@/generated/prisma/client";
import { createTestDatabase, type TestDatabase } from "@/testing/databases";
import { fromStates } from "./lifecycle";
import { seedEvent, seedHook, seedListener } from "@/testing/seed";

// The SQL conditions the lifecycle module builds from the core's table agree with the table on a real
// database, for every status and lease.

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

describe("fromStates", () => {
  it("selects exactly the deliveries the core's table lets each transition change", async () => {
    const db = database.db;
    const now = new Date("2026-12-02T12:00:00.000Z");
    const leases = [null, new Date(now.getTime() - 1_000), new Date(now.getTime() + 60_000)];
    const hook = await seedHook(db);
    const states = DELIVERY_STATUSES.flatMap((status) =>
      leases.map((lockedUntil) => ({ status, lockedUntil })),
    );
    const listeners = [];
    for (let index = 0; index < states.length; index++)
      listeners.push((await seedListener(db, hook, { url: `https://example.com/${index}` })).listenerId);
    const { deliveryIds } = await seedEvent(db, hook, listeners);
    for (const [index, state] of states.entries())
      await db.delivery.update({ where: { id: deliveryIds[index]! }, data: state });

    for (const transition of Object.keys(DELIVERY_TRANSITIONS) as DeliveryTransition[]) {
      const rows = await db.$queryRaw<{ id: string }[]>(
        Prisma.sql`SELECT d.id FROM "Delivery" d WHERE d."hookId" = ${hook.hookId} AND ${fromStates(transition, "d", now)}`,
      );
      const selected = new Set(rows.map((row) => row.id));
      const expected = new Set(
        states.flatMap((state, index) =>
          canTransition(transition, state, now) ? [deliveryIds[index]!] : [],
        ),
      );
      expect([transition, selected]).toEqual([transition, expected]);
    }
  });
});
