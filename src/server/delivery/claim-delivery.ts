import type { PrismaClient } from "@/generated/prisma/client";
import { openListenerSecrets } from "@/server/secrets";
import {
  claimableSql,
  DELIVERY_CONTEXT_COLUMNS,
  type DeliveryContext,
  leaseUntilSql,
} from "./delivery-context";

/**
 * A sleep can end a little before the scheduled time by this process's clock (another machine's
 * timer, rounding); a delivery this close to due counts as due rather than sending the caller back
 * to sleep for a few milliseconds.
 */
export const DUE_TOLERANCE_MS = 1_000;

export type DeliveryClaim =
  | { claimed: true; context: DeliveryContext }
  | { claimed: false; reason: "not-found" }
  | { claimed: false; reason: "finished"; status: "succeeded" | "failed" }
  /** Scheduled for later: look again at `at`. */
  | { claimed: false; reason: "not-due"; at: Date }
  /** Another runner holds it: look again when its lease ends. */
  | { claimed: false; reason: "leased"; at: Date };

/**
 * Claims one delivery for an attempt if it is due and nobody else holds it, returning what the attempt
 * needs. The claim is one UPDATE, so of two callers racing for the same delivery only one wins.
 */
export async function claimDelivery(db: PrismaClient, deliveryId: string, now: Date): Promise<DeliveryClaim> {
  const dueBy = new Date(now.getTime() + DUE_TOLERANCE_MS);
  const rows = await db.$queryRaw<DeliveryContext[]>`
    WITH claimed AS (
      UPDATE "Delivery" d
      SET status = 'delivering', "lockedUntil" = ${leaseUntilSql(now)}, "updatedAt" = ${now}::timestamp(3)
      FROM "Hook" h
      WHERE d.id = ${deliveryId} AND h.id = d."hookId" AND ${claimableSql("d", now)}
        AND (d."nextAttemptAt" IS NULL OR d."nextAttemptAt" <= ${dueBy}::timestamp(3))
      RETURNING d.*
    )
    SELECT ${DELIVERY_CONTEXT_COLUMNS}
    FROM claimed c
    JOIN "Event" e ON e.id = c."eventId"
    JOIN "Listener" l ON l.id = c."listenerId"
    JOIN "Hook" h ON h.id = c."hookId"`;
  const context = rows[0];
  if (context) return { claimed: true, context: openListenerSecrets(context) };
  return whyNotClaimed(db, deliveryId, now);
}

async function whyNotClaimed(db: PrismaClient, deliveryId: string, now: Date): Promise<DeliveryClaim> {
  const delivery = await db.delivery.findUnique({
    where: { id: deliveryId },
    select: { status: true, nextAttemptAt: true, lockedUntil: true },
  });
  if (!delivery) return { claimed: false, reason: "not-found" };
  if (delivery.status === "succeeded" || delivery.status === "failed") {
    return { claimed: false, reason: "finished", status: delivery.status };
  }
  if (delivery.lockedUntil && delivery.lockedUntil > now)
    return { claimed: false, reason: "leased", at: delivery.lockedUntil };
  // Due but unclaimed means the row changed between the two reads; looking again at once settles it.
  return { claimed: false, reason: "not-due", at: delivery.nextAttemptAt ?? now };
}
