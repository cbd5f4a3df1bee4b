import {
  DELIVERY_TRANSITIONS,
  type DeliveryTransition,
  type DeliveryTransitionRule,
  type LeaseCondition,
} from "@/core/delivery/lifecycle";
import { Prisma, type PrismaClient } from "@/generated/prisma/client";
import { noBitmapScanQueryFor, plainQueryFor, preparedQueryFor } from "@/server/db/client";
import {
  CLAIM_CONTEXT_COLUMNS,
  type ClaimContextRow,
  DELIVERY_CONTEXT_COLUMNS,
  type DeliveryContext,
  withSharedPayloads,
} from "./delivery-context";
import { openListenerSecrets } from "@/server/secrets";
import { addToAttemptRollups } from "./attempt-rollups";
import { newRecordId } from "./record-id";

// The one module that changes a delivery's status or lease. Every statement below performs one
// transition of the core's table (src/core/delivery/lifecycle.ts), and its condition on the current
// state is built from that table by `fromStates`, so "claimable" and the rest are written once.

type Db = PrismaClient | Prisma.TransactionClient;

/**
 * A claim holds a delivery for the hook's timeout plus this margin (recording the attempt, a slow
 * database). A runner that dies mid-attempt leaves the lease to expire; the delivery is then claimed
 * again and attempted with the same webhook-id.
 */
export const LEASE_MARGIN_MS = 30_000;

/**
 * A sleep can end a little before the scheduled time by this process's clock (another machine's
 * timer, rounding); a delivery this close to due counts as due rather than sending the caller back
 * to sleep for a few milliseconds.
 */
export const DUE_TOLERANCE_MS = 1_000;

function at(time: Date): Prisma.Sql {
  return Prisma.sql`${time.toISOString()}::timestamp(3)`;
}

function leaseHolds(condition: LeaseCondition, lockedUntil: Prisma.Sql, now: Date): Prisma.Sql {
  switch (condition) {
    case "any":
      return Prisma.sql`TRUE`;
    case "free":
      return Prisma.sql`(${lockedUntil} IS NULL OR ${lockedUntil} <= ${at(now)})`;
    case "held":
      return Prisma.sql`${lockedUntil} > ${at(now)}`;
  }
}

/** The SQL condition "a delivery (table alias `alias`) may undergo `transition` at `now`", from the core's table. */
export function fromStates(transition: DeliveryTransition, alias: string, now: Date): Prisma.Sql {
  const rule: DeliveryTransitionRule = DELIVERY_TRANSITIONS[transition];
  if (rule.from.length === 0) return Prisma.sql`FALSE`;
  const status = Prisma.raw(`${alias}.status`);
  const lockedUntil = Prisma.raw(`${alias}."lockedUntil"`);
  const states = rule.from.map(
    (from) =>
      Prisma.sql`(${status} = ${Prisma.raw(`'${from.status}'`)} AND ${leaseHolds(from.lease, lockedUntil, now)})`,
  );
  return Prisma.sql`(${Prisma.join(states, " OR ")})`;
}

/** The lease a claim made at `now` takes, given the claimed delivery's hook `h`. */
function leaseUntil(now: Date): Prisma.Sql {
  return Prisma.sql`${at(now)} + ((h."timeoutMs" + ${LEASE_MARGIN_MS}) * interval '1 millisecond')`;
}

// create ------------------------------------------------------------------------------------------

export interface NewDeliveries {
  projectId: string;
  eventId: string;
  hookId: string;
  /** The fan-out that creates them (0 for the event's first). */
  fanOut: number;
  /**
   * The listeners to deliver to, with their `relay` flag, which the delivery keeps: a relay
   * listener's deliveries are the CLI's stream's to hand out, never a runner's. (The callers have
   * read the listeners; looking the flag up here cost a quarter more per insert.)
   */
  listeners: readonly { id: string; relay: boolean }[];
  now: Date;
}

/**
 * Creates the deliveries of one page of a fan-out, due now, and returns every delivery of the fan-out
 * to these listeners: those created now and those an earlier run of the same page created (the
 * database allows one per listener and fan-out, so a page done twice creates nothing twice).
 * `progress` runs in the same statement, so a page's deliveries and its fan-out's progress commit together.
 */
