import { setTimeout as sleep } from "node:timers/promises";
import { projectPayload, unknownPayloadFields } from "@/core/payload/project";
import { Prisma, type DeliveryStatus, type PrismaClient } from "@/generated/prisma/client";
import { getDb, plainQueryFor } from "@/server/db/client";
import { isUniqueViolation } from "@/server/db/errors";
import {
  createDeliveries,
  recoverDeliveries,
  retryDelivery as retryInLifecycle,
} from "@/server/delivery/lifecycle";
import {
  idempotencyKeySchema,
  sendEventSchema,
  waitSecondsSchema,
  type SendEventInput,
} from "@/server/rest/schemas/events";
import { type RecoverDeliveriesInput, recoverDeliveriesSchema } from "@/server/rest/schemas/listeners";
import { isOperationalHookName } from "@/server/operational/hooks";
import { getRunner } from "@/server/runner";
import { countEventAccepted } from "@/server/telemetry/metrics";
import { inSpan, traceparentOf } from "@/server/telemetry/tracing";
import type { DeliveryRunner } from "@/server/runner/port";
import { ConflictError, NotFoundError, ValidationError } from "./errors";
import { type DeliveryRecord, toDeliveryRecord } from "./deliveries-read";
import { newId } from "./ids";
import { assertSameRequest, eventRequestHash } from "./idempotency";
import { ingestPlanFor } from "./ingest-plan";
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
  /** Durian's own operational event: only these may be sent to its `durian.*` hooks. */
  operational?: boolean;
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
  /**
   * With `waitSeconds`: the deliveries made so far (all of them once matching finished). Matching runs
   * after the event is accepted, so an answer without waiting cannot say.
   */
  matched?: number;
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

/** Tells the runner; a failure is logged, not raised: the work is stored and will be found. */
async function notifyRunner(
  deps: EventServiceDeps,
  notify: (runner: DeliveryRunner) => Promise<void>,
): Promise<void> {
  try {
    await notify(await resolveRunner(deps));
  } catch (error) {
    console.error(
      "durian: could not notify the delivery runner; the stored work waits for its next look",
      error,
    );
  }
}

/**
 * Accepts an event: checks the payload against the hook's providesArgs (unknown fields are refused,
 * not dropped, so a sender learns its mistake), stores the projected payload with its first fan-out in
 * one statement, tells the runner and answers. Matching and creating the deliveries run after that
 * (src/server/jobs/fan-out-job.ts); `waitSeconds` waits for them and for each delivery's first outcome.
 */
export async function sendEvent(
  projectId: string,
  hookName: string,
  input: SendEventInput,
  options: SendEventOptions = {},
  deps: EventServiceDeps = {},
): Promise<SendEventOutcome> {
  const attributes = { "durian.project.id": projectId, "durian.hook.name": hookName };
  return inSpan("durian.event.accept", { attributes }, async (span) => {
    const outcome = await acceptEvent(projectId, hookName, input, options, deps);
    span.setAttributes({
      "durian.event.id": outcome.result.eventId,
      "durian.event.repeated": outcome.repeated,
    });
    return outcome;
  });
}

async function acceptEvent(
  projectId: string,
  hookName: string,
  input: SendEventInput,
  options: SendEventOptions,
  deps: EventServiceDeps,
): Promise<SendEventOutcome> {
  if (isOperationalHookName(hookName) && !options.operational) {
    throw new ValidationError([
      {
        path: "name",
        message: `"${hookName}" is one of Durian's operational events: only Durian sends them`,
      },
    ]);
  }
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
    if (earlier) {
      assertSameRequest(earlier, requestHash);
      return { result: await answerFor(db, earlier.id, waitUntil, options.signal), repeated: true };
    }
  }

  const eventId = newId();
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
    let stored: boolean;
    try {
      stored = await insertAcceptedEvent(db, {
        eventId,
        projectId,
        hook,
        // The last try stores whatever the hook's version, so a hook that changes constantly still takes events.
        expectedVersion: attempt < MAX_ACCEPT_ATTEMPTS ? plan.version : null,
        payload: projected,
        sender: sender ?? null,
        idempotencyKey,
        requestHash,
        traceparent: traceparentOf(),
        acceptedAt: now(),
      });
    } catch (error) {
      if (idempotencyKey === null || !isUniqueViolation(error)) throw error;
      // A concurrent request with the same key committed first: answer as it did.
      const winner = await db.event.findUnique({
        where: { projectId_idempotencyKey: { projectId, idempotencyKey } },
        select: { id: true, requestHash: true },
      });
      if (!winner) throw error;
      assertSameRequest(winner, requestHash);
      return { result: await answerFor(db, winner.id, waitUntil, options.signal), repeated: true };
    }
    if (stored) break;
    // The hook was deleted, or its fields changed since the plan was made: nothing was stored.
    reload = true;
  }
  countEventAccepted();

  await notifyRunner(deps, (runner) => runner.fanOutRequested({ projectId, eventId, fanOut: 0 }));
  return { result: await answerFor(db, eventId, waitUntil, options.signal), repeated: false };
}

