import { z } from "zod";
import { idSchema, MAX_PAGE_SIZE } from "@/contracts/common";
import { hookNameSchema } from "@/contracts/hooks";
import { createListenerSchema, listListenersQuerySchema } from "@/contracts/listeners";
import { createTRPCRouter, portalProcedure } from "@/server/api/trpc";
import { listenerUrlProblem, type ListenerWithSecret } from "@/server/services/listeners";
import { PREVIEW_EVENT_COUNT } from "./hook";
import { LISTENER_RECENT_DELIVERIES } from "./listener";

/**
 * The customer portal's procedures (served at /api/portal/trpc). Those the dashboard's own components
 * call — the listener form, its filter preview, the secret panel — keep the dashboard's names and
 * inputs, so the portal reuses the components as they are; a `projectId` in the input is ignored, as
 * every procedure acts through the link's PortalScope.
 */

const byId = z.object({ id: idSchema });
const byDeliveryId = z.object({ deliveryId: idSchema });

function withoutSecret({ secret: _secret, ...listener }: ListenerWithSecret) {
  return listener;
}

export const portalRouter = createTRPCRouter({
  listener: createTRPCRouter({
    list: portalProcedure
      .input(listListenersQuerySchema.omit({ customer: true }))
      .query(({ ctx, input }) => ctx.portal.listListeners(input)),

    get: portalProcedure
      .input(byId)
      .query(async ({ ctx, input }) => withoutSecret(await ctx.portal.getListener(input.id))),

    secret: portalProcedure
      .input(byId)
      .query(async ({ ctx, input }) => (await ctx.portal.getListener(input.id)).secret),

    /** Tagged with the link's customer whatever the input says. */
    create: portalProcedure
      .input(createListenerSchema)
      .mutation(async ({ ctx, input: { customer: _, ...listener } }) =>
        withoutSecret(await ctx.portal.createListener(listener)),
      ),

    rotateSecret: portalProcedure
      .input(byId)
      .mutation(async ({ ctx, input }) => withoutSecret(await ctx.portal.rotateListenerSecret(input.id))),

    /** Only enabling: the portal offers it on a disabled listener's banner. */
    setEnabled: portalProcedure
      .input(byId.extend({ enabled: z.literal(true, { error: "The portal can only enable a listener" }) }))
      .mutation(({ ctx, input }) => ctx.portal.enableListener(input.id)),

    /** "Re-enable and recover". */
    restore: portalProcedure.input(byId).mutation(({ ctx, input }) => ctx.portal.restoreListener(input.id)),

    delete: portalProcedure.input(byId).mutation(({ ctx, input }) => ctx.portal.deleteListener(input.id)),

    checkUrl: portalProcedure
      .input(z.object({ url: z.string() }))
      .query(({ input }) => ({ problem: listenerUrlProblem(input.url) })),

    recentDeliveries: portalProcedure
      .input(byId)
      .query(({ ctx, input }) => ctx.portal.listenerDeliveries(input.id, LISTENER_RECENT_DELIVERIES)),
  }),

  hook: createTRPCRouter({
    list: portalProcedure.query(({ ctx }) => ctx.portal.hooks()),

    recentEvents: portalProcedure
      .input(
        z.object({
          name: hookNameSchema,
          limit: z.number().int().min(1).max(MAX_PAGE_SIZE).default(PREVIEW_EVENT_COUNT),
        }),
      )
      .query(({ ctx, input }) => ctx.portal.recentEvents(input.name, input.limit)),
  }),

  delivery: createTRPCRouter({
    get: portalProcedure
      .input(byDeliveryId)
      .query(({ ctx, input }) => ctx.portal.getDelivery(input.deliveryId)),

    retry: portalProcedure
      .input(byDeliveryId)
      .mutation(({ ctx, input }) => ctx.portal.retryDelivery(input.deliveryId)),
  }),
});

export type PortalRouter = typeof portalRouter;