export async function createDeliveries(
  db: Db,
  input: NewDeliveries,
  progress: (inserted: Prisma.Sql) => Prisma.Sql = () => Prisma.sql`SELECT 1`,
): Promise<{ id: string; listenerId: string }[]> {
  const { projectId, eventId, hookId, fanOut, listeners, now } = input;
  const ids = listeners.map(() => newRecordId());
  const listenerIds = listeners.map((listener) => listener.id);
  return preparedQueryFor(db)<{ id: string; listenerId: string }>(Prisma.sql`
    WITH inserted AS (
      INSERT INTO "Delivery" (id, "projectId", "eventId", "listenerId", "hookId", "fanOut", status,
        "nextAttemptAt", relay, "createdAt", "updatedAt")
      SELECT d.id, ${projectId}, ${eventId}, d.listener_id, ${hookId}, ${fanOut}, 'pending', ${at(now)},
        d.relay, ${at(now)}, ${at(now)}
      FROM unnest(${ids}::text[], ${listenerIds}::text[], ${listeners.map((listener) => listener.relay)}::boolean[])
        AS d(id, listener_id, relay)
      ON CONFLICT ("eventId", "fanOut", "listenerId") DO NOTHING
      RETURNING id, "listenerId"
    ), progress AS (${progress(Prisma.sql`inserted`)})
    SELECT id, "listenerId" FROM inserted
    UNION ALL
    SELECT d.id, d."listenerId" FROM "Delivery" d
    WHERE d."eventId" = ${eventId} AND d."fanOut" = ${fanOut} AND d."listenerId" = ANY(${listenerIds}::text[])
    ORDER BY "listenerId"`);
}

// claim -------------------------------------------------------------------------------------------

export type DeliveryClaim =
  | { claimed: true; context: DeliveryContext }
  | { claimed: false; reason: "not-found" }
  | { claimed: false; reason: "finished"; status: "succeeded" | "failed" }
  /** Scheduled for later: look again at `at`. */
  | { claimed: false; reason: "not-due"; at: Date }
  /** Another runner holds it: look again when its lease ends. */
  | { claimed: false; reason: "leased"; at: Date }
  /** A relay listener's: only the CLI's stream hands it out (`claimRelayDeliveries`). */
  | { claimed: false; reason: "relayed" };

/**
 * Claims one delivery for an attempt if it is due and nobody else holds it, returning what the attempt
 * needs. The claim is one UPDATE, so of two callers racing for the same delivery only one wins.
 */
export async function claimDelivery(db: PrismaClient, deliveryId: string, now: Date): Promise<DeliveryClaim> {
  const dueBy = new Date(now.getTime() + DUE_TOLERANCE_MS);
  const rows = await plainQueryFor(db)<DeliveryContext>(Prisma.sql`
    WITH claimed AS (
      UPDATE "Delivery" d
      SET status = 'delivering', "lockedUntil" = ${leaseUntil(now)}, "updatedAt" = ${at(now)}
      FROM "Hook" h
      WHERE d.id = ${deliveryId} AND h.id = d."hookId" AND NOT d.relay AND ${fromStates("claim", "d", now)}
        AND (d."nextAttemptAt" IS NULL OR d."nextAttemptAt" <= ${at(dueBy)})
      RETURNING d.*
    )
    SELECT ${DELIVERY_CONTEXT_COLUMNS}
    FROM claimed c
    JOIN "Event" e ON e.id = c."eventId"
    JOIN "Listener" l ON l.id = c."listenerId"
    JOIN "Hook" h ON h.id = c."hookId"`);
  const context = rows[0];
  if (context) return { claimed: true, context: openListenerSecrets(context) };
  return whyNotClaimed(db, deliveryId, now);
}

async function whyNotClaimed(db: PrismaClient, deliveryId: string, now: Date): Promise<DeliveryClaim> {
  const delivery = await db.delivery.findUnique({
    where: { id: deliveryId },
    select: { status: true, nextAttemptAt: true, lockedUntil: true, relay: true },
  });
  if (!delivery) return { claimed: false, reason: "not-found" };
  if (delivery.relay) return { claimed: false, reason: "relayed" };
  if (delivery.status === "succeeded" || delivery.status === "failed") {
    return { claimed: false, reason: "finished", status: delivery.status };
  }
  if (delivery.lockedUntil && delivery.lockedUntil > now)
    return { claimed: false, reason: "leased", at: delivery.lockedUntil };
  // Due but unclaimed means the row changed between the two reads; looking again at once settles it.
  return { claimed: false, reason: "not-due", at: delivery.nextAttemptAt ?? now };
}

