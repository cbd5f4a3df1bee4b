import { z } from "zod";
import { createTRPCRouter, projectProcedure } from "@/server/api/trpc";
import { createApiKey, listApiKeys, revokeApiKey } from "@/server/services/api-keys";

export const apiKeyRouter = createTRPCRouter({
  list: projectProcedure.query(({ ctx }) => listApiKeys(ctx.projectId)),

  /** The answer holds the whole key: the only time it is ever shown. */
  create: projectProcedure
    .input(z.object({ name: z.string() }))
    .mutation(({ ctx, input }) => createApiKey(ctx.projectId, { name: input.name })),

  revoke: projectProcedure
    .input(z.object({ id: z.string() }))
    .mutation(({ ctx, input }) => revokeApiKey(ctx.projectId, input.id)),
});
