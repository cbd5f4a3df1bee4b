import { z } from "zod";
import { idSchema } from "@/contracts/common";
import { deliveryLogFiltersSchema, listDeliveriesQuerySchema } from "@/contracts/events";
import { createTRPCRouter, projectProcedure } from "@/server/api/trpc";
import { listDeliveries } from "@/server/services/deliveries-read";
import {
  deliveryChangesSince,
  deliveryLogFilterChoices,
  getDeliveryDetail,
} from "@/server/services/delivery-log";
import { retryDelivery } from "@/server/services/events/retry-delivery";

export const deliveryRouter = createTRPCRouter({
  /** One keyset page of the log, newest first. */
  list: projectProcedure
    .input(listDeliveriesQuerySchema)
    .query(({ ctx, input: { projectId: _, ...query } }) => listDeliveries(ctx.projectId, query)),

  /** What changed since the last poll, for the live log. */
  changes: projectProcedure
    .input(deliveryLogFiltersSchema.extend({ changedSince: z.date() }))
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
