import type { PrismaClient } from "@/generated/prisma/client";
import { getDb } from "@/server/db/client";
import { isUniqueViolation } from "@/server/db/errors";
import { NotFoundError } from "../errors";
import { type EventServiceDeps, notifyRunner } from "./notify-runner";
import { waitForFirstOutcomes } from "./wait-for-outcomes";

/** Concurrent replays of one event race for the next fan-out number; each tries this many times. */
const MAX_NUMBERING_ATTEMPTS = 3;

export interface ReplayResult {
  eventId: string;
  /** The replay's number: the event's fan-outs are numbered 0 (when it was accepted), 1, 2 … */
  replay: number;
  /** With `waitSeconds`, once matching finished in time: the new deliveries. */
  matched?: number;
  deliveryIds?: string[];
}

/**
 * Matches a stored event again against today's listeners, as a new fan-out: each match is a new
 * delivery (earlier deliveries stay as they were). With `waitSeconds`, waits for the matching.
 */
export async function replayEvent(
  projectId: string,
  eventId: string,
  options: { waitSeconds?: number } = {},
  deps: EventServiceDeps = {},
): Promise<ReplayResult> {
  const db = deps.db ?? getDb();
  const now = (deps.now ?? (() => new Date()))();
  const event = await db.event.findFirst({ where: { id: eventId, projectId }, select: { hookId: true } });
  if (!event) throw new NotFoundError("Event");
  let replay: number | undefined;
  for (let attempt = 1; replay === undefined; attempt++) {
    try {
      replay = await addFanOut(db, { eventId, projectId, hookId: event.hookId, now });
    } catch (error) {
      // Another replay of the same event took the number first.
      if (!isUniqueViolation(error) || attempt >= MAX_NUMBERING_ATTEMPTS) throw error;
    }
  }
  await notifyRunner(deps, (runner) => runner.fanOutRequested({ projectId, eventId, fanOut: replay }));
  if (!options.waitSeconds) return { eventId, replay };
  const waitUntil = Date.now() + options.waitSeconds * 1000;
  const deliveries = await waitForFirstOutcomes(db, { eventId, fanOut: replay }, waitUntil, undefined);
  const done = await db.fanOut.findUnique({
    where: { eventId_number: { eventId, number: replay } },
    select: { done: true },
  });
  if (!done?.done) return { eventId, replay };
  return {
    eventId,
    replay,
    matched: deliveries.length,
    deliveryIds: deliveries.map((delivery) => delivery.id),
  };
}

/** The event's next fan-out, due now; returns its number. */
async function addFanOut(
  db: PrismaClient,
  { eventId, projectId, hookId, now }: { eventId: string; projectId: string; hookId: string; now: Date },
): Promise<number> {
  const [row] = await db.$queryRaw<{ number: number }[]>`
    INSERT INTO "FanOut" ("eventId", number, "projectId", "hookId", "createdAt", "updatedAt")
    SELECT ${eventId}, COALESCE(max(number), -1) + 1, ${projectId}, ${hookId},
      ${now.toISOString()}::timestamp(3), ${now.toISOString()}::timestamp(3)
    FROM "FanOut" WHERE "eventId" = ${eventId}
    RETURNING number`;
  return row!.number;
}