export interface ClaimDueDeliveriesInput {
  /** How many deliveries to claim at most (the runner's free slots). */
  limit: number;
  /** Deliveries this runner has in flight per listener; the most one may have, unless `limits` says less. */
  listeners: { inFlight: ReadonlyMap<string, number>; limit: number; limits?: ReadonlyMap<string, number> };
  /** Deliveries this runner has in flight per project, and the most one project may have. */
  projects: { inFlight: ReadonlyMap<string, number>; limit: number };
  now: Date;
}

/**
 * Due deliveries are looked at in this multiple of `limit`, oldest first, so a listener with a backlog
 * at its limit does not keep the others waiting behind it. (Ordered by due time alone, so the index
 * serves the order: a fan-out makes thousands of deliveries due at the same instant.)
 */
const SCAN_FACTOR = 4;
const MIN_SCAN = 100;
/** Projects whose earliest due deliveries join every claim's candidates, whatever the oldest backlog. */
const MAX_PROJECTS_PER_CLAIM = 200;

/**
 * Claims up to `limit` due deliveries in one statement. Candidates are the oldest due deliveries plus
 * each project's earliest due one (found by a skip scan of (status, projectId, nextAttemptAt)), so a
 * project's large backlog cannot hide another project's new delivery. They are taken in turns across
 * projects (each project's first, then each one's second …), oldest first within a turn, never taking
 * a listener or a project past its limit in flight. Each becomes `delivering` with a lease for its
 * hook's timeout plus a margin. The chosen rows are locked `FOR UPDATE SKIP LOCKED`, so concurrent
 * claimers pass each other without waiting or taking the same row.
 */
export async function claimDueDeliveries(
  db: PrismaClient,
  input: ClaimDueDeliveriesInput,
): Promise<DueClaim> {
  if (input.limit <= 0) return { claimed: [], contended: false };
  const rows = await claimDueRows(db, input);
  const claimed = withSharedPayloads(rows.filter((row) => row.deliveryId !== null)).map((row) =>
    openListenerSecrets(row),
  );
  const chosen = rows[0]?.chosen ?? 0;
  return { claimed, contended: claimed.length < input.limit && chosen > claimed.length };
}

export interface DueClaim {
  claimed: DeliveryContext[];
  /**
   * Another runner took some of the deliveries this claim chose, at the same moment, and this one came
   * back short for that alone: more is due than it got, so the caller should claim again soon rather
   * than wait for its next poll. (Two runners told of the same fan-out choose the same rows.)
   */
  contended: boolean;
}

/** A claimed row, or (`deliveryId` null) the one row saying nothing was; `chosen` on each. */
type DueClaimRow = ClaimContextRow & { chosen: number };

async function claimDueRows(db: PrismaClient, input: ClaimDueDeliveriesInput): Promise<DueClaimRow[]> {
  // Without bitmap scans, so that the oldest due deliveries and each project's earliest are read in
  // due order from the partial indexes, never all of them sorted, however stale the statistics.
  return noBitmapScanQueryFor(db)<DueClaimRow>(dueClaimStatement(input));
}

