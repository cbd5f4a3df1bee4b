import { projectPayload } from "@/core/payload/project";
import { Prisma, type PrismaClient } from "@/generated/prisma/client";
import { plainQueryFor, preparedQueryFor } from "@/server/db/client";
import { createDeliveries } from "@/server/delivery/lifecycle";
import { filterMatching, findCandidateListeners } from "@/server/matching/find-matching-listeners";
import { inSpan } from "@/server/telemetry/tracing";

// A fan-out matches an accepted event against its hook's listeners and creates one delivery per match,
// after the event was accepted (the sender does not wait for it), in pages of listeners in id order.
// Each page's deliveries and the fan-out's progress commit in one statement, and the database holds
// one delivery per listener and fan-out, so a fan-out interrupted anywhere resumes where it stopped
// with no duplicate and no loss.

/** Listeners looked at per page: the first deliveries leave while later pages are matched. */
export const FAN_OUT_PAGE_SIZE = 1_000;
/** A runner working on a fan-out holds it this long per page; past it another runner takes over. */
export const FAN_OUT_LEASE_MS = 60_000;

export interface FanOutKey {
  eventId: string;
  /** 0 for the event's first fan-out, 1, 2 … for its replays. */
  fanOut: number;
}

/** What every page of a fan-out needs, read once when it starts (plain JSON: a step's result). */
export interface FanOutStart {
  projectId: string;
  hookId: string;
  /** The version of the hook's fields the event was sent for: only that version's listeners match. */
  hookVersion: number;
  /** The payload projected to its version's fields as they are now: a field it no longer provides takes no part. */
  payload: Record<string, unknown>;
  /** Where matching resumes (null: from the first listener). */
  after: string | null;
  /** The trace context the event was accepted in: each page's span joins that trace. */
  traceparent: string | null;
}

/**
 * The fan-out's state when it (re)starts, or null when there is nothing to do: it is done, its event is
 * gone, or its hook is disabled (then it is marked done with no match; the event can be replayed).
 */
export async function startFanOut(
  db: PrismaClient,
  { eventId, fanOut }: FanOutKey,
): Promise<FanOutStart | null> {
  const [row] = await preparedQueryFor(db)<{
    projectId: string;
    hookId: string;
    hookVersion: number;
    payload: Record<string, unknown>;
    providesArgs: string[];
    enabled: boolean;
    done: boolean;
    after: string | null;
    traceparent: string | null;
  }>(Prisma.sql`
    SELECT f."projectId", f."hookId", e."hookVersion", e.payload, v."providesArgs", h.enabled, f.done,
      f."afterListenerId" AS after, e.traceparent
    FROM "FanOut" f JOIN "Event" e ON e.id = f."eventId" JOIN "Hook" h ON h.id = f."hookId"
      JOIN "HookVersion" v ON v."hookId" = f."hookId" AND v.version = e."hookVersion"
    WHERE f."eventId" = ${eventId} AND f.number = ${fanOut}`);
  if (!row || row.done) return null;
  if (!row.enabled) {
    await finishFanOut(db, { eventId, fanOut });
    return null;
  }
  return {
    projectId: row.projectId,
    hookId: row.hookId,
    hookVersion: row.hookVersion,
    payload: projectPayload(row.payload, row.providesArgs),
    after: row.after,
    traceparent: row.traceparent,
  };
}

export interface FanOutPage {
  /** This page's deliveries (created now or by an earlier run of the same page). */
  deliveries: { id: string; listenerId: string }[];
  /** Where the next page starts; null when this was the last page. */
  after: string | null;
}

/**
 * Matches the page of listeners after `after` and creates their deliveries, recording the fan-out's
 * progress in the same statement. Doing the same page again creates nothing new and returns the same
 * deliveries, so a runner may repeat a page it is not sure was done.
 */
export async function matchFanOutPage(
  db: PrismaClient,
  input: FanOutKey & FanOutStart & { pageSize?: number; now?: Date },
): Promise<FanOutPage> {
  const attributes = { "durian.event.id": input.eventId, "durian.fan_out": input.fanOut };
  return inSpan("durian.fan_out.page", { traceparent: input.traceparent, attributes }, async (span) => {
    const page = await matchPage(db, input);
    span.setAttributes({
      "durian.fan_out.deliveries": page.deliveries.length,
      "durian.fan_out.last_page": page.after === null,
    });
    return page;
  });
}

