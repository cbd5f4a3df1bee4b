import { setTimeout as sleep } from "node:timers/promises";
import { projectPayload, unknownPayloadFields } from "@/core/payload/project";
import { Prisma, type DeliveryStatus, type PrismaClient } from "@/generated/prisma/client";
import { getDb, plainQueryFor } from "@/server/db/client";
import { filterMatching, findMatchingListeners } from "@/server/matching/find-matching-listeners";
import {
  idempotencyKeySchema,
  sendEventSchema,
  waitSecondsSchema,
  type SendEventInput,
} from "@/server/rest/schemas/events";
import { type RecoverDeliveriesInput, recoverDeliveriesSchema } from "@/server/rest/schemas/listeners";
import { getRunner } from "@/server/runner";
import type { DeliveryRunner } from "@/server/runner/port";
import { ConflictError, NotFoundError, ValidationError } from "./errors";
import { type DeliveryRecord, toDeliveryRecord } from "./deliveries-read";
import { newId } from "./ids";
import { assertSameRequest, eventRequestHash } from "./idempotency";
import { type IngestPlan, ingestPlanFor } from "./ingest-plan";
import { isForeignKeyViolation, isUniqueViolation } from "./prisma-errors";
import { parseInput } from "./validation";

/** An Idempotency-Key repeated within this window gets the first answer; later it starts afresh. */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;
/**
 * Matching and storing are tried again when the hook or its listeners changed in between; the last
 * try matches in the database, so that a hook whose listeners change constantly still takes events.
 */
const MAX_ACCEPT_ATTEMPTS = 3;
/** How often `?wait=` looks at the deliveries again. */
export const WAIT_POLL_INTERVAL_MS = 50;

export interface EventServiceDeps {
  db?: PrismaClient;
  /** Told about new and retried deliveries; the configured runner by default. */
  runner?: DeliveryRunner;
  now?: () => Date;
}

export interface SendEventOptions {
  /** The `Idempotency-Key` header. */
  idempotencyKey?: string | null;
  /** `?wait=`: seconds (0–30) to wait for each delivery's first outcome. */
  waitSeconds?: number | string | null;
  /** Stops waiting when the client goes away. */
  signal?: AbortSignal;
}

export interface DeliveryOutcome {
  id: string;
  listenerId: string;
  status: DeliveryStatus;
  attemptCount: number;
  firstAttempt: {
    responseStatus: number | null;
    errorClass: string | null;
    errorMessage: string | null;
    durationMs: number;
  } | null;
}

export interface SendEventResult {
  eventId: string;
  matched: number;
  /** With `waitSeconds`: each delivery's first outcome (null where none arrived in time). */
  deliveries?: DeliveryOutcome[];
}

export interface SendEventOutcome {
  result: SendEventResult;
  /** True when an earlier request with the same Idempotency-Key already did the work. */
  repeated: boolean;
}

async function resolveRunner(deps: EventServiceDeps): Promise<DeliveryRunner> {
  return deps.runner ?? getRunner();
}

/** Tells the runner; a failure is logged, not raised: the deliveries are stored and will be found. */
async function notifyRunner(
  deps: EventServiceDeps,
  notify: (runner: DeliveryRunner) => Promise<void>,
): Promise<void> {
  try {
    await notify(await resolveRunner(deps));
  } catch (error) {
    console.error(
      "durian: could not notify the delivery runner; stored deliveries wait for its next poll",
      error,
    );
  }
}

/**
 * Accepts an event: checks the payload against the hook's providesArgs (unknown fields are refused,
 * not dropped, so a sender learns its mistake), stores the projected payload and one pending
 * delivery per matching listener in one transaction, then tells the runner.
 */