/** The statement of `claimDueDeliveries` (exported for the test of its plan). */
export function dueClaimStatement(input: ClaimDueDeliveriesInput): Prisma.Sql {
  const { limit, listeners, projects, now } = input;
  const [busyListenerIds, busyListenerRoom] = roomLeft(listeners.inFlight, listeners.limit, listeners.limits);
  const [busyProjectIds, busyProjectRoom] = roomLeft(projects.inFlight, projects.limit);
  const fullListenerIds = busyListenerIds.filter((_, index) => busyListenerRoom[index]! <= 0);
  const fullProjectIds = busyProjectIds.filter((_, index) => busyProjectRoom[index]! <= 0);
  const scan = Math.max(limit * SCAN_FACTOR, MIN_SCAN);
  // "NOT relay" is part of the partial indexes' condition: relay deliveries are not even in them.
  const pending = Prisma.sql`d.status = 'pending' AND NOT d.relay`;
  const due = Prisma.sql`${pending} AND d."nextAttemptAt" <= ${at(now)}`;
  return Prisma.sql`
    WITH RECURSIVE pending_projects AS (
      (SELECT d."projectId" FROM "Delivery" d WHERE ${pending} ORDER BY d."projectId" LIMIT 1)
      UNION ALL
      SELECT (SELECT d."projectId" FROM "Delivery" d
              WHERE ${pending} AND d."projectId" > p."projectId" ORDER BY d."projectId" LIMIT 1)
      FROM pending_projects p WHERE p."projectId" IS NOT NULL
    ), oldest AS (
      SELECT d.id, d."projectId", d."listenerId", d."nextAttemptAt" FROM "Delivery" d
      WHERE ${due} ORDER BY d."nextAttemptAt" LIMIT ${scan}
    ), candidates AS (
      SELECT * FROM oldest
      UNION ALL
      -- Heads only of projects none of the oldest belongs to: no delivery is a candidate twice, and
      -- no duplicates are removed (hashing every candidate took a third of choosing them).
      SELECT head.* FROM (SELECT "projectId" FROM pending_projects WHERE "projectId" IS NOT NULL
                            AND "projectId" NOT IN (SELECT "projectId" FROM oldest)
                          LIMIT ${MAX_PROJECTS_PER_CLAIM}) p
      CROSS JOIN LATERAL (
        SELECT d.id, d."projectId", d."listenerId", d."nextAttemptAt" FROM "Delivery" d
        WHERE d."projectId" = p."projectId" AND ${due}
        ORDER BY d."nextAttemptAt" LIMIT 1
      ) head
    ), eligible AS (
      SELECT * FROM candidates
      WHERE "listenerId" <> ALL(${fullListenerIds}::text[]) AND "projectId" <> ALL(${fullProjectIds}::text[])
    ), ranked AS (
      SELECT e.id, e."nextAttemptAt",
        row_number() OVER (PARTITION BY e."listenerId" ORDER BY e."nextAttemptAt", e.id) AS listener_turn,
        COALESCE(lr.room, ${listeners.limit}) AS listener_room,
        row_number() OVER (PARTITION BY e."projectId" ORDER BY e."nextAttemptAt", e.id) AS project_turn,
        COALESCE(pr.room, ${projects.limit}) AS project_room
      FROM eligible e
      LEFT JOIN unnest(${busyListenerIds}::text[], ${busyListenerRoom}::int[]) AS lr(id, room) ON lr.id = e."listenerId"
      LEFT JOIN unnest(${busyProjectIds}::text[], ${busyProjectRoom}::int[]) AS pr(id, room) ON pr.id = e."projectId"
    ), chosen AS (
      SELECT id, project_turn, "nextAttemptAt" FROM ranked
      WHERE listener_turn <= listener_room AND project_turn <= project_room
    ), locked AS (
      -- The first "limit" of the chosen rows, in turn order, that nobody else holds: a runner claiming
      -- at the same moment takes the next ones rather than nothing, and any subset of the chosen keeps
      -- every listener and project within its room. LATERAL looks each one up by key, in that order,
      -- whatever the statistics say (they lag behind a backlog, and a join was then planned from
      -- every due row).
      SELECT row.id FROM (SELECT * FROM chosen ORDER BY project_turn, "nextAttemptAt", id) c
      CROSS JOIN LATERAL (
        SELECT d.id FROM "Delivery" d
        WHERE d.id = c.id AND ${due} AND ${fromStates("claim", "d", now)}
        FOR UPDATE SKIP LOCKED
      ) row
      LIMIT ${limit}
    ), ${leaseLockedRows(now)}
    SELECT s.chosen, ${CLAIM_CONTEXT_COLUMNS}
    FROM (SELECT count(*)::int AS chosen FROM chosen) s
    LEFT JOIN (${claimedWithContext}) ON TRUE
    ORDER BY c."nextAttemptAt", c.id`;
}

/**
 * Claims up to `limit` due deliveries of one relay listener for the CLI's stream (src/server/relay),
 * oldest first: pending ones that are due, and those whose earlier hand-out was never reported and
 * whose lease ran out. The same claim transition and lease as a runner's claim; `FOR UPDATE SKIP
 * LOCKED`, so two streams of the same listener (on one server or several) never take the same one.
 */
