import type { PrismaClient } from "@/generated/prisma/client";

/**
 * Ends a delivery as failed when the runner itself gave up on it (for example the Inngest function
 * ran out of retries because the database was unreachable), so it does not stay `pending` forever
 * with nobody scheduled to attempt it. A delivery that already finished is left as it is. Returns
 * whether the delivery changed. Its attempts keep the record of what happened; it can be retried.
 */
export async function markDeliveryFailed(
  db: PrismaClient,
  deliveryId: string,
  now: Date = new Date(),
): Promise<boolean> {
  const { count } = await db.delivery.updateMany({
    where: { id: deliveryId, status: { in: ["pending", "delivering"] } },
    data: { status: "failed", nextAttemptAt: null, lockedUntil: null, updatedAt: now },
  });
  return count > 0;
}
