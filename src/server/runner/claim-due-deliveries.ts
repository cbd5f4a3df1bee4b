import { Prisma, type PrismaClient } from "@/generated/prisma/client";
import { DELIVERY_CONTEXT_COLUMNS, type DeliveryContext, leaseUntilSql } from "@/server/delivery";
import { openListenerSecrets } from "@/server/secrets";

export interface ClaimDueDeliveriesInput {
  /** How many deliveries to claim at most (the runner's free slots). */
  limit: number;
  /** At most this many deliveries of one listener in flight at once. */
  perListenerLimit: number;
  /** Deliveries this runner already has in flight, per listener id. */
  inFlightByListener: ReadonlyMap<string, number>;
  now: Date;
}

/**
 * Due deliveries are looked at in this multiple of `limit`, oldest first, so a listener with a backlog
 * at its limit does not keep the others waiting behind it.
 */
const SCAN_FACTOR = 4;
const MIN_SCAN = 100;

/**
 * Claims up to `limit` due deliveries in one statement, oldest due first, never taking a listener past
 * `perListenerLimit` in flight: each becomes `delivering` with a lease (`lockedUntil`) for its hook's
 * timeout plus a margin. The chosen rows are locked `FOR UPDATE SKIP LOCKED`, so concurrent claimers
 * pass each other without waiting or taking the same row (a row another claimer took in between no
 * longer qualifies when it is locked). Returns what each attempt needs.
 */
export async function claimDueDeliveries(
  db: PrismaClient,
  input: ClaimDueDeliveriesInput,
): Promise<DeliveryContext[]> {
  const { limit, perListenerLimit, inFlightByListener, now } = input;
  if (limit <= 0) return [];
  const busyIds: string[] = [];
  const busyCounts: number[] = [];
  const fullListenerIds: string[] = [];
  for (const [listenerId, count] of inFlightByListener) {
    busyIds.push(listenerId);
    busyCounts.push(count);
    if (count >= perListenerLimit) fullListenerIds.push(listenerId);
  }
  const scan = Math.max(limit * SCAN_FACTOR, MIN_SCAN);
  const claimable = Prisma.sql`d.status = 'pending' AND d."nextAttemptAt" <= ${now}::timestamp(3)
    AND (d."lockedUntil" IS NULL OR d."lockedUntil" <= ${now}::timestamp(3))`;
  const claimed = await db.$queryRaw<DeliveryContext[]>`
    WITH due AS (
      SELECT d.id, d."listenerId", d."nextAttemptAt"
      FROM "Delivery" d
      WHERE ${claimable} AND d."listenerId" <> ALL(${fullListenerIds}::text[])
      ORDER BY d."nextAttemptAt", d.id
      LIMIT ${scan}
    ), ranked AS (
      SELECT due.id, due."nextAttemptAt",
        row_number() OVER (PARTITION BY due."listenerId" ORDER BY due."nextAttemptAt", due.id)
          + COALESCE(busy.count, 0) AS "slot"
      FROM due
      LEFT JOIN unnest(${busyIds}::text[], ${busyCounts}::int[]) AS busy(listener_id, count)
        ON busy.listener_id = due."listenerId"
    ), chosen AS (
      SELECT id FROM ranked WHERE "slot" <= ${perListenerLimit}
      ORDER BY "nextAttemptAt", id
      LIMIT ${limit}
    ), locked AS (
      -- Only the chosen rows are locked; one another claimer holds, or changed since, is passed over.
      SELECT d.id FROM "Delivery" d
      WHERE d.id IN (SELECT id FROM chosen) AND ${claimable}
      FOR UPDATE SKIP LOCKED
    ), claimed AS (
      UPDATE "Delivery" d
      SET status = 'delivering', "lockedUntil" = ${leaseUntilSql(now)}, "updatedAt" = ${now}::timestamp(3)
      FROM locked, "Hook" h
      WHERE d.id = locked.id AND h.id = d."hookId"
      RETURNING d.*
    )
    SELECT ${DELIVERY_CONTEXT_COLUMNS}
    FROM claimed c
    JOIN "Event" e ON e.id = c."eventId"
    JOIN "Listener" l ON l.id = c."listenerId"
    JOIN "Hook" h ON h.id = c."hookId"
    ORDER BY c."nextAttemptAt", c.id`;
  return claimed.map((context) => openListenerSecrets(context));
}

/**
 * Deliveries left `delivering` by a runner that stopped mid-attempt (crash, kill -9, lost database
 * connection) go back to `pending` once their lease has expired; their `nextAttemptAt` is already past,
 * so the next claim attempts them again with the same webhook-id. Returns how many were released.
 */
export async function releaseExpiredLeases(db: PrismaClient, now: Date): Promise<number> {
  return db.$executeRaw`
    UPDATE "Delivery"
    SET status = 'pending', "nextAttemptAt" = COALESCE("nextAttemptAt", ${now}::timestamp(3)),
      "updatedAt" = ${now}::timestamp(3)
    WHERE status = 'delivering' AND ("lockedUntil" IS NULL OR "lockedUntil" <= ${now}::timestamp(3))`;
}

/**
 * Hands back deliveries this runner claimed but did not send (it is stopping), for any runner to claim.
 * Only claims still under this runner's lease are handed back: one whose lease ran out meanwhile may
 * have been claimed by another runner, and releasing that claim would let a third send it again.
 */
export async function releaseClaims(
  db: PrismaClient,
  claims: readonly Pick<DeliveryContext, "deliveryId" | "lockedUntil">[],
  now: Date,
): Promise<number> {
  if (claims.length === 0) return 0;
  return db.$executeRaw`
    -- updatedAt too: the dashboard's live log follows changes by it.
    UPDATE "Delivery" d SET status = 'pending', "lockedUntil" = NULL, "updatedAt" = ${now}::timestamp(3)
    FROM unnest(${claims.map((claim) => claim.deliveryId)}::text[],
                ${claims.map((claim) => claim.lockedUntil.toISOString())}::timestamp(3)[]) AS c(id, locked_until)
    WHERE d.id = c.id AND d.status = 'delivering' AND d."lockedUntil" = c.locked_until`;
}
