import { Prisma, type PrismaClient } from "@/generated/prisma/client";
import { recoverDeliveries } from "@/server/delivery/lifecycle";
import { getRunner } from "@/server/runner";
import type { DeliveryRunner } from "@/server/runner/port";
import { NotFoundError } from "@/server/services/errors";
import { ENABLED_AGAIN } from "@/server/services/listeners";
import { emitOperationalEvent } from "./emit";
import { OPERATIONAL_HOOKS } from "./hooks";

export interface RestoreListenerDeps {
  db: PrismaClient;
  runner?: DeliveryRunner;
  now?: () => Date;
  log?: { error(message: string, error?: unknown): void };
}

export interface RestoredListener {
  /** False when the listener was enabled already (by someone else meanwhile): nothing was done. */
  restored: boolean;
  recovered: number;
}

/**
 * Enables a disabled listener again and attempts again, now, its failed deliveries since it started
 * failing (the first failed delivery after its last success; since it was disabled when there is no
 * such delivery), then sends `durian.listener.recovered`. For "re-enable and recover" (a user in the
 * dashboard, a customer in the portal) and for self-healing. A listener that is enabled already is left alone.
 */
export async function restoreListener(
  deps: RestoreListenerDeps,
  {
    projectId,
    listenerId,
    by,
  }: { projectId: string; listenerId: string; by: "user" | "customer" | "self-healing" },
): Promise<RestoredListener> {
  const { db } = deps;
  const now = (deps.now ?? (() => new Date()))();
  const listener = await db.listener.findFirst({
    where: { id: listenerId, projectId },
    select: { enabled: true, disabledAt: true, url: true, hook: { select: { name: true } } },
  });
  if (!listener) throw new NotFoundError("Listener");
  if (listener.enabled) return { restored: false, recovered: 0 };
  const { count } = await db.listener.updateMany({
    where: { id: listenerId, projectId, enabled: false },
    data: { ...ENABLED_AGAIN, updatedAt: now },
  });
  if (count === 0) return { restored: false, recovered: 0 };

  const since = (await failureStreakStart(db, listenerId)) ?? listener.disabledAt ?? now;
  const deliveryIds = await recoverDeliveries(db, { projectId, listenerId, since, now });
  if (deliveryIds.length > 0) {
    try {
      await (deps.runner ?? getRunner()).retryRequested({ projectId, deliveryIds });
    } catch (error) {
      // They are due in the database; the runner finds them at its next look.
      deps.log?.error(`listener ${listenerId}: could not tell the runner about recovered deliveries`, error);
    }
  }
  const disabledAt = listener.disabledAt?.toISOString() ?? null;
  await emitOperationalEvent(deps, projectId, {
    hook: OPERATIONAL_HOOKS.listenerRecovered.name,
    key: `${OPERATIONAL_HOOKS.listenerRecovered.name}:${listenerId}:${disabledAt ?? now.toISOString()}`,
    payload: {
      listenerId,
      hook: listener.hook.name,
      url: listener.url,
      by,
      recoveredDeliveries: deliveryIds.length,
      disabledAt,
    },
  });
  return { restored: true, recovered: deliveryIds.length };
}

/**
 * When the listener's current run of failures began: the creation of its first failed delivery after
 * its last succeeded one (read backwards along the listener's (listenerId, createdAt) index); null
 * when it has no failed delivery since.
 */
async function failureStreakStart(db: PrismaClient, listenerId: string): Promise<Date | null> {
  const [row] = await db.$queryRaw<{ since: Date | null }[]>(Prisma.sql`
    SELECT min(d."createdAt") AS since FROM "Delivery" d
    WHERE d."listenerId" = ${listenerId} AND d.status = 'failed'
      AND d."createdAt" > COALESCE(
        (SELECT s."createdAt" FROM "Delivery" s WHERE s."listenerId" = ${listenerId} AND s.status = 'succeeded'
         ORDER BY s."createdAt" DESC LIMIT 1),
        '-infinity'::timestamp)`);
  return row?.since ?? null;
}