export async function sendEvent(
  projectId: string,
  hookName: string,
  input: SendEventInput,
  options: SendEventOptions = {},
  deps: EventServiceDeps = {},
): Promise<SendEventOutcome> {
  const db = deps.db ?? getDb();
  const now = deps.now ?? (() => new Date());
  const { payload, sender } = parseInput(sendEventSchema, input);
  const idempotencyKey =
    options.idempotencyKey == null
      ? null
      : parseInput(idempotencyKeySchema, options.idempotencyKey, ["Idempotency-Key"]);
  const waitSeconds =
    options.waitSeconds == null ? null : parseInput(waitSecondsSchema, options.waitSeconds, ["wait"]);
  const waitUntil = waitSeconds === null ? null : Date.now() + waitSeconds * 1000;
  const requestHash = idempotencyKey === null ? null : eventRequestHash(payload, sender);

  if (idempotencyKey !== null) {
    const earlier = await earlierEventFor(db, projectId, idempotencyKey, now());
    if (earlier) assertSameRequest(earlier, requestHash);
    if (earlier) return { result: await firstAnswer(db, earlier, waitUntil, options.signal), repeated: true };
  }

  const eventId = newId();
  let deliveryIds: string[] = [];
  let reload = false;
  for (let attempt = 1; ; attempt++) {
    const plan = await ingestPlanFor(db, projectId, hookName, { reload });
    if (!plan) throw new NotFoundError(`Hook "${hookName}"`);
    const { hook } = plan;
    let projected: Record<string, unknown>;
    try {
      projected = checkedPayload(hook, payload);
    } catch (error) {
      // The hook may have gained these fields since the plan was made: only a fresh plan may refuse.
      if (reload || !(error instanceof ValidationError)) throw error;
      reload = true;
      continue;
    }
    const inMemory = plan.listeners !== null && attempt < MAX_ACCEPT_ATTEMPTS;
    const listeners = await matchingListeners(db, plan, projected, inMemory);
    deliveryIds = listeners.map(() => newId());
    let stored: boolean;
    try {
      stored = await insertEventWithDeliveries(db, {
        eventId,
        projectId,
        hook,
        // Listeners matched in the database are current; in-memory ones must still be.
        expectedVersion: inMemory ? plan.version : null,
        payload: projected,
        sender: sender ?? null,
        idempotencyKey,
        requestHash,
        acceptedAt: now(),
        deliveries: listeners.map((listener, index) => ({
          id: deliveryIds[index]!,
          listenerId: listener.id,
        })),
      });
    } catch (error) {
      // A matched listener was deleted meanwhile: look again.
      if (isForeignKeyViolation(error) && attempt < MAX_ACCEPT_ATTEMPTS) {
        reload = true;
        continue;
      }
      if (idempotencyKey === null || !isUniqueViolation(error)) throw error;
      // A concurrent request with the same key committed first: answer as it did.
      const winner = await db.event.findUnique({
        where: { projectId_idempotencyKey: { projectId, idempotencyKey } },
      });
      if (!winner) throw error;
      assertSameRequest(winner, requestHash);
      return { result: await firstAnswer(db, winner, waitUntil, options.signal), repeated: true };
    }
    if (stored) break;
    // The hook was deleted, or it or its listeners changed since the plan was made: nothing was stored.
    reload = true;
  }

  if (deliveryIds.length > 0) {
    await notifyRunner(deps, (runner) => runner.deliveriesCreated({ projectId, eventId, deliveryIds }));
  }
  const result: SendEventResult = { eventId, matched: deliveryIds.length };
  if (waitUntil !== null)
    result.deliveries = await waitForFirstOutcomes(db, deliveryIds, waitUntil, options.signal);
  return { result, repeated: false };
}

/** A disabled hook still records its events (they can be replayed later) but delivers nothing. */
async function matchingListeners(
  db: PrismaClient,
  plan: IngestPlan,
  payload: Record<string, unknown>,
  inMemory: boolean,
): Promise<{ id: string }[]> {
  if (!plan.hook.enabled) return [];
  if (inMemory) return filterMatching(plan.listeners!, payload);
  return findMatchingListeners(db, plan.hook.id, payload);
}

interface NewEvent {
  eventId: string;
  projectId: string;
  hook: { id: string; name: string };
  /** Store only while the hook's ingestVersion is this; null: whatever it is, as long as the hook exists. */
  expectedVersion: number | null;
  payload: Record<string, unknown>;
  sender: string | null;
  idempotencyKey: string | null;
  requestHash: string | null;
  acceptedAt: Date;
  deliveries: { id: string; listenerId: string }[];
}

