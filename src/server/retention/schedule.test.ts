import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/testing/databases";
import { seedHook } from "@/testing/seed";
import { startPruningSchedule, type PruningLog } from "./schedule";

// The embedded runner's timer: it prunes on its own, logs what it deleted, and logs (never throws)
// when the database fails.

const DAY_MS = 24 * 60 * 60 * 1000;

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

function recordingLog() {
  const lines: { level: "info" | "error"; message: string; error?: unknown }[] = [];
  const log: PruningLog = {
    info: (message) => lines.push({ level: "info", message }),
    error: (message, error) => lines.push({ level: "error", message, error }),
  };
  return { log, lines };
}

async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let tries = 0; tries < 200; tries++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("startPruningSchedule", () => {
  it("deletes expired data on its timer and says what it deleted", async () => {
    const { projectId } = await seedHook(database.db);
    const old = await database.db.inspectorRequest.create({
      data: {
        projectId,
        method: "POST",
        headers: {},
        body: "",
        receivedAt: new Date(Date.now() - 8 * DAY_MS),
      },
    });
    const recent = await database.db.inspectorRequest.create({
      data: {
        projectId,
        method: "POST",
        headers: {},
        body: "",
        receivedAt: new Date(Date.now() - 6 * DAY_MS),
      },
    });
    const { log, lines } = recordingLog();

    const schedule = startPruningSchedule({ db: database.db, retentionDays: 7, log, firstRunAfterMs: 0 });
    try {
      await until(() => lines.length > 0, "the first run");
    } finally {
      await schedule.stop();
    }

    expect(lines).toEqual([
      {
        level: "info",
        message: expect.stringMatching(/^retention: deleted 1 inspector request from before /),
      },
    ]);
    const left = await database.db.inspectorRequest.findMany({ where: { projectId }, select: { id: true } });
    expect(left).toEqual([{ id: recent.id }]);
    expect(left).not.toContainEqual({ id: old.id });
  });

  it("logs a failed run instead of throwing, and tries again", async () => {
    const broken = await createTestDatabase();
    await broken.drop();
    const { log, lines } = recordingLog();

    const schedule = startPruningSchedule({
      db: broken.db,
      retentionDays: 30,
      log,
      firstRunAfterMs: 0,
      intervalMs: 10,
    });
    try {
      await until(() => lines.length >= 2, "two failed runs");
    } finally {
      await schedule.stop();
    }

    expect(lines[0]).toMatchObject({
      level: "error",
      message: "retention: deleting data older than 30 days failed; trying again later",
    });
    expect(lines[0]!.error).toBeInstanceOf(Error);
  });
});
