import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AttemptToRecord, recordAttempts } from "@/server/delivery/lifecycle";
import { createTestDatabase, type TestDatabase } from "@/testing/databases";
import { seedEvent, seedHook, seedListener, type SeededHook } from "@/testing/seed";
import { deliveryChart, hookSparklines, projectBacklog } from "./delivery-charts";

// The chart service's series, from attempts recorded through the real recording statement at known
// times: slots, outcomes, success rate, latency percentiles, and the scoping to a hook or a listener.

const NOW = new Date("2026-12-02T12:30:00.000Z");
const HOUR = 3_600_000;

let database: TestDatabase;
let hook: SeededHook;
let otherHookId: string;
let listenerA: string;
let listenerB: string;

beforeAll(async () => {
  database = await createTestDatabase();
  const db = database.db;
  hook = await seedHook(db, { name: "charts.main" });
  listenerA = (await seedListener(db, hook, { url: "https://a.example.test/" })).listenerId;
  listenerB = (await seedListener(db, hook, { url: "https://b.example.test/" })).listenerId;
  const other = await db.hook.create({
    data: { projectId: hook.projectId, name: "charts.other", providesArgs: ["name"] },
  });
  otherHookId = other.id;
  const otherListener = (
    await seedListener(
      db,
      { ...hook, hookId: other.id, hookName: other.name },
      { url: "https://c.example.test/" },
    )
  ).listenerId;

  // Listener A, this hour: 8 successes at 40 ms, 1 retried at 3 s, 1 final failure at 3 s.
  // Listener A, 3 hours ago: 2 successes at 40 ms. Listener B, 2 days ago: 1 failure.
  // The other hook's listener, this hour: 5 successes (counted for the project, not for the hook).
  const plan: {
    listenerId: string;
    hookId: string;
    hoursAgo: number;
    transition: AttemptToRecord["transition"];
    ms: number;
  }[] = [
    ...Array.from({ length: 8 }, () => ({
      listenerId: listenerA,
      hookId: hook.hookId,
      hoursAgo: 0,
      transition: "succeed" as const,
      ms: 40,
    })),
    { listenerId: listenerA, hookId: hook.hookId, hoursAgo: 0, transition: "reschedule", ms: 3_000 },
    { listenerId: listenerA, hookId: hook.hookId, hoursAgo: 0, transition: "fail", ms: 3_000 },
    ...Array.from({ length: 2 }, () => ({
      listenerId: listenerA,
      hookId: hook.hookId,
      hoursAgo: 3,
      transition: "succeed" as const,
      ms: 40,
    })),
    { listenerId: listenerB, hookId: hook.hookId, hoursAgo: 48, transition: "fail", ms: 100 },
    ...Array.from({ length: 5 }, () => ({
      listenerId: otherListener,
      hookId: other.id,
      hoursAgo: 0,
      transition: "succeed" as const,
      ms: 10,
    })),
  ];
  const { deliveryIds } = await seedEvent(
    db,
    hook,
    plan.map((entry) => entry.listenerId),
  );
  // The other hook's deliveries belong to it (seedEvent made them under the main hook).
  await db.delivery.updateMany({ where: { listenerId: otherListener }, data: { hookId: other.id } });
  await recordAttempts(
    db,
    plan.map((entry, index) => {
      const startedAt = new Date(NOW.getTime() - entry.hoursAgo * HOUR - 60_000);
      return {
        attempt: {
          deliveryId: deliveryIds[index]!,
          projectId: hook.projectId,
          number: 1,
          startedAt,
          durationMs: entry.ms,
          requestUrl: "https://example.test/",
          requestHeaders: {},
          requestBody: "{}",
          errorClass: entry.transition === "succeed" ? null : "http",
          nextAttemptAt: entry.transition === "reschedule" ? NOW : null,
        },
        transition: entry.transition,
        listenerId: entry.listenerId,
        hookId: entry.hookId,
        now: startedAt,
      };
    }),
  );
});
afterAll(() => database?.drop());

