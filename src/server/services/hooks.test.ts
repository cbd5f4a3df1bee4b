import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/testing/databases";
import { hookDefinitionSchema } from "@/contracts/hooks";
import { HOOK_STATS_WINDOW_MS, listHooks, putHook } from "./hooks";

let database: TestDatabase;
let projectId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  projectId = (await database.db.project.create({ data: { name: "stats" } })).id;
});
afterAll(() => database?.drop());

describe("listHooks statistics", () => {
  it("counts listeners, the window's events and the success rate of its finished deliveries", async () => {
    const { db } = database;
    const now = new Date("2030-06-01T12:00:00Z");
    const { hook } = await putHook(
      projectId,
      "counted",
      hookDefinitionSchema.parse({ providesArgs: ["x"] }),
      db,
    );
    await putHook(projectId, "quiet", hookDefinitionSchema.parse({ providesArgs: [] }), db);
    const listener = await db.listener.create({
      data: { projectId, hookId: hook.id, url: "https://example.com", secret: "s" },
    });
    await db.listener.create({
      data: { projectId, hookId: hook.id, url: "https://example.com/2", secret: "s" },
    });

    const inWindow = new Date(now.getTime() - HOOK_STATS_WINDOW_MS + 60_000);
    const tooOld = new Date(now.getTime() - HOOK_STATS_WINDOW_MS - 60_000);
    const statuses = [
      ["succeeded", inWindow],
      ["succeeded", inWindow],
      ["succeeded", inWindow],
      ["failed", inWindow],
      ["pending", inWindow],
      ["failed", tooOld],
    ] as const;
    for (const [status, createdAt] of statuses) {
      await db.event.create({
        data: {
          projectId,
          hookId: hook.id,
          hookName: hook.name,
          payload: {},
          createdAt,
          deliveries: { create: { projectId, listenerId: listener.id, hookId: hook.id, status, createdAt } },
        },
      });
    }

    const page = await listHooks(projectId, undefined, db, now);
    expect(page.items.map((item) => [item.name, item.stats])).toEqual([
      ["counted", { listeners: 2, events24h: 5, successRate24h: 0.75 }],
      ["quiet", { listeners: 0, events24h: 0, successRate24h: null }],
    ]);
  });
});
