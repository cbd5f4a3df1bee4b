import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@/generated/prisma/client";
import type { DeliveryRunner } from "../port";
import type { DurianInngest } from "./client";
import { DELIVERY_REQUESTED, EVENT_ACCEPTED } from "./events";

/** Events per `inngest.send` call when many deliveries are retried at once (Inngest caps a request's size). */
const MAX_EVENTS_PER_SEND = 500;

/**
 * Hands deliveries to Inngest, which calls back into `/api/inngest` to run them (see functions.ts).
 * Nothing runs in this process between requests, so `start` and `stop` have nothing to do.
 */
export class InngestRunner implements DeliveryRunner {
  readonly kind = "inngest" as const;

  constructor(
    private readonly client: DurianInngest,
    private readonly db: () => PrismaClient,
  ) {}

  /**
   * Announces the event once per batch of new deliveries. The Inngest event id names the first new
   * delivery, so announcing the same deliveries twice is de-duplicated while a replay (new
   * deliveries) is not.
   */
  async deliveriesCreated(input: {
    projectId: string;
    eventId: string;
    deliveryIds: string[];
  }): Promise<void> {
    const [firstDeliveryId] = input.deliveryIds;
    if (!firstDeliveryId) return;
    await this.client.send({
      name: EVENT_ACCEPTED,
      id: `event-accepted:${input.eventId}:${firstDeliveryId}`,
      data: { projectId: input.projectId, eventId: input.eventId },
    });
  }

  /** A new run per delivery, under a fresh event id (the delivery's id was used by its first run). */
  async retryRequested(input: { projectId: string; deliveryIds: string[] }): Promise<void> {
    const { projectId, deliveryIds } = input;
    if (deliveryIds.length === 0) return;
    const deliveries = await this.db().delivery.findMany({
      where: { id: { in: deliveryIds }, projectId },
      select: { id: true, listenerId: true },
    });
    const found = new Set(deliveries.map((delivery) => delivery.id));
    const missing = deliveryIds.filter((id) => !found.has(id));
    if (missing.length > 0) {
      throw new Error(`retryRequested: delivery ${missing.join(", ")} not found in project ${projectId}`);
    }
    for (let start = 0; start < deliveries.length; start += MAX_EVENTS_PER_SEND) {
      await this.client.send(
        deliveries.slice(start, start + MAX_EVENTS_PER_SEND).map((delivery) => ({
          name: DELIVERY_REQUESTED,
          id: `retry:${delivery.id}:${randomUUID()}`,
          data: { projectId, deliveryId: delivery.id, listenerId: delivery.listenerId },
        })),
      );
    }
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}
}
