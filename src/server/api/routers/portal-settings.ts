import { z } from "zod";
import { idSchema } from "@/contracts/common";
import { createPortalLinkSchema, listPortalLinksQuerySchema, portalSettingsSchema } from "@/contracts/portal";
import { createTRPCRouter, projectProcedure } from "@/server/api/trpc";
import { createPortalLink, listPortalLinks, revokePortalLink } from "@/server/services/portal/links";
import { getPortalSettings, putPortalSettings } from "@/server/services/portal/settings";

/** The dashboard's side of the customer portal: its settings and its links (as /api/v1/portal/…). */
export const portalSettingsRouter = createTRPCRouter({
  settings: projectProcedure.query(({ ctx }) => getPortalSettings(ctx.projectId)),

  putSettings: projectProcedure
    .input(portalSettingsSchema)
    .mutation(({ ctx, input: { projectId: _, ...settings } }) => putPortalSettings(ctx.projectId, settings)),

  links: projectProcedure
    .input(listPortalLinksQuerySchema)
    .query(({ ctx, input: { projectId: _, ...query } }) => listPortalLinks(ctx.projectId, query)),

  /** The answer's URL carries the token: the only time it is ever shown. */
  createLink: projectProcedure
    .input(createPortalLinkSchema)
    .mutation(({ ctx, input: { projectId: _, ...link } }) => createPortalLink(ctx.projectId, link)),

  revokeLink: projectProcedure
    .input(z.object({ id: idSchema }))
    .mutation(({ ctx, input }) => revokePortalLink(ctx.projectId, input.id)),
});
