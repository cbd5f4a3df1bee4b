import { eventType } from "inngest";
import { z } from "zod";
import { DELIVERY_REQUESTED, FAN_OUT_REQUESTED } from "@/server/jobs/steps";

// The events the jobs send (src/server/jobs/steps.ts), declared for Inngest with their payloads.

/** An event was accepted (or replayed): match it and create its deliveries. */
export const eventAccepted = eventType(FAN_OUT_REQUESTED, {
  schema: z.object({ projectId: z.string(), eventId: z.string(), fanOut: z.number().int().min(0) }),
});

/** Attempt one delivery until it succeeds or its schedule runs out. */
export const deliveryRequested = eventType(DELIVERY_REQUESTED, {
  schema: z.object({
    projectId: z.string(),
    deliveryId: z.string(),
    listenerId: z.string(),
    recovery: z.boolean().optional(),
  }),
});

export { DELIVERY_REQUESTED, FAN_OUT_REQUESTED as EVENT_ACCEPTED };