export async function claimRelayDeliveries(
  db: PrismaClient,
  { listenerId, limit, now }: { listenerId: string; limit: number; now: Date },
): Promise<DeliveryContext[]> {
  if (limit <= 0) return [];
  const rows = await noBitmapScanQueryFor(db)<ClaimContextRow>(Prisma.sql`
    WITH candidates AS (
      -- Two ordered range reads (the relay's partial index, the expired leases'), not one OR: an
      -- OR made a bitmap of every waiting delivery of the listener, sorted at each poll.
      (SELECT d.id, d."nextAttemptAt" FROM "Delivery" d
       WHERE d."listenerId" = ${listenerId} AND d.relay AND d.status = 'pending' AND d."nextAttemptAt" <= ${at(now)}
       ORDER BY d."nextAttemptAt" LIMIT ${limit})
      UNION ALL
      (SELECT d.id, d."nextAttemptAt" FROM "Delivery" d
       WHERE d.status = 'delivering' AND d."lockedUntil" <= ${at(now)} AND d."listenerId" = ${listenerId} AND d.relay
       ORDER BY d."lockedUntil" LIMIT ${limit})
    ), locked AS (
      SELECT d.id FROM candidates c JOIN "Delivery" d ON d.id = c.id
      WHERE ${fromStates("claim", "d", now)}
      ORDER BY c."nextAttemptAt", c.id
      LIMIT ${limit}
      FOR UPDATE OF d SKIP LOCKED
    ), ${leaseLockedRows(now)}
    SELECT ${CLAIM_CONTEXT_COLUMNS} FROM ${claimedWithContext}
    ORDER BY c."nextAttemptAt", c.id`);
  return withSharedPayloads(rows).map((context) => openListenerSecrets(context));
}

/**
 * The CTE `claimed` ending a batch claim, after a CTE `locked` of the ids it took: each becomes
 * `delivering` with a lease for its hook's timeout plus the margin.
 */
function leaseLockedRows(now: Date): Prisma.Sql {
  return Prisma.sql`claimed AS (
      UPDATE "Delivery" d
      SET status = 'delivering', "lockedUntil" = ${leaseUntil(now)}, "updatedAt" = ${at(now)}
      FROM locked, "Hook" h
      WHERE d.id = locked.id AND h.id = d."hookId"
      RETURNING d.*
    )`;
}

/**
 * The claimed deliveries `c` with what their attempts need (for CLAIM_CONTEXT_COLUMNS), each looked
 * up by key: joined, they were planned from the planner's guess at the claim's size, and a guess of
 * 50 read every listener of the table into a hash for each claim.
 */
const claimedWithContext = Prisma.sql`claimed c
    CROSS JOIN LATERAL (SELECT * FROM "Event" WHERE id = c."eventId" LIMIT 1) e
    CROSS JOIN LATERAL (SELECT * FROM "Listener" WHERE id = c."listenerId" LIMIT 1) l
    CROSS JOIN LATERAL (SELECT * FROM "Hook" WHERE id = c."hookId" LIMIT 1) h`;

/** Ids with work in flight or a limit of their own, and how many more each may take. */
function roomLeft(
  inFlight: ReadonlyMap<string, number>,
  limit: number,
  limits: ReadonlyMap<string, number> = new Map(),
): [string[], number[]] {
  const ids = [...new Set([...inFlight.keys(), ...limits.keys()])];
  return [ids, ids.map((id) => (limits.get(id) ?? limit) - (inFlight.get(id) ?? 0))];
}

// record ------------------------------------------------------------------------------------------

/** One attempt to write: its row, and the delivery's state after it. */
export interface AttemptToRecord {
  attempt: Prisma.DeliveryAttemptCreateManyInput;
  transition: "succeed" | "reschedule" | "fail";
  /** The delivery's listener and hook (which never change), for the rollups. */
  listenerId: string;
  hookId: string;
  now: Date;
}

const STATUS_AFTER = {
  succeed: DELIVERY_TRANSITIONS.succeed.to,
  reschedule: DELIVERY_TRANSITIONS.reschedule.to,
  fail: DELIVERY_TRANSITIONS.fail.to,
} as const;

