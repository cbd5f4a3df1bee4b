import { getDb } from "@/server/db/client";
import { retryDelivery as retryInLifecycle } from "@/server/delivery/lifecycle";
import { type DeliveryRecord, toDeliveryRecord, withListenerLabel } from "../deliveries-read";
import { ConflictError, NotFoundError } from "../errors";
import { type EventServiceDeps, notifyRunner } from "./notify-runner";

/**
 * Schedules one more attempt of a delivery, due now, with the same webhook-id. Refused (409) while a
 * runner is attempting it, unless that runner's claim has expired.
 */
export async function retryDelivery(
  projectId: string,
  deliveryId: string,
  deps: EventServiceDeps = {},
): Promise<DeliveryRecord> {
  const db = deps.db ?? getDb();
  const now = (deps.now ?? (() => new Date()))();
  if (!(await retryInLifecycle(db, { projectId, deliveryId, now }))) {
    const exists = await db.delivery.findFirst({
      where: { id: deliveryId, projectId },
      select: { id: true },
    });
    if (!exists) throw new NotFoundError("Delivery");
    throw new ConflictError("The delivery is being attempted right now; retry it once that attempt is over");
  }
  await notifyRunner(deps, (runner) => runner.retryRequested({ projectId, deliveryIds: [deliveryId] }));
  const delivery = await db.delivery.findUniqueOrThrow({
    where: { id: deliveryId },
    include: withListenerLabel,
  });
  return toDeliveryRecord(delivery);
}
