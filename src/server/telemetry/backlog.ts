import { Prisma, type PrismaClient } from "@/generated/prisma/client";
import { metrics } from "./metrics";

/** Listeners reported by `durian_listener_lag_seconds`: the series stay few whatever the number of listeners. */
export const LAGGING_LISTENERS_REPORTED = 20;
/**
 * The most lagging listeners are looked for among this many of the oldest due deliveries (read in
 * due order from the claim index), so a scrape costs the same with a backlog of millions.
 */
export const LAG_SCAN_DELIVERIES = 10_000;

export interface Backlog {
  due: number;
  oldestDueAgeSeconds: number;
  lagging: { listenerId: string; lagSeconds: number }[];
}

/**
 * The delivery backlog as the database has it now: due deliveries (a range of the
 * (status, nextAttemptAt) index), how long the oldest has waited, and the listeners whose oldest due
 * delivery waited longest.
 */
export async function readBacklog(db: PrismaClient, now: Date): Promise<Backlog> {
  const at = Prisma.sql`${now.toISOString()}::timestamp(3)`;
  const [[summary], lagging] = await Promise.all([
    db.$queryRaw<{ due: number; oldest: Date | null }[]>`
      SELECT count(*)::int AS due, min("nextAttemptAt") AS oldest
      FROM "Delivery" WHERE status = 'pending' AND NOT relay AND "nextAttemptAt" <= ${at}`,
    db.$queryRaw<{ listenerId: string; oldest: Date }[]>`
      SELECT "listenerId", min("nextAttemptAt") AS oldest
      FROM (SELECT "listenerId", "nextAttemptAt" FROM "Delivery"
            WHERE status = 'pending' AND NOT relay AND "nextAttemptAt" <= ${at}
            ORDER BY "nextAttemptAt" LIMIT ${LAG_SCAN_DELIVERIES}) oldest_due
      GROUP BY "listenerId" ORDER BY oldest, "listenerId" LIMIT ${LAGGING_LISTENERS_REPORTED}`,
  ]);
  const ageSeconds = (since: Date) => Math.max(0, (now.getTime() - since.getTime()) / 1000);
  return {
    due: summary?.due ?? 0,
    oldestDueAgeSeconds: summary?.oldest ? ageSeconds(summary.oldest) : 0,
    lagging: lagging.map((row) => ({ listenerId: row.listenerId, lagSeconds: ageSeconds(row.oldest) })),
  };
}

export interface RunnerSlots {
  inUse: number;
  total: number;
}

/** Sets the gauges that are read at scrape time; `slots` only where this process runs the embedded runner. */
export async function refreshScrapeGauges(
  db: PrismaClient,
  { now, slots }: { now: Date; slots: RunnerSlots | null },
): Promise<void> {
  const backlog = await readBacklog(db, now);
  const { deliveriesDue, oldestDueAge, listenerLag, runnerSlotsInUse, runnerSlots } = metrics();
  deliveriesDue.set(backlog.due);
  oldestDueAge.set(backlog.oldestDueAgeSeconds);
  // Listeners that caught up leave the report rather than keep their last value.
  listenerLag.reset();
  for (const { listenerId, lagSeconds } of backlog.lagging)
    listenerLag.set({ listener_id: listenerId }, lagSeconds);
  if (slots) {
    runnerSlotsInUse.set(slots.inUse);
    runnerSlots.set(slots.total);
  }
}
