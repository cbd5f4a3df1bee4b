import { z } from "zod";
import { hookNameSchema } from "@/contracts/hooks";
import { createTRPCRouter, projectProcedure } from "@/server/api/trpc";
import { createInspectorListener, getInspector, listInspectorRequests } from "@/server/services/inspector";

export const inspectorRouter = createTRPCRouter({
  /** The URL the project's inspector receives webhooks at. */
  get: projectProcedure.query(({ ctx }) => getInspector(ctx.projectId)),

  /** Latest requests, newest first; with `since`, only those received at or after it. */
  requests: projectProcedure
    .input(z.object({ since: z.date().optional() }))
    .query(({ ctx, input }) => listInspectorRequests(ctx.projectId, { since: input.since })),

  /** A listener of `hook` (no filter) delivering to the inspector. */
  createListener: projectProcedure
    .input(z.object({ hook: hookNameSchema }))
    .mutation(async ({ ctx, input }) => {
      const listener = await createInspectorListener(ctx.projectId, input.hook);
      return { id: listener.id, hook: listener.hook, url: listener.url };
    }),
});
