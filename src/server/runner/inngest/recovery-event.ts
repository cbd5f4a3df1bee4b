import { DELIVERY_REQUESTED, type DeliveryRequestedData } from "@/server/jobs/steps";
import type { StrandedDelivery } from "./find-stranded-deliveries";

export interface RecoveryEvent {
  name: typeof DELIVERY_REQUESTED;
  id: string;
  data: DeliveryRequestedData;
}

/**
 * The `durian/delivery.requested` that asks again for a stranded delivery. Inngest drops an event
 * whose id it saw in the last 24 hours, so the id names the delivery's state:
 * - a delivery never attempted, never retried and never claimed gets its own id, the one the fan-out
 *   sends: if the fan-out's request reached Inngest (its run is only queued), this one is dropped; if
 *   the announcement or the fan-out was lost, this one starts the delivery;
 * - any other gets `recover:<id>:<attempts>:<nextAttemptAt>[:<lockedUntil>]`, which changes with every
 *   attempt, retry or claim: every sweep of one unchanged state sends the same id (one run at most),
 *   and a state no run has taken up since the earlier sweep is asked for anew.
 */
export function recoveryEvent(delivery: StrandedDelivery): RecoveryEvent {
  return {
    name: DELIVERY_REQUESTED,
    id: recoveryEventId(delivery),
    data: {
      projectId: delivery.projectId,
      deliveryId: delivery.id,
      listenerId: delivery.listenerId,
      recovery: true,
    },
  };
}

export function recoveryEventId(delivery: StrandedDelivery): string {
  const untouched =
    delivery.attemptCount === 0 &&
    delivery.lockedUntil === null &&
    delivery.nextAttemptAt.getTime() === delivery.createdAt.getTime();
  if (untouched) return delivery.id;
  const lease = delivery.lockedUntil ? `:${delivery.lockedUntil.getTime()}` : "";
  return `recover:${delivery.id}:${delivery.attemptCount}:${delivery.nextAttemptAt.getTime()}${lease}`;
}