/**
 * The event and its pending deliveries in one statement, so one round trip and all or nothing; false
 * when nothing was stored because the hook is gone or no longer at the expected version. The first
 * deliveries share the event's timestamp: that is how a repeated Idempotency-Key recounts them.
 */
async function insertEventWithDeliveries(db: PrismaClient, event: NewEvent): Promise<boolean> {
  const { eventId, projectId, hook } = event;
  // Columns are UTC wall-clock `timestamp(3)`; sent as ISO text so no driver applies a local offset.
  const acceptedAt = Prisma.sql`(${event.acceptedAt.toISOString()}::timestamptz AT TIME ZONE 'UTC')::timestamp(3)`;
  const [row] = await plainQueryFor(db)<{ stored: boolean }>(Prisma.sql`
    WITH planned AS (
      SELECT 1 FROM "Hook"
      WHERE id = ${hook.id} AND (${event.expectedVersion}::int IS NULL OR "ingestVersion" = ${event.expectedVersion}::int)
    ), event AS (
      INSERT INTO "Event" (id, "projectId", "hookId", "hookName", payload, sender, "idempotencyKey", "requestHash", "createdAt")
      SELECT ${eventId}, ${projectId}, ${hook.id}, ${hook.name}, ${JSON.stringify(event.payload)}::jsonb,
             ${event.sender}, ${event.idempotencyKey}, ${event.requestHash}, ${acceptedAt}
      FROM planned
      RETURNING id
    ), deliveries AS (
      INSERT INTO "Delivery" (id, "projectId", "eventId", "listenerId", "hookId", status, "nextAttemptAt", "createdAt", "updatedAt")
      SELECT d.id, ${projectId}, event.id, d.listener_id, ${hook.id}, 'pending', ${acceptedAt}, ${acceptedAt}, ${acceptedAt}
      FROM event, unnest(${event.deliveries.map((delivery) => delivery.id)}::text[],
                         ${event.deliveries.map((delivery) => delivery.listenerId)}::text[]) AS d(id, listener_id)
    )
    SELECT EXISTS (SELECT 1 FROM event) AS stored`);
  return row?.stored === true;
}

/** The payload projected to the hook's fields; unknown fields are refused, not dropped, so a sender learns its mistake. */
function checkedPayload(hook: { name: string; providesArgs: string[] }, payload: Record<string, unknown>) {
  const unknown = unknownPayloadFields(payload, hook.providesArgs);
  if (unknown.length > 0) {
    const provided =
      hook.providesArgs.length > 0 ? `it provides ${hook.providesArgs.join(", ")}` : "it provides no fields";
    throw new ValidationError(
      unknown.map((field) => ({
        path: `payload.${field}`,
        message: `hook "${hook.name}" does not provide "${field}" (${provided})`,
      })),
    );
  }
  return projectPayload(payload, hook.providesArgs);
}

type EventKeyRow = { id: string; createdAt: Date };

/** The event an Idempotency-Key already produced within the window; an expired key is released. */
async function earlierEventFor(db: PrismaClient, projectId: string, idempotencyKey: string, now: Date) {
  const earlier = await db.event.findUnique({
    where: { projectId_idempotencyKey: { projectId, idempotencyKey } },
    select: { id: true, createdAt: true, requestHash: true },
  });
  if (!earlier) return null;
  if (now.getTime() - earlier.createdAt.getTime() < IDEMPOTENCY_WINDOW_MS) return earlier;
  await db.event.updateMany({ where: { id: earlier.id, idempotencyKey }, data: { idempotencyKey: null } });
  return null;
}

