import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSecret } from "@/core/signing";
import { Prisma } from "@/generated/prisma/client";
import { noBitmapScanQueryFor, plainQueryFor, type PlainQuery } from "@/server/db/client";
import { sealListenerSecret } from "@/server/secrets";
import { createTestDatabase, type TestDatabase } from "@/testing/databases";
import { seedHook, type SeededHook } from "@/testing/seed";
import {
  claimDueDeliveries,
  createDeliveries,
  dueClaimStatement,
  type ClaimDueDeliveriesInput,
} from "./lifecycle";

// A backlog built after the table's statistics were taken (many small fan-outs, or a runner stopped
// for a while, before autovacuum analyses the table again): the claim must still read the oldest due
// deliveries in due order from the index, not all of them by a bitmap scan and a sort.

const LISTENERS = 200;
const EVENTS = 100;
const BASE = new Date("2026-12-03T10:00:00.000Z");

let database: TestDatabase;
let hook: SeededHook;
let firstEventId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  const db = database.db;
  hook = await seedHook(db);
  const secret = sealListenerSecret(generateSecret());
  await db.listener.createMany({
    data: Array.from({ length: LISTENERS }, (_, index) => ({
      projectId: hook.projectId,
      hookId: hook.hookId,
      url: `https://example.com/${index}`,
      secret,
    })),
  });
  const listeners = (await db.listener.findMany({ select: { id: true } })).map(({ id }) => ({
    id,
    relay: false,
  }));
  // Statistics of a table holding no pending delivery, kept: autovacuum may not refresh them mid-test.
  await db.$executeRawUnsafe(`ALTER TABLE "Delivery" SET (autovacuum_enabled = false)`);
  await db.$executeRawUnsafe(`ANALYZE "Delivery"`);
  for (let index = 0; index < EVENTS; index++) {
    const now = new Date(BASE.getTime() + index * 1_000);
    const event = await db.event.create({
      data: {
        projectId: hook.projectId,
        hookId: hook.hookId,
        hookName: hook.hookName,
        payload: {},
        createdAt: now,
      },
    });
    if (index === 0) firstEventId = event.id;
    await createDeliveries(db, { ...hook, eventId: event.id, fanOut: 0, listeners, now });
  }
});
afterAll(() => database?.drop());

function claimInput(): ClaimDueDeliveriesInput {
  return {
    limit: 100,
    listeners: { inFlight: new Map(), limit: 5 },
    projects: { inFlight: new Map(), limit: 1_000 },
    now: new Date(BASE.getTime() + EVENTS * 1_000),
  };
}

async function planOf(run: PlainQuery): Promise<string> {
  const rows = await run<{ "QUERY PLAN": string }>(Prisma.sql`EXPLAIN ${dueClaimStatement(claimInput())}`);
  return rows.map((row) => row["QUERY PLAN"]).join("\n");
}

describe("claiming due deliveries on statistics older than the backlog", () => {
  it("would be planned as a bitmap scan of every due delivery (the case this guards against)", async () => {
    expect(await planOf(plainQueryFor(database.db))).toMatch(/Bitmap Heap Scan on "Delivery"/);
  });

  it("is planned as a read of the due-order index instead", async () => {
    const plan = await planOf(noBitmapScanQueryFor(database.db));
    expect(plan).not.toMatch(/Bitmap Heap Scan on "Delivery"/);
    expect(plan).toMatch(/Index Scan using "Delivery_pending_nextAttemptAt_idx"/);
  });

  it("claims the oldest due deliveries", async () => {
    const { claimed } = await claimDueDeliveries(database.db, claimInput());
    expect(claimed).toHaveLength(100);
    expect(new Set(claimed.map((context) => context.eventId))).toEqual(new Set([firstEventId]));
  });
});
