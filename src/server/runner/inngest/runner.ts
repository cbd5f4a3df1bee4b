import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@/generated/prisma/client";
import type { DeliveryRunner } from "../port";
import type { DurianInngest } from "./client";
import { DELIVERY_REQUESTED, EVENT_ACCEPTED } from "./events";

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

  /** A new run for the delivery, under a fresh event id (the delivery's id was used by its first run). */
  async retryRequested(input: { projectId: string; deliveryId: string }): Promise<void> {
    const delivery = await this.db().delivery.findUnique({
      where: { id: input.deliveryId },
      select: { listenerId: true, projectId: true },
    });
    if (!delivery || delivery.projectId !== input.projectId) {
      throw new Error(`retryRequested: delivery ${input.deliveryId} not found in project ${input.projectId}`);
    }
    await this.client.send({
      name: DELIVERY_REQUESTED,
      id: `retry:${input.deliveryId}:${randomUUID()}`,
      data: { projectId: input.projectId, deliveryId: input.deliveryId, listenerId: delivery.listenerId },
    });
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}
}
