import { eventType } from "inngest";
import { z } from "zod";

// Every event Durian sends to Inngest, with its payload, declared once.

/** An event was accepted and its deliveries stored; fan them out. Sent again on replay. */
export const eventAccepted = eventType("durian/event.accepted", {
  schema: z.object({
    projectId: z.string(),
    eventId: z.string(),
  }),
});

/** Attempt one delivery until it succeeds or its schedule runs out. Its Inngest event id is the delivery id. */
export const deliveryRequested = eventType("durian/delivery.requested", {
  schema: z.object({
    projectId: z.string(),
    deliveryId: z.string(),
    /** The concurrency key: attempts to one listener are limited. */
    listenerId: z.string(),
    /**
     * Sent by the recovery sweep for a delivery it found stranded. Such a run ends without waiting if,
     * before it attempted anything, it finds the delivery not due: another run attempted it meanwhile
     * and carries on with it.
     */
    recovery: z.boolean().optional(),
  }),
});

export type EventAcceptedData = z.infer<typeof eventAccepted.schema>;
export type DeliveryRequestedData = z.infer<typeof deliveryRequested.schema>;

export const EVENT_ACCEPTED = eventAccepted.name;
export const DELIVERY_REQUESTED = deliveryRequested.name;
