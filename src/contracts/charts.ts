import { z } from "zod";
import { idSchema } from "./common";
import { hookNameSchema } from "./hooks";

/** The dashboard's chart windows: the last 24 hours by hour, the last 7 days by day (UTC days). */
export const CHART_RANGES = ["24h", "7d"] as const;
export type ChartRange = (typeof CHART_RANGES)[number];

/** The most hooks one sparkline request asks about (the hooks list's first five pages). */
export const MAX_SPARKLINE_HOOKS = 1_000;

/** A chart of the whole project, of one hook (by name) or of one listener: at most one of the two. */
export const deliveryChartQuerySchema = z
  .object({
    range: z.enum(CHART_RANGES).default("24h"),
    hook: hookNameSchema.optional(),
    listenerId: idSchema.optional(),
  })
  .refine((query) => !(query.hook && query.listenerId), {
    error: "Give a hook or a listener, not both",
    path: ["listenerId"],
  });
export type DeliveryChartQuery = z.infer<typeof deliveryChartQuerySchema>;

export const hookSparklinesQuerySchema = z.object({
  hookIds: z.array(idSchema).max(MAX_SPARKLINE_HOOKS),
});