async function matchPage(
  db: PrismaClient,
  input: FanOutKey & FanOutStart & { pageSize?: number; now?: Date },
): Promise<FanOutPage> {
  const { eventId, fanOut, projectId, hookId, hookVersion, payload, after } = input;
  const pageSize = input.pageSize ?? FAN_OUT_PAGE_SIZE;
  const now = input.now ?? new Date();
  const candidates = await findCandidateListeners(db, { hookId, hookVersion }, payload, {
    after,
    limit: pageSize,
  });
  const matched = filterMatching(candidates, payload);
  const last = candidates.length === pageSize ? candidates[candidates.length - 1]!.id : null;
  const deliveries = await createDeliveries(
    db,
    { projectId, eventId, hookId, fanOut, listeners: matched, now },
    (inserted) => Prisma.sql`
      UPDATE "FanOut" SET "afterListenerId" = ${last}, matched = matched + (SELECT count(*) FROM ${inserted}),
        done = ${last === null}, "lockedUntil" = ${last === null ? null : leaseEnd(now)}::timestamp(3),
        "updatedAt" = ${now.toISOString()}::timestamp(3)
      WHERE "eventId" = ${eventId} AND number = ${fanOut}`,
  );
  return { deliveries, after: last };
}

function leaseEnd(now: Date): string {
  return new Date(now.getTime() + FAN_OUT_LEASE_MS).toISOString();
}

/**
 * A large fan-out changes the deliveries table faster than autovacuum re-analyses it (once a minute at
 * best), and plans made on the old statistics turn slow: its own insert (a prepared statement,
 * planned while the table was small) took 0.1 s a page at the start of a 100,000-listener fan-out and
 * 1.4 s by its end, growing with the table (bench:fanout: all_s=81 rather than 26). Every this many
 * deliveries created, the fan-out asks
 * for fresh statistics at once, which also makes PostgreSQL plan its prepared statements again.
 * (The claims do not depend on them: see noBitmapScanQueryFor.)
 */
export const ANALYZE_EVERY_DELIVERIES = 10_000;

export async function refreshDeliveryStatistics(db: PrismaClient): Promise<void> {
  await db.$executeRawUnsafe(`ANALYZE "Delivery"`);
}

/** Marks a fan-out done with what it has (its hook is disabled or gone). */
async function finishFanOut(db: PrismaClient, { eventId, fanOut }: FanOutKey): Promise<void> {
  await db.fanOut.updateMany({
    where: { eventId, number: fanOut },
    data: { done: true, lockedUntil: null },
  });
}

/**
 * Claims up to `limit` fan-outs that are not done and that nobody works on (no lease, or one that ran
 * out), oldest first, for this runner: `FOR UPDATE SKIP LOCKED`, so two runners never take the same one.
 */
export async function claimFanOuts(
  db: PrismaClient,
  { limit, now, olderThan }: { limit: number; now: Date; olderThan?: Date },
): Promise<(FanOutKey & { projectId: string })[]> {
  if (limit <= 0) return [];
  const createdBefore = olderThan ?? now;
  return plainQueryFor(db)<FanOutKey & { projectId: string }>(Prisma.sql`
    WITH chosen AS (
      SELECT "eventId", number FROM "FanOut"
      WHERE NOT done AND ("lockedUntil" IS NULL OR "lockedUntil" <= ${now.toISOString()}::timestamp(3))
        AND "createdAt" <= ${createdBefore.toISOString()}::timestamp(3)
      ORDER BY "createdAt" LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    UPDATE "FanOut" f SET "lockedUntil" = ${leaseEnd(now)}::timestamp(3)
    FROM chosen WHERE f."eventId" = chosen."eventId" AND f.number = chosen.number
    RETURNING f."eventId", f.number AS "fanOut", f."projectId"`);
}

/** Hands back fan-outs this runner claimed but did not finish (it is stopping). */
export async function handBackFanOuts(db: PrismaClient, keys: readonly FanOutKey[]): Promise<void> {
  if (keys.length === 0) return;
  await plainQueryFor(db)(Prisma.sql`
    UPDATE "FanOut" f SET "lockedUntil" = NULL
    FROM unnest(${keys.map((key) => key.eventId)}::text[], ${keys.map((key) => key.fanOut)}::int[]) AS k(event_id, number)
    WHERE f."eventId" = k.event_id AND f.number = k.number AND NOT f.done`);
}