async function firstAnswer(
  db: PrismaClient,
  event: EventKeyRow,
  waitUntil: number | null,
  signal: AbortSignal | undefined,
): Promise<SendEventResult> {
  const first = await db.delivery.findMany({
    where: { eventId: event.id, createdAt: event.createdAt },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  const result: SendEventResult = { eventId: event.id, matched: first.length };
  if (waitUntil !== null) {
    result.deliveries = await waitForFirstOutcomes(
      db,
      first.map((delivery) => delivery.id),
      waitUntil,
      signal,
    );
  }
  return result;
}

function hasFirstOutcome(delivery: { status: DeliveryStatus; attemptCount: number }): boolean {
  return delivery.attemptCount > 0 || delivery.status === "succeeded" || delivery.status === "failed";
}

/** Polls until every delivery has made its first attempt, the deadline passes or the client leaves. */
async function waitForFirstOutcomes(
  db: PrismaClient,
  deliveryIds: string[],
  waitUntil: number,
  signal: AbortSignal | undefined,
): Promise<DeliveryOutcome[]> {
  const select = { id: true, listenerId: true, status: true, attemptCount: true } as const;
  let deliveries = await db.delivery.findMany({
    where: { id: { in: deliveryIds } },
    select,
    orderBy: { id: "asc" },
  });
  while (!deliveries.every(hasFirstOutcome) && Date.now() < waitUntil && !signal?.aborted) {
    await sleep(Math.min(WAIT_POLL_INTERVAL_MS, Math.max(0, waitUntil - Date.now())));
    deliveries = await db.delivery.findMany({
      where: { id: { in: deliveryIds } },
      select,
      orderBy: { id: "asc" },
    });
  }
  const firstAttempts = await db.deliveryAttempt.findMany({
    where: { deliveryId: { in: deliveryIds }, number: 1 },
    select: {
      deliveryId: true,
      responseStatus: true,
      errorClass: true,
      errorMessage: true,
      durationMs: true,
    },
  });
  const attemptByDelivery = new Map(firstAttempts.map(({ deliveryId, ...attempt }) => [deliveryId, attempt]));
  return deliveries.map((delivery) => ({
    ...delivery,
    firstAttempt: attemptByDelivery.get(delivery.id) ?? null,
  }));
}

/**
 * Matches a stored event again against today's listeners and creates a new delivery for each match
 * (earlier deliveries stay as they were).
 */
export async function replayEvent(
  projectId: string,
  eventId: string,
  deps: EventServiceDeps = {},
): Promise<{ eventId: string; matched: number; deliveryIds: string[] }> {
  const db = deps.db ?? getDb();
  const event = await db.event.findFirst({ where: { id: eventId, projectId }, include: { hook: true } });
  if (!event) throw new NotFoundError("Event");
  const { hook } = event;
  // Fields the hook no longer provides take no part in matching.
  const payload = projectPayload(event.payload as Record<string, unknown>, hook.providesArgs);
  const listeners = hook.enabled ? await findMatchingListeners(db, hook.id, payload) : [];
  if (listeners.length === 0) return { eventId, matched: 0, deliveryIds: [] };

  const now = (deps.now ?? (() => new Date()))();
  const created = await db.delivery.createManyAndReturn({
    data: listeners.map((listener) => ({
      projectId,
      eventId,
      listenerId: listener.id,
      hookId: hook.id,
      status: "pending" as const,
      nextAttemptAt: now,
      createdAt: now,
    })),
    select: { id: true },
  });
  const deliveryIds = created.map((delivery) => delivery.id);
  await notifyRunner(deps, (runner) => runner.deliveriesCreated({ projectId, eventId, deliveryIds }));
  return { eventId, matched: deliveryIds.length, deliveryIds };
}

/**
 * Schedules one more attempt of a delivery, due now, with the same webhook-id. Refused (409) while a
 * runner is attempting it, unless that runner's claim has expired.
 */
export async function retryDelivery(
  projectId: string,
  deliveryId: string,
  deps: EventServiceDeps = {},
): Promise<DeliveryRecord> {
  const db = deps.db ?? getDb();
  const now = (deps.now ?? (() => new Date()))();
  const { count } = await db.delivery.updateMany({
    where: {
      id: deliveryId,
      projectId,
      OR: [{ status: { not: "delivering" } }, { lockedUntil: null }, { lockedUntil: { lt: now } }],
    },
    data: { status: "pending", nextAttemptAt: now, lockedUntil: null },
  });
  if (count === 0) {
    const exists = await db.delivery.findFirst({
      where: { id: deliveryId, projectId },
      select: { id: true },
    });
    if (!exists) throw new NotFoundError("Delivery");
    throw new ConflictError("The delivery is being attempted right now; retry it once that attempt is over");
  }
  await notifyRunner(deps, (runner) => runner.retryRequested({ projectId, deliveryIds: [deliveryId] }));
  const delivery = await db.delivery.findUniqueOrThrow({
    where: { id: deliveryId },
    include: { listener: { select: { url: true } } },
  });
  return toDeliveryRecord(delivery);
}

/**
 * Attempts again, now, every failed delivery of the listener created since `since`, each with its own
 * webhook-id: what a receiver's owner wants once an outage is over (Svix calls it "recover"). The
 * listener must be enabled, or the attempts would fail again at once without being sent.
 */
export async function recoverFailedDeliveries(
  projectId: string,
  listenerId: string,
  input: RecoverDeliveriesInput,
  deps: EventServiceDeps = {},
): Promise<{ recovered: number }> {
  const db = deps.db ?? getDb();
  const { since } = parseInput(recoverDeliveriesSchema, input);
  const listener = await db.listener.findFirst({
    where: { id: listenerId, projectId },
    select: { enabled: true },
  });
  if (!listener) throw new NotFoundError("Listener");
  if (!listener.enabled) {
    throw new ConflictError("The listener is disabled; enable it before recovering its failed deliveries");
  }
  const now = (deps.now ?? (() => new Date()))();
  const recovered = await db.delivery.updateManyAndReturn({
    where: { projectId, listenerId, status: "failed", createdAt: { gte: since } },
    data: { status: "pending", nextAttemptAt: now, lockedUntil: null, updatedAt: now },
    select: { id: true },
  });
  const deliveryIds = recovered.map((delivery) => delivery.id);
  if (deliveryIds.length > 0) {
    await notifyRunner(deps, (runner) => runner.retryRequested({ projectId, deliveryIds }));
  }
  return { recovered: deliveryIds.length };
}

// Test events (the dashboard's "Send a test event") ---------------------------------------------

/** `sender` of events sent from the dashboard to try one listener. */
export const TEST_EVENT_SENDER = "durian:test";

/** A payload with every provided field, for a test event the user did not write. */
export function sampleTestPayload(providesArgs: readonly string[]): Record<string, string> {
  return Object.fromEntries(providesArgs.map((field) => [field, `example ${field}`]));
}

/**
 * Sends an event to one listener only, whatever its filter says, so a user can see a delivery
 * arrive. The payload is checked and projected like any event's (a sample one when none is given)
 * and recorded with the sender `durian:test`. A disabled listener is refused: it would not be delivered to.
 */
export async function sendTestEvent(
  projectId: string,
  listenerId: string,
  input: { payload?: Record<string, unknown> } = {},
  deps: EventServiceDeps = {},
): Promise<{ eventId: string; deliveryId: string }> {
  const db = deps.db ?? getDb();
  const listener = await db.listener.findFirst({
    where: { id: listenerId, projectId },
    include: { hook: true },
  });
  if (!listener) throw new NotFoundError("Listener");
  if (!listener.enabled)
    throw new ConflictError("The listener is disabled; enable it before sending a test event");
  const { hook } = listener;
  const { payload } = parseInput(sendEventSchema, {
    payload: input.payload ?? sampleTestPayload(hook.providesArgs),
  });
  const projected = checkedPayload(hook, payload);
  const now = (deps.now ?? (() => new Date()))();
  const event = await db.event.create({
    data: {
      projectId,
      hookId: hook.id,
      hookName: hook.name,
      payload: projected as Prisma.InputJsonObject,
      sender: TEST_EVENT_SENDER,
      createdAt: now,
      deliveries: {
        create: {
          projectId,
          listenerId,
          hookId: hook.id,
          status: "pending",
          nextAttemptAt: now,
          createdAt: now,
        },
      },
    },
    select: { id: true, deliveries: { select: { id: true } } },
  });
  const deliveryIds = event.deliveries.map((delivery) => delivery.id);
  await notifyRunner(deps, (runner) =>
    runner.deliveriesCreated({ projectId, eventId: event.id, deliveryIds }),
  );
  return { eventId: event.id, deliveryId: deliveryIds[0]! };
}
