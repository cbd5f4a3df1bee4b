import type { PrismaClient } from "@/generated/prisma/client";

export interface NewDelivery {
  id: string;
  listenerId: string;
}

/**
 * An event's deliveries that were never attempted, by id, after `afterId`. On replay the services add
 * new deliveries to the event and announce it again; deliveries already under way are left alone.
 */
export async function loadNewDeliveries(
  db: PrismaClient,
  { eventId, afterId, limit }: { eventId: string; afterId: string | null; limit: number },
): Promise<NewDelivery[]> {
  return db.delivery.findMany({
    where: {
      eventId,
      status: "pending",
      attemptCount: 0,
      ...(afterId ? { id: { gt: afterId } } : {}),
    },
    select: { id: true, listenerId: true },
    orderBy: { id: "asc" },
    take: limit,
  });
}
