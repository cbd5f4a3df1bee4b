import { z } from "zod";
import { idSchema } from "@/contracts/common";
import { listEventsQuerySchema } from "@/contracts/events";
import { createTRPCRouter, projectProcedure } from "@/server/api/trpc";
import { getEvent } from "@/server/services/deliveries-read";
import { listEventLog } from "@/server/services/delivery-log";
import { replayEvent } from "@/server/services/events/replay-event";

const REPLAY_WAIT_SECONDS = 5;

export const eventRouter = createTRPCRouter({
  /** One keyset page of the event log, newest first, with each event's delivery counts. */
  list: projectProcedure
    .input(listEventsQuerySchema)
    .query(({ ctx, input: { projectId: _, ...query } }) => listEventLog(ctx.projectId, query)),

  /** The stored payload with every delivery and its attempts. */
  get: projectProcedure
    .input(z.object({ eventId: idSchema }))
    .query(({ ctx, input }) => getEvent(ctx.projectId, input.eventId)),

  /**
   * Matches the event again against today's listeners; each match is a new delivery. Waits a few
   * seconds for the matching, so the dashboard can say how many matched.
   */
  replay: projectProcedure
    .input(z.object({ eventId: idSchema }))
    .mutation(({ ctx, input }) =>
      replayEvent(ctx.projectId, input.eventId, { waitSeconds: REPLAY_WAIT_SECONDS }),
    ),
});
