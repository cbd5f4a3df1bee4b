import { Prisma, type PrismaClient } from "@/generated/prisma/client";
import { fromStates } from "@/server/delivery/lifecycle";

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
  const cursor = after
    ? Prisma.sql`AND (d."nextAttemptAt", d.id) > (${after.nextAttemptAt}::timestamp(3), ${after.id})`
    : Prisma.empty;
  return db.$queryRaw<StrandedDelivery[]>`
    SELECT d.id, d."projectId", d."listenerId", d."attemptCount", d."nextAttemptAt", d."lockedUntil", d."createdAt"
    FROM "Delivery" d
    WHERE d.status IN ('pending', 'delivering') AND NOT d.relay AND d."nextAttemptAt" <= ${dueBefore.toISOString()}::timestamp(3)
      AND ${fromStates("claim", "d", dueBefore)} ${cursor}
    ORDER BY d."nextAttemptAt", d.id
    LIMIT ${limit}`;
}
