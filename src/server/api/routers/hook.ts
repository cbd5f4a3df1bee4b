import { z } from "zod";
import { MAX_PAGE_SIZE, pageQuerySchema } from "@/contracts/common";
import { hookNameSchema, listHooksQuerySchema } from "@/contracts/hooks";
import { createTRPCRouter, projectProcedure } from "@/server/api/trpc";
import { listEvents } from "@/server/services/deliveries-read";
import { getHookWithStats, listHooks, listHookVersions, listOperationalHooks } from "@/server/services/hooks";

/** The listener form previews its filter against this many of the hook's latest events. */
export const PREVIEW_EVENT_COUNT = 50;

const pageSize = pageQuerySchema.shape.limit.unwrap();

export const hookRouter = createTRPCRouter({
  /** Pages as large as the API allows: the dashboard lists every hook. */
  list: projectProcedure
    .input(listHooksQuerySchema.extend({ limit: pageSize.default(MAX_PAGE_SIZE) }))
    .query(({ ctx, input: { projectId: _, ...query } }) => listHooks(ctx.projectId, query)),

  /** Durian's operational hooks (`durian.*`), listed apart from the project's own. */
  operational: projectProcedure.query(({ ctx }) => listOperationalHooks(ctx.projectId)),

  get: projectProcedure
    .input(z.object({ name: z.string() }))
    .query(({ ctx, input }) => getHookWithStats(ctx.projectId, input.name)),

  /** Each version of its fields, latest first, with its listeners and the changes from the one before. */
  versions: projectProcedure
    .input(z.object({ name: z.string() }))
    .query(({ ctx, input }) => listHookVersions(ctx.projectId, input.name)),

  recentEvents: projectProcedure
    .input(z.object({ name: hookNameSchema, limit: pageSize.default(PREVIEW_EVENT_COUNT) }))
    .query(({ ctx, input }) => listEvents(ctx.projectId, { hook: input.name, limit: input.limit })),
});
