import { z } from "zod";
import { createTRPCRouter, projectProcedure } from "@/server/api/trpc";
import { cursorSchema, idSchema } from "@/contracts/common";
import { deliveryStatusSchema } from "@/contracts/events";
import { listDeliveries } from "@/server/services/deliveries-read";
import {
  deliveryChangesSince,
  deliveryLogFilterChoices,
  getDeliveryDetail,
} from "@/server/services/delivery-log";
import { retryDelivery } from "@/server/services/events";

/** The log's filters as the page's URL carries them; the services validate and report bad ones by field. */
const logFilters = z.object({
  status: deliveryStatusSchema.optional(),
  hook: z.string().optional(),
  listenerId: z.string().optional(),
  since: z.string().optional(),
  until: z.string().optional(),
});

export const deliveryRouter = createTRPCRouter({
  /** One keyset page of the log, newest first. */
  list: projectProcedure
    .input(logFilters.extend({ cursor: cursorSchema.optional(), limit: z.number().int().optional() }))
    .query(({ ctx, input: { projectId: _, ...query } }) => listDeliveries(ctx.projectId, query)),

  /** What changed since the last poll, for the live log. */
  changes: projectProcedure
    .input(logFilters.extend({ changedSince: z.date() }))
    .query(({ ctx, input: { projectId: _, changedSince, ...filters } }) =>
      deliveryChangesSince(ctx.projectId, filters, changedSince),
    ),

  filterChoices: projectProcedure.query(({ ctx }) => deliveryLogFilterChoices(ctx.projectId)),

  get: projectProcedure
    .input(z.object({ deliveryId: idSchema }))
    .query(({ ctx, input }) => getDeliveryDetail(ctx.projectId, input.deliveryId)),

  /** One more attempt now, with the same webhook-id. */
  retry: projectProcedure
    .input(z.object({ deliveryId: idSchema }))
    .mutation(({ ctx, input }) => retryDelivery(ctx.projectId, input.deliveryId)),
});
