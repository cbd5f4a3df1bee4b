import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@/generated/prisma/client";
import { DELIVERY_REQUESTED, deliveryRequested, fanOutRequested, type JobEvent } from "@/server/jobs/steps";
import type { DeliveryRunner } from "../port";
import type { DurianInngest } from "./client";

/** Events per `inngest.send` call when many deliveries are asked for at once (Inngest caps a request's size). */
const MAX_EVENTS_PER_SEND = 500;

/**
 * Hands work to Inngest, which calls back into `/api/inngest` to run the jobs (see functions.ts).
 * Nothing runs in this process between requests, so `start` and `stop` have nothing to do.
 */
export class InngestRunner implements DeliveryRunner {
  readonly kind = "inngest" as const;

  constructor(
    private readonly client: DurianInngest,
    private readonly db: () => PrismaClient,
  ) {}

  /** The fan-out's event id names the fan-out, so asking twice for the same one is de-duplicated. */
  async fanOutRequested(input: { projectId: string; eventId: string; fanOut: number }): Promise<void> {
    await this.client.send(fanOutRequested(input) as never);
  }

  async deliveriesCreated(input: {
    projectId: string;
    deliveries: { id: string; listenerId: string }[];
  }): Promise<void> {
    await this.sendAll(input.deliveries.map((delivery) => deliveryRequested(input.projectId, delivery)));
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
    await this.sendAll(
      deliveries.map((delivery) => ({
        name: DELIVERY_REQUESTED,
        id: `retry:${delivery.id}:${randomUUID()}`,
        data: { projectId, deliveryId: delivery.id, listenerId: delivery.listenerId },
      })),
    );
  }

  private async sendAll(events: JobEvent[]): Promise<void> {
    for (let start = 0; start < events.length; start += MAX_EVENTS_PER_SEND) {
      await this.client.send(events.slice(start, start + MAX_EVENTS_PER_SEND) as never);
    }
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}
}
