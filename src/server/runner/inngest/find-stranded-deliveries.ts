import type { PrismaClient } from "@/generated/prisma/client";

/**
 * How long a delivery may be due, with nobody holding it, before the recovery sweep asks for it again.
 * A healthy run attempts a due delivery within seconds of its event or of waking from its sleep; this
 * leaves room for runs waiting in Inngest's queue behind a listener's concurrency limit, and for a run
 * whose step died mid-attempt to take back its own expired lease, before a second run is asked for.
 */
export const RECOVERY_GRACE_MS = 5 * 60 * 1000;

/** A delivery that is due and not held, with what the recovery event is built from. */
export interface StrandedDelivery {
  id: string;
  projectId: string;
  listenerId: string;
  attemptCount: number;
  nextAttemptAt: Date;
  lockedUntil: Date | null;
  createdAt: Date;
}

/** Where the previous page ended, in the sweep's order (oldest due first). */
export interface StrandedCursor {
  nextAttemptAt: string;
  id: string;
}

/**
 * Deliveries nothing is attempting: `pending` (or `delivering` under a lease that ran out) and due for
 * longer than `graceMs`, oldest due first, after `after`. A delivery whose attempt loop sleeps until
 * its next attempt is not among them: the loop sleeps until `nextAttemptAt`, which is in the future
 * until it wakes. A user's retry makes the delivery due at once, so a retry whose run never started
 * shows up here once the grace period has passed.
 */
export async function findStrandedDeliveries(
  db: PrismaClient,
  { now, graceMs, after, limit }: { now: Date; graceMs: number; after: StrandedCursor | null; limit: number },
): Promise<StrandedDelivery[]> {
  const dueBefore = new Date(now.getTime() - graceMs);
  const afterCursor = after
    ? {
        OR: [
          { nextAttemptAt: { gt: new Date(after.nextAttemptAt) } },
          { nextAttemptAt: new Date(after.nextAttemptAt), id: { gt: after.id } },
        ],
      }
    : {};
  const rows = await db.delivery.findMany({
    where: {
      status: { in: ["pending", "delivering"] },
      nextAttemptAt: { lte: dueBefore },
      AND: [{ OR: [{ lockedUntil: null }, { lockedUntil: { lte: dueBefore } }] }, afterCursor],
    },
    select: {
      id: true,
      projectId: true,
      listenerId: true,
      attemptCount: true,
      nextAttemptAt: true,
      lockedUntil: true,
      createdAt: true,
    },
    orderBy: [{ nextAttemptAt: "asc" }, { id: "asc" }],
    take: limit,
  });
  // The filter excludes a null nextAttemptAt; the narrowing only tells TypeScript.
  return rows.flatMap((row) => (row.nextAttemptAt ? [{ ...row, nextAttemptAt: row.nextAttemptAt }] : []));
}