describe("deliveryChart", () => {
  it("counts a hook's deliveries per hour over 24 hours, with success rate and latency", async () => {
    const chart = await deliveryChart(
      hook.projectId,
      { range: "24h", hookId: hook.hookId },
      database.db,
      NOW,
    );
    expect(chart.slots).toHaveLength(24);
    expect(chart.slots[23]).toEqual({
      start: new Date("2026-12-02T12:00:00.000Z"),
      succeeded: 8,
      retried: 1,
      failed: 1,
    });
    expect(chart.slots[20]).toMatchObject({ start: new Date("2026-12-02T09:00:00.000Z"), succeeded: 2 });
    expect(chart.slots.filter((slot) => slot.succeeded + slot.retried + slot.failed > 0)).toHaveLength(2);
    expect(chart.totals).toMatchObject({ succeeded: 10, retried: 1, failed: 1, attempts: 12 });
    expect(chart.totals.successRate).toBeCloseTo(10 / 11);
    // 10 of 12 attempts took 40 ms (the 25–50 ms bucket), 2 took 3 s (2.5–5 s).
    expect(chart.totals.p50Ms).toBeGreaterThanOrEqual(25);
    expect(chart.totals.p50Ms).toBeLessThan(50);
    expect(chart.totals.p95Ms).toBeGreaterThanOrEqual(2_500);
    expect(chart.totals.p95Ms).toBeLessThan(5_000);
  });

  it("sums hours into days over 7 days, and scopes to a listener or the whole project", async () => {
    const week = await deliveryChart(hook.projectId, { range: "7d", hookId: hook.hookId }, database.db, NOW);
    // Calendar days in UTC: today so far and the 6 days before it.
    expect(week.slots.map((slot) => slot.start.toISOString().slice(0, 10))).toEqual([
      "2026-11-26",
      "2026-11-27",
      "2026-11-28",
      "2026-11-29",
      "2026-11-30",
      "2026-12-01",
      "2026-12-02",
    ]);
    expect(week.slots[0]!.start).toEqual(new Date("2026-11-26T00:00:00.000Z"));
    expect(week.slots[6]).toMatchObject({ succeeded: 10, retried: 1, failed: 1 });
    expect(week.slots[4]).toMatchObject({ succeeded: 0, failed: 1 });

    const listener = await deliveryChart(
      hook.projectId,
      { range: "7d", listenerId: listenerB },
      database.db,
      NOW,
    );
    expect(listener.totals).toMatchObject({ succeeded: 0, retried: 0, failed: 1, successRate: 0 });

    const project = await deliveryChart(hook.projectId, { range: "24h" }, database.db, NOW);
    expect(project.totals).toMatchObject({ succeeded: 15, retried: 1, failed: 1 });

    const elsewhere = await deliveryChart(
      "another-project",
      { range: "24h", hookId: hook.hookId },
      database.db,
      NOW,
    );
    expect(elsewhere.totals).toMatchObject({ attempts: 0, successRate: null, p50Ms: null });
  });
});

describe("hookSparklines", () => {
  it("gives each hook asked about its finished deliveries per hour, zeros where none", async () => {
    const lines = await hookSparklines(
      hook.projectId,
      [hook.hookId, otherHookId, "no-such-hook"],
      database.db,
      NOW,
    );
    const byHook = new Map(lines.map((line) => [line.hookId, line]));
    expect(byHook.get(hook.hookId)!.succeeded[23]).toBe(8);
    expect(byHook.get(hook.hookId)!.failed[23]).toBe(1);
    expect(byHook.get(hook.hookId)!.succeeded[20]).toBe(2);
    expect(byHook.get(otherHookId)!.succeeded[23]).toBe(5);
    expect(byHook.get("no-such-hook")!.succeeded).toEqual(Array(24).fill(0));
  });
});

describe("projectBacklog", () => {
  it("counts due deliveries per listener with the oldest one's due time", async () => {
    const db = database.db;
    const dueSince = new Date(NOW.getTime() - 10 * 60_000);
    await seedEvent(db, hook, [listenerB, listenerB], undefined, dueSince);
    await seedEvent(db, hook, [listenerB], undefined, new Date(NOW.getTime() + HOUR));

    const backlog = await projectBacklog(hook.projectId, db, NOW);

    expect(backlog.truncated).toBe(false);
    // The retried delivery of listener A is due at NOW too.
    expect(backlog.listeners).toEqual([
      { listenerId: listenerB, due: 2, oldestDueAt: dueSince },
      { listenerId: listenerA, due: 1, oldestDueAt: NOW },
    ]);
  });
});
