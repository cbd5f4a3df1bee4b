import { z } from "zod";
import { createTRPCRouter, projectProcedure } from "@/server/api/trpc";
import { MAX_PAGE_SIZE } from "@/server/rest/schemas/common";
import { listEvents } from "@/server/services/deliveries-read";
import { getHookWithStats, listHooks, listOperationalHooks } from "@/server/services/hooks";

/** The listener form previews its filter against this many of the hook's latest events. */
export const PREVIEW_EVENT_COUNT = 50;

export const hookRouter = createTRPCRouter({
  list: projectProcedure
    .input(
      z.object({
        cursor: z.string().optional(),
        limit: z.number().int().optional(),
        search: z.string().optional(),
      }),
    )
    .query(({ ctx, input }) =>
      listHooks(ctx.projectId, {
        cursor: input.cursor,
        limit: input.limit ?? MAX_PAGE_SIZE,
        search: input.search,
      }),
    ),

  /** Durian's operational hooks (`durian.*`), listed apart from the project's own. */
  operational: projectProcedure.query(({ ctx }) => listOperationalHooks(ctx.projectId)),

  get: projectProcedure
    .input(z.object({ name: z.string() }))
    .query(({ ctx, input }) => getHookWithStats(ctx.projectId, input.name)),

  recentEvents: projectProcedure
    .input(z.object({ name: z.string(), limit: z.number().int().optional() }))
    .query(({ ctx, input }) =>
      listEvents(ctx.projectId, { hook: input.name, limit: input.limit ?? PREVIEW_EVENT_COUNT }),
    ),
});
