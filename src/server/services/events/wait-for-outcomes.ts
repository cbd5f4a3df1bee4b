import { setTimeout as sleep } from "node:timers/promises";
import type { DeliveryStatus, PrismaClient } from "@/generated/prisma/client";

/** How often `?wait=` looks at the deliveries again. */
export const WAIT_POLL_INTERVAL_MS = 50;

export interface DeliveryOutcome {
  id: string;
  listenerId: string;
  status: DeliveryStatus;
  attemptCount: number;
  firstAttempt: {
    responseStatus: number | null;
    errorClass: string | null;
    errorMessage: string | null;
    durationMs: number;
  } | null;
}

function hasFirstOutcome(delivery: { status: DeliveryStatus; attemptCount: number }): boolean {
  return delivery.attemptCount > 0 || delivery.status === "succeeded" || delivery.status === "failed";
}

/**
 * Polls until the fan-out is done and every one of its deliveries has made its first attempt, the
 * deadline passes or the client leaves.
 */
export async function waitForFirstOutcomes(
  db: PrismaClient,
  fanOut: { eventId: string; fanOut: number },
  waitUntil: number,
  signal: AbortSignal | undefined,
): Promise<DeliveryOutcome[]> {
  // The fan-out's progress first: once it says done, every one of its deliveries is committed.
  const look = async () => {
    const progress = await db.fanOut.findUnique({
      where: { eventId_number: { eventId: fanOut.eventId, number: fanOut.fanOut } },
      select: { done: true },
    });
    const deliveries = await db.delivery.findMany({
      where: { eventId: fanOut.eventId, fanOut: fanOut.fanOut },
      select: { id: true, listenerId: true, status: true, attemptCount: true },
      orderBy: { id: "asc" },
    });
    return [progress, deliveries] as const;
  };
  let [progress, deliveries] = await look();
  const settled = () => (progress?.done ?? true) && deliveries.every(hasFirstOutcome);
  while (!settled() && Date.now() < waitUntil && !signal?.aborted) {
    await sleep(Math.min(WAIT_POLL_INTERVAL_MS, Math.max(0, waitUntil - Date.now())));
    [progress, deliveries] = await look();
  }
  const deliveryIds = deliveries.map((delivery) => delivery.id);
  const firstAttempts = await db.deliveryAttempt.findMany({
    where: { deliveryId: { in: deliveryIds }, number: 1 },
    select: {
      deliveryId: true,
      responseStatus: true,
      errorClass: true,
      errorMessage: true,
      durationMs: true,
    },
  });
  const attemptByDelivery = new Map(firstAttempts.map(({ deliveryId, ...attempt }) => [deliveryId, attempt]));
  return deliveries.map((delivery) => ({
    ...delivery,
    firstAttempt: attemptByDelivery.get(delivery.id) ?? null,
  }));
}
