import { z } from "zod";
import { idSchema } from "@/contracts/common";
import { sendTestEventSchema } from "@/contracts/events";
import {
  createListenerSchema,
  listListenersQuerySchema,
  recoverDeliveriesSchema,
  updateListenerSchema,
} from "@/contracts/listeners";
import { createTRPCRouter, projectProcedure } from "@/server/api/trpc";
import { getDb } from "@/server/db/client";
import { restoreListener } from "@/server/operational/restore-listener";
import { listDeliveries } from "@/server/services/deliveries-read";
import { recoverFailedDeliveries } from "@/server/services/events/recover-deliveries";
import { sendTestEvent } from "@/server/services/events/test-event";
import {
  createListener,
  deleteListener,
  getListener,
  listenerUrlProblem,
  listListeners,
  rotateListenerSecret,
  updateListener,
  type ListenerWithSecret,
} from "@/server/services/listeners";

/** How many of a listener's latest deliveries its page shows (the delivery log has them all). */
export const LISTENER_RECENT_DELIVERIES = 20;

const byId = z.object({ id: idSchema });

function withoutSecret({ secret: _secret, ...listener }: ListenerWithSecret) {
  return listener;
}

export const listenerRouter = createTRPCRouter({
  list: projectProcedure
    .input(listListenersQuerySchema)
    .query(({ ctx, input: { projectId: _, ...query } }) => listListeners(ctx.projectId, query)),

  /** The listener without its secret: the page reveals that on request (`secret`). */
  get: projectProcedure
    .input(z.object({ id: z.string() }))
    .query(async ({ ctx, input }) => withoutSecret(await getListener(ctx.projectId, input.id))),

  secret: projectProcedure
    .input(z.object({ id: z.string() }))
    .query(async ({ ctx, input }) => (await getListener(ctx.projectId, input.id)).secret),

  /** The body of `POST /api/v1/listeners`, field errors named as the API names them. */
  create: projectProcedure
    .input(createListenerSchema)
    .mutation(async ({ ctx, input: { projectId: _, ...listener } }) =>
      withoutSecret(await createListener(ctx.projectId, listener)),
    ),

  /** The body of `PATCH /api/v1/listeners/{id}`, with the id. */
  update: projectProcedure
    .input(updateListenerSchema.extend(byId.shape))
    .mutation(({ ctx, input: { projectId: _, id, ...changes } }) =>
      updateListener(ctx.projectId, id, changes),
    ),

  setEnabled: projectProcedure
    .input(byId.extend({ enabled: z.boolean() }))
    .mutation(({ ctx, input }) => updateListener(ctx.projectId, input.id, { enabled: input.enabled })),

  rotateSecret: projectProcedure
    .input(byId)
    .mutation(async ({ ctx, input }) => withoutSecret(await rotateListenerSecret(ctx.projectId, input.id))),

  delete: projectProcedure.input(byId).mutation(({ ctx, input }) => deleteListener(ctx.projectId, input.id)),

  /** The destination rule the API applies on save (blocked addresses, the allowlist, the app's inspector). */
  checkUrl: projectProcedure
    .input(z.object({ url: z.string() }))
    .query(({ input }) => ({ problem: listenerUrlProblem(input.url) })),

  sendTest: projectProcedure
    .input(sendTestEventSchema)
    .mutation(({ ctx, input }) => sendTestEvent(ctx.projectId, input.id, { payload: input.payload })),

  recover: projectProcedure
    .input(recoverDeliveriesSchema.extend(byId.shape))
    .mutation(({ ctx, input }) => recoverFailedDeliveries(ctx.projectId, input.id, { since: input.since })),

  /** "Re-enable and recover": enables a disabled listener and attempts its failed deliveries again. */
  restore: projectProcedure
    .input(z.object({ id: z.string() }))
    .mutation(({ ctx, input }) =>
      restoreListener({ db: getDb() }, { projectId: ctx.projectId, listenerId: input.id, by: "user" }),
    ),

  recentDeliveries: projectProcedure
    .input(byId)
    .query(({ ctx, input }) =>
      listDeliveries(ctx.projectId, { listenerId: input.id, limit: LISTENER_RECENT_DELIVERIES }),
    ),
});