interface AcceptedEvent {
  eventId: string;
  projectId: string;
  hook: { id: string; name: string; enabled: boolean };
  /** Store only while the hook's ingestVersion is this; null: whatever it is, as long as the hook exists. */
  expectedVersion: number | null;
  payload: Record<string, unknown>;
  sender: string | null;
  idempotencyKey: string | null;
  requestHash: string | null;
  /** The accepting request's trace context, so that matching and attempts join its trace. */
  traceparent: string | null;
  acceptedAt: Date;
}

/**
 * The event and its first fan-out in one statement, so one round trip and all or nothing; false when
 * nothing was stored because the hook is gone or no longer at the expected version. A disabled hook
 * still records its events (they can be replayed later) with a fan-out that is done, matching nothing.
 */
async function insertAcceptedEvent(db: PrismaClient, event: AcceptedEvent): Promise<boolean> {
  const { eventId, projectId, hook } = event;
  const acceptedAt = Prisma.sql`${event.acceptedAt.toISOString()}::timestamp(3)`;
  const [row] = await plainQueryFor(db)<{ stored: boolean }>(Prisma.sql`
    WITH planned AS (
      SELECT 1 FROM "Hook"
      WHERE id = ${hook.id} AND (${event.expectedVersion}::int IS NULL OR "ingestVersion" = ${event.expectedVersion}::int)
    ), event AS (
      INSERT INTO "Event" (id, "projectId", "hookId", "hookName", payload, sender, "idempotencyKey", "requestHash",
        traceparent, "createdAt")
      SELECT ${eventId}, ${projectId}, ${hook.id}, ${hook.name}, ${JSON.stringify(event.payload)}::jsonb,
             ${event.sender}, ${event.idempotencyKey}, ${event.requestHash}, ${event.traceparent}, ${acceptedAt}
      FROM planned
      RETURNING id
    ), fan_out AS (
      INSERT INTO "FanOut" ("eventId", number, "projectId", "hookId", done, "createdAt", "updatedAt")
      SELECT event.id, 0, ${projectId}, ${hook.id}, ${!hook.enabled}, ${acceptedAt}, ${acceptedAt} FROM event
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

/** The answer for an accepted event: its id, and with a wait, its first fan-out's deliveries and outcomes. */
async function answerFor(
  db: PrismaClient,
  eventId: string,
  waitUntil: number | null,
  signal: AbortSignal | undefined,
): Promise<SendEventResult> {
  if (waitUntil === null) return { eventId };
  const deliveries = await waitForFirstOutcomes(db, { eventId, fanOut: 0 }, waitUntil, signal);
  return { eventId, matched: deliveries.length, deliveries };
}

function hasFirstOutcome(delivery: { status: DeliveryStatus; attemptCount: number }): boolean {
  return delivery.attemptCount > 0 || delivery.status === "succeeded" || delivery.status === "failed";
}

/**
 * Polls until the fan-out is done and every one of its deliveries has made its first attempt, the
 * deadline passes or the client leaves.
 */
async function waitForFirstOutcomes(
  db: PrismaClient,
  fanOut: { eventId: string; fanOut: number },
  waitUntil: number,
  signal: AbortSignal | undefined,
): Promise<DeliveryOutcome[]> {
  // The fan-out's progress first: once it says done, every one of its deliveries is committed.
  const look = async () => {
    const progress = await db.fanOut.findUnique({
      where: { eventId_number: { eventId: fanOut.eventId, number: fanOut.fanOut } },
      select: { done: true },
    });
    const deliveries = await db.delivery.findMany({
      where: { eventId: fanOut.eventId, fanOut: fanOut.fanOut },
      select: { id: true, listenerId: true, status: true, attemptCount: true },
      orderBy: { id: "asc" },
    });
    return [progress, deliveries] as const;
  };
  let [progress, deliveries] = await look();
  const settled = () => (progress?.done ?? true) && deliveries.every(hasFirstOutcome);
  while (!settled() && Date.now() < waitUntil && !signal?.aborted) {
    await sleep(Math.min(WAIT_POLL_INTERVAL_MS, Math.max(0, waitUntil - Date.now())));
    [progress, deliveries] = await look();
  }
  const deliveryIds = deliveries.map((delivery) => delivery.id);
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
      if (!isUniqueViolation(error) || attempt >= MAX_ACCEPT_ATTEMPTS) throw error;
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
  if (!(await retryInLifecycle(db, { projectId, deliveryId, now }))) {
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
  const deliveryIds = await recoverDeliveries(db, { projectId, listenerId, since, now });
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
  const { eventId, created } = await db.$transaction(async (tx) => {
    const event = await tx.event.create({
      data: {
        projectId,
        hookId: hook.id,
        hookName: hook.name,
        payload: projected as Prisma.InputJsonObject,
        sender: TEST_EVENT_SENDER,
        createdAt: now,
        // Its one fan-out is to this listener, made here rather than by matching.
        fanOuts: {
          create: { number: 0, projectId, hookId: hook.id, done: true, matched: 1, createdAt: now },
        },
      },
      select: { id: true },
    });
    const created = await createDeliveries(tx, {
      projectId,
      eventId: event.id,
      hookId: hook.id,
      fanOut: 0,
      listenerIds: [listenerId],
      now,
    });
    return { eventId: event.id, created };
  });
  await notifyRunner(deps, (runner) => runner.deliveriesCreated({ projectId, deliveries: created }));
  return { eventId, deliveryId: created[0]!.id };
}