export function statusAfter(transition: AttemptToRecord["transition"]): "succeeded" | "pending" | "failed" {
  return STATUS_AFTER[transition];
}

/**
 * The attempt rows, the deliveries' new state (their leases end), the hourly rollups the dashboard's
 * charts read, and the reset of the failure counts of listeners that succeeded, in one statement: one
 * round trip and one commit for many attempts.
 * An attempt number is unique per delivery, so if two runners ever attempted a delivery at once only
 * the first record lands and the statement fails with a unique violation.
 */
export async function recordAttempts(db: Db, records: readonly AttemptToRecord[]): Promise<void> {
  if (records.length === 0) return;
  const timestamp = (date: Date | string | null | undefined) =>
    date === null || date === undefined ? null : new Date(date).toISOString();
  const json = (value: unknown) =>
    value === null || value === undefined || value === Prisma.DbNull ? null : value;
  const succeededListenerIds = [
    ...new Set(
      records.filter((record) => record.transition === "succeed").map((record) => record.listenerId),
    ),
  ];
  // The batch travels as one JSON document, not a typed array per column: serializing seventeen
  // arrays (pg escapes every element) cost the runner more than the statement cost the database.
  const input = JSON.stringify(
    records.map(({ attempt, transition, listenerId, hookId, now }) => ({
      id: newRecordId(),
      delivery_id: attempt.deliveryId,
      project_id: attempt.projectId,
      listener_id: listenerId,
      hook_id: hookId,
      number: attempt.number,
      started_at: timestamp(attempt.startedAt),
      duration_ms: attempt.durationMs,
      request_url: attempt.requestUrl,
      request_headers: json(attempt.requestHeaders),
      body_envelope: attempt.bodyEnvelope ?? false,
      body_config: attempt.bodyConfig ?? null,
      response_status: attempt.responseStatus ?? null,
      response_headers: json(attempt.responseHeaders),
      response_body: attempt.responseBody ?? null,
      error_class: attempt.errorClass ?? null,
      error_message: attempt.errorMessage ?? null,
      next_attempt_at: timestamp(attempt.nextAttemptAt),
      status: statusAfter(transition),
      recorded_at: timestamp(now),
    })),
  );
  await plainQueryFor(db)(Prisma.sql`
    WITH input AS (
      SELECT * FROM json_to_recordset(${input}::json) AS i(id text, delivery_id text, project_id text,
        listener_id text, hook_id text, number int,
        started_at timestamp(3), duration_ms int, request_url text, request_headers jsonb, body_envelope boolean, body_config text,
        response_status int, response_headers jsonb, response_body text, error_class text, error_message text,
        next_attempt_at timestamp(3), status text, recorded_at timestamp(3))
    ), attempts AS (
      INSERT INTO "DeliveryAttempt" (id, "deliveryId", "projectId", number, "startedAt", "durationMs", "requestUrl",
        "requestHeaders", "bodyEnvelope", "bodyConfig", "responseStatus", "responseHeaders", "responseBody", "errorClass",
        "errorMessage", "nextAttemptAt", "createdAt")
      SELECT id, delivery_id, project_id, number, started_at, duration_ms, request_url, request_headers, body_envelope,
        body_config, response_status, response_headers, response_body, error_class, error_message, next_attempt_at, recorded_at
      FROM input
    ), deliveries AS (
      UPDATE "Delivery" d
      SET status = i.status::"DeliveryStatus", "attemptCount" = i.number, "nextAttemptAt" = i.next_attempt_at,
        "lockedUntil" = NULL, "lastAttemptAt" = i.started_at, "lastStatusCode" = i.response_status,
        "updatedAt" = i.recorded_at
      FROM input i
      -- By key: the planner cannot tell how many rows the JSON holds, and guessing 100 it read every
      -- delivery of a small table to join them.
      WHERE d.id = ANY(${records.map((record) => record.attempt.deliveryId)}::text[]) AND d.id = i.delivery_id
    ), rollups AS (${addToAttemptRollups(Prisma.sql`input`)})
    -- A success ends a listener's run of failures; only listeners that had one are written.
    UPDATE "Listener" SET "consecutiveFailures" = 0, "updatedAt" = ${timestamp(records[0]!.now)}::timestamp(3)
    WHERE id = ANY(${succeededListenerIds}::text[]) AND "consecutiveFailures" <> 0`);
}

