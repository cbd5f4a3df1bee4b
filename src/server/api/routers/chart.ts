import { deliveryChartQuerySchema, hookSparklinesQuerySchema } from "@/contracts/charts";
import { createTRPCRouter, projectProcedure } from "@/server/api/trpc";
import { deliveryChart, hookSparklines, projectBacklog } from "@/server/services/delivery-charts";
import { requireHook } from "@/server/services/hooks";

/** The dashboard's charts, all read from the hourly rollups (see services/delivery-charts.ts). */
export const chartRouter = createTRPCRouter({
  /** Deliveries by outcome over 24 h or 7 days, success rate and latency: the project's, a hook's or a listener's. */
  deliveries: projectProcedure.input(deliveryChartQuerySchema).query(async ({ ctx, input }) => {
    const hookId = input.hook ? (await requireHook(ctx.projectId, input.hook)).id : undefined;
    return deliveryChart(ctx.projectId, { range: input.range, hookId, listenerId: input.listenerId });
  }),

  /** The hooks list's sparklines: each hook's finished deliveries per hour over the last 24 hours. */
  hookSparklines: projectProcedure
    .input(hookSparklinesQuerySchema)
    .query(({ ctx, input }) => hookSparklines(ctx.projectId, input.hookIds)),

  /** Due deliveries per listener, and how long the oldest has waited. */
  backlog: projectProcedure.query(({ ctx }) => projectBacklog(ctx.projectId)),
});
