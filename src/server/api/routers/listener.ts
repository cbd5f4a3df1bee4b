import { z } from "zod";
import { createTRPCRouter, projectProcedure } from "@/server/api/trpc";
import type { CreateListenerInput, UpdateListenerInput } from "@/server/rest/schemas/listeners";
import { getDb } from "@/server/db/client";
import { restoreListener } from "@/server/operational/restore-listener";
import { listDeliveries } from "@/server/services/deliveries-read";
import { recoverFailedDeliveries, sendTestEvent } from "@/server/services/events";
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

// Inputs the services validate themselves (their errors name the field), so they are passed as given.
const createInput = z.custom<CreateListenerInput>();
const updateInput = z.custom<UpdateListenerInput>();
const payloadInput = z.custom<Record<string, unknown>>();

function withoutSecret({ secret: _secret, ...listener }: ListenerWithSecret) {
  return listener;
}

export const listenerRouter = createTRPCRouter({
  list: projectProcedure
    .input(z.object({ hook: z.string().optional(), cursor: z.string().optional() }))
    .query(({ ctx, input }) => listListeners(ctx.projectId, input)),

  /** The listener without its secret: the page reveals that on request (`secret`). */
  get: projectProcedure
    .input(z.object({ id: z.string() }))
    .query(async ({ ctx, input }) => withoutSecret(await getListener(ctx.projectId, input.id))),

  secret: projectProcedure
    .input(z.object({ id: z.string() }))
    .query(async ({ ctx, input }) => (await getListener(ctx.projectId, input.id)).secret),

  create: projectProcedure
    .input(z.object({ listener: createInput }))
    .mutation(async ({ ctx, input }) => withoutSecret(await createListener(ctx.projectId, input.listener))),

  update: projectProcedure
    .input(z.object({ id: z.string(), changes: updateInput }))
    .mutation(({ ctx, input }) => updateListener(ctx.projectId, input.id, input.changes)),

  setEnabled: projectProcedure
    .input(z.object({ id: z.string(), enabled: z.boolean() }))
    .mutation(({ ctx, input }) => updateListener(ctx.projectId, input.id, { enabled: input.enabled })),

  rotateSecret: projectProcedure
    .input(z.object({ id: z.string() }))
    .mutation(async ({ ctx, input }) => withoutSecret(await rotateListenerSecret(ctx.projectId, input.id))),

  delete: projectProcedure
    .input(z.object({ id: z.string() }))
    .mutation(({ ctx, input }) => deleteListener(ctx.projectId, input.id)),

  /** The destination rule the API applies on save (blocked addresses, the allowlist, the app's inspector). */
  checkUrl: projectProcedure
    .input(z.object({ url: z.string() }))
    .query(({ input }) => ({ problem: listenerUrlProblem(input.url) })),

  sendTest: projectProcedure
    .input(z.object({ id: z.string(), payload: payloadInput.optional() }))
    .mutation(({ ctx, input }) => sendTestEvent(ctx.projectId, input.id, { payload: input.payload })),

  recover: projectProcedure
    .input(z.object({ id: z.string(), since: z.string() }))
    .mutation(({ ctx, input }) => recoverFailedDeliveries(ctx.projectId, input.id, { since: input.since })),

  /** "Re-enable and recover": enables a disabled listener and attempts its failed deliveries again. */
  restore: projectProcedure
    .input(z.object({ id: z.string() }))
    .mutation(({ ctx, input }) =>
      restoreListener({ db: getDb() }, { projectId: ctx.projectId, listenerId: input.id, by: "user" }),
    ),

  recentDeliveries: projectProcedure
    .input(z.object({ id: z.string() }))
    .query(({ ctx, input }) =>
      listDeliveries(ctx.projectId, { listenerId: input.id, limit: LISTENER_RECENT_DELIVERIES }),
    ),
});
