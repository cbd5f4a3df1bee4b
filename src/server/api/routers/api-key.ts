import { z } from "zod";
import { createApiKeySchema } from "@/contracts/api-keys";
import { idSchema } from "@/contracts/common";
import { createTRPCRouter, projectProcedure } from "@/server/api/trpc";
import { createApiKey, listApiKeys, revokeApiKey } from "@/server/services/api-keys";

export const apiKeyRouter = createTRPCRouter({
  list: projectProcedure.query(({ ctx }) => listApiKeys(ctx.projectId)),

  /** The answer holds the whole key: the only time it is ever shown. */
  create: projectProcedure
    .input(createApiKeySchema)
    .mutation(({ ctx, input }) => createApiKey(ctx.projectId, input)),

  revoke: projectProcedure
    .input(z.object({ id: idSchema }))
    .mutation(({ ctx, input }) => revokeApiKey(ctx.projectId, input.id)),
});