// hand back, expire -------------------------------------------------------------------------------

/**
 * Hands back deliveries this runner claimed but did not finish (it is stopping), for any runner to
 * claim at once. Only claims still under this runner's lease are handed back: one whose lease ran out
 * meanwhile may have been claimed by another runner, and releasing that claim would let a third send
 * it again.
 */
export async function handBackClaims(
  db: PrismaClient,
  claims: readonly Pick<DeliveryContext, "deliveryId" | "lockedUntil">[],
  now: Date,
): Promise<number> {
  if (claims.length === 0) return 0;
  return db.$executeRaw`
    -- updatedAt too: the dashboard's live log follows changes by it.
    UPDATE "Delivery" d SET status = 'pending', "lockedUntil" = NULL, "updatedAt" = ${at(now)}
    FROM unnest(${claims.map((claim) => claim.deliveryId)}::text[],
                ${claims.map((claim) => claim.lockedUntil.toISOString())}::timestamp(3)[]) AS c(id, locked_until)
    WHERE d.id = c.id AND d."lockedUntil" = c.locked_until AND ${fromStates("handBack", "d", now)}`;
}

/**
 * Deliveries left `delivering` by a runner that stopped mid-attempt (crash, kill -9, lost database
 * connection) go back to `pending` once their lease has expired; their `nextAttemptAt` is already past,
 * so the next claim attempts them again with the same webhook-id. Returns how many were released.
 */
export async function expireLeases(db: PrismaClient, now: Date): Promise<number> {
  return db.$executeRaw`
    UPDATE "Delivery" d
    SET status = 'pending', "lockedUntil" = NULL, "nextAttemptAt" = COALESCE(d."nextAttemptAt", ${at(now)}),
      "updatedAt" = ${at(now)}
    WHERE d.status = 'delivering' AND ${fromStates("expireLease", "d", now)}`;
}

// a user's retry and recover; a runner giving up ----------------------------------------------------

/**
 * One more attempt of a delivery, due now, with the same webhook-id. False when it is not the
 * project's, or a runner is attempting it right now under a live lease.
 */
export async function retryDelivery(
  db: PrismaClient,
  { projectId, deliveryId, now }: { projectId: string; deliveryId: string; now: Date },
): Promise<boolean> {
  const changed = await db.$executeRaw`
    UPDATE "Delivery" d SET status = 'pending', "nextAttemptAt" = ${at(now)}, "lockedUntil" = NULL, "updatedAt" = ${at(now)}
    WHERE d.id = ${deliveryId} AND d."projectId" = ${projectId} AND ${fromStates("retry", "d", now)}`;
  return changed > 0;
}

/** Every failed delivery of a listener created since `since`, due again now; returns their ids. */
export async function recoverDeliveries(
  db: PrismaClient,
  input: { projectId: string; listenerId: string; since: Date; now: Date },
): Promise<string[]> {
  const { projectId, listenerId, since, now } = input;
  const rows = await db.$queryRaw<{ id: string }[]>`
    UPDATE "Delivery" d SET status = 'pending', "nextAttemptAt" = ${at(now)}, "lockedUntil" = NULL, "updatedAt" = ${at(now)}
    WHERE d."projectId" = ${projectId} AND d."listenerId" = ${listenerId} AND d."createdAt" >= ${at(since)}
      AND ${fromStates("recover", "d", now)}
    RETURNING d.id`;
  return rows.map((row) => row.id);
}

/**
 * Ends a delivery as failed when the runner itself gave up on it (for example the Inngest function
 * ran out of retries because the database was unreachable), so it does not stay `pending` forever
 * with nobody scheduled to attempt it. Returns whether the delivery changed. Its attempts keep the
 * record of what happened; it can be retried.
 */
export async function giveUpDelivery(
  db: PrismaClient,
  deliveryId: string,
  now: Date = new Date(),
): Promise<boolean> {
  const changed = await db.$executeRaw`
    UPDATE "Delivery" d SET status = 'failed', "nextAttemptAt" = NULL, "lockedUntil" = NULL, "updatedAt" = ${at(now)}
    WHERE d.id = ${deliveryId} AND ${fromStates("giveUp", "d", now)}`;
  return changed > 0;
}
