import { InngestTestEngine } from "@inngest/test";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/testing/databases";
import { seedHook } from "@/testing/seed";
import { createInngestClient } from "./client";
import { createRetentionFunction } from "./prune-expired-data";

// The retention cron function run by @inngest/test against a real database: one step per batch, at
// most a bounded number of batches a run, the same cutoff for all of them.

const DAY_MS = 24 * 60 * 60 * 1000;
const CRON_TICK = { name: "inngest/scheduled.timer", data: { cron: "*/10 * * * *" } };

let database: TestDatabase;
let projectId: string;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});
beforeEach(async () => {
  await database.db.project.deleteMany();
  ({ projectId } = await seedHook(database.db));
});

async function inspectorRequests(ageDays: number, count: number): Promise<void> {
  await database.db.inspectorRequest.createMany({
    data: Array.from({ length: count }, () => ({
      projectId,
      method: "POST",
      headers: {},
      body: "",
      receivedAt: new Date(Date.now() - ageDays * DAY_MS),
    })),
  });
}

async function run(options: { batchSize: number; maxBatches: number }) {
  const fn = createRetentionFunction(createInngestClient({ isDev: true }), {
    db: () => database.db,
    retentionDays: 30,
    ...options,
  });
  const { result, ctx, error } = await new InngestTestEngine({ function: fn }).execute({
    events: [CRON_TICK],
  });
  if (error) throw error;
  return {
    result: result as {
      cutoff: string;
      deleted: Record<string, number>;
      batchLimitReached: boolean;
    },
    stepIds: ctx.step.run.mock.calls.map(([id]) => id as string),
  };
}

describe("prune-expired-data (cron)", () => {
  it("deletes what is past the window, one step per batch, and keeps the rest", async () => {
    await inspectorRequests(31, 5);
    await inspectorRequests(29, 2);

    const { result, stepIds } = await run({ batchSize: 2, maxBatches: 20 });

    expect(result.deleted).toEqual({
      deliveryAttempts: 0,
      deliveries: 0,
      events: 0,
      inspectorRequests: 5,
      attemptRollups: 0,
    });
    expect(result.batchLimitReached).toBe(false);
    expect(Date.now() - new Date(result.cutoff).getTime()).toBeGreaterThanOrEqual(30 * DAY_MS);
    expect(stepIds).toEqual([
      "cutoff",
      "prune-deliveryAttempts-0",
      "prune-deliveries-0",
      "prune-events-0",
      "prune-inspectorRequests-0",
      "prune-inspectorRequests-1",
      "prune-inspectorRequests-2",
      "prune-attemptRollups-0",
    ]);
    expect(await database.db.inspectorRequest.count()).toBe(2);
  });

  it("stops at the batch limit and leaves the rest to the next run", async () => {
    await inspectorRequests(40, 5);

    const first = await run({ batchSize: 1, maxBatches: 5 });

    // Three batches find nothing in the other tables; the fourth and fifth delete a request each.
    expect(first.result.batchLimitReached).toBe(true);
    expect(first.result.deleted.inspectorRequests).toBe(2);
    expect(first.stepIds).toHaveLength(1 + 5);
    expect(await database.db.inspectorRequest.count()).toBe(3);

    const second = await run({ batchSize: 10, maxBatches: 5 });
    expect(second.result).toMatchObject({ batchLimitReached: false, deleted: { inspectorRequests: 3 } });
    expect(await database.db.inspectorRequest.count()).toBe(0);
  });
});
