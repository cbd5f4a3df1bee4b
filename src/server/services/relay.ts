import {
  attemptOutcome,
  attemptRequest,
  DEFAULT_DISABLE_AFTER_CONSECUTIVE_FAILURES,
  type AttemptResult,
} from "@/core/delivery";
import { listenerIndexKey } from "@/core/filter";
import { generateSecret } from "@/core/signing";
import type { OpenRelayListener, RelayAttemptReport, RelayDelivery } from "@/contracts/relay";
import { Prisma, type PrismaClient } from "@/generated/prisma/client";
import { getDb, plainQueryFor } from "@/server/db/client";
import {
  claimRelayDeliveries,
  attemptSubjectOf,
  DELIVERY_CONTEXT_COLUMNS,
  handBackClaims,
  type DeliveryContext,
} from "@/server/delivery";
import { AttemptSupersededError, DeliveryGoneError, recordAttempt } from "@/server/delivery/record-attempt";
import { sendOperationalEventsAfterAttempt } from "@/server/operational/after-attempt";
import type { DeliveryRunner } from "@/server/runner/port";
import { openListenerSecrets, sealListenerSecret } from "@/server/secrets";
import { ConflictError, NotFoundError } from "./errors";
import { requireHook } from "./hooks";
import {
  assertFilterFitsHook,
  ENABLED_AGAIN,
  type ListenerWithSecret,
  withHookName,
  withSecret,
} from "./listeners";

// The relay behind `durian listen`: a relay listener is an ordinary listener (the fan-out creates its
// deliveries, retries and recovery apply) whose deliveries no runner sends. The CLI's stream claims
// them through the delivery lifecycle and hands out each as the signed request a runner would have
// sent; the CLI POSTs it on its own machine and reports the answer, recorded here as the attempt.

/**
 * The relay listener of this hook, filter and name: reused when it exists (so the deliveries made
 * while the CLI was away are waiting for it), created otherwise. Opening it records `forward` as its
 * URL and enables it again if failures had disabled it: its developer is back.
 */
export async function openRelayListener(
  projectId: string,
  input: OpenRelayListener,
  db: PrismaClient = getDb(),
): Promise<{ created: boolean; listener: ListenerWithSecret }> {
  const hook = await requireHook(projectId, input.hook, db);
  assertFilterFitsHook(input.filter, hook);
  const filter = input.filter as Prisma.InputJsonObject;
  const existing = await db.listener.findFirst({
    // On the hook's latest version: after a breaking change, listening again receives the new shape.
    where: {
      projectId,
      hookId: hook.id,
      hookVersion: hook.version,
      relay: true,
      name: input.name,
      filter: { equals: filter },
    },
    orderBy: { id: "asc" },
  });
  if (existing) {
    const listener = await db.listener.update({
      where: { id: existing.id },
      data: { url: input.forward, ...(!existing.enabled && ENABLED_AGAIN) },
      include: withHookName,
    });
    return { created: false, listener: withSecret(listener) };
  }
  const listener = await db.listener.create({
    data: {
      projectId,
      hookId: hook.id,
      hookVersion: hook.version,
      name: input.name,
      url: input.forward,
      relay: true,
      filter,
      ...listenerIndexKey(input.filter),
      description: "Receives on a developer's machine through `durian listen`",
      secret: sealListenerSecret(generateSecret()),
    },
    include: withHookName,
  });
  return { created: true, listener: withSecret(listener) };
}

/** The project's relay listener `id`, or NotFoundError (an ordinary listener has no stream). */
export async function requireRelayListener(
  projectId: string,
  id: string,
  db: PrismaClient = getDb(),
): Promise<{ id: string }> {
  const listener = await db.listener.findFirst({
    where: { id, projectId, relay: true },
    select: { id: true },
  });
  if (!listener) throw new NotFoundError("Relay listener");
  return listener;
}

export async function relayListenerExists(
  projectId: string,
  id: string,
  db: PrismaClient = getDb(),
): Promise<boolean> {
  return (await db.listener.count({ where: { id, projectId, relay: true } })) > 0;
}

/** Deliveries handed out on a stream; each must be reported, or handed back when the stream ends. */
export interface RelayHandOut {
  deliveries: RelayDelivery[];
  claims: Pick<DeliveryContext, "deliveryId" | "lockedUntil">[];
}

/** Claims the relay listener's due deliveries (at most `limit`) and builds each one's signed request. */
export async function takeRelayDeliveries(
  listenerId: string,
  { limit, now = new Date() }: { limit: number; now?: Date },
  db: PrismaClient = getDb(),
): Promise<RelayHandOut> {
  const claimed = await claimRelayDeliveries(db, { listenerId, limit, now });
  const deliveries = await Promise.all(
    claimed.map(async (context) => {
      const request = await relayRequest(context, now);
      return {
        deliveryId: context.deliveryId,
        eventId: context.eventId,
        hook: context.hookName,
        attempt: context.attemptCount + 1,
        timeoutMs: context.timeoutMs,
        headers: request.headers,
        body: request.body,
      };
    }),
  );
  return { deliveries, claims: claimed };
}

/** Returns unreported hand-outs of a stream that ended, due at once for the next stream. */
export async function handBackRelayDeliveries(
  claims: RelayHandOut["claims"],
  db: PrismaClient = getDb(),
): Promise<number> {
  return handBackClaims(db, claims, new Date());
}

/** The request a runner would send for this attempt, signed at `attemptAt` (whole seconds, as sent). */
function relayRequest(context: DeliveryContext, attemptAt: Date) {
  return attemptRequest(attemptSubjectOf(context), attemptAt);
}

export interface RelayAttemptDeps {
  runner?: DeliveryRunner;
  disableAfterFailures?: number;
  failingAfterFailures?: number;
  now?: Date;
}

/**
 * Records what the local receiver answered as the attempt, exactly as a runner records its own: the
 * attempt row, the delivery's next state by the same classification and retry schedule (2xx
 * succeeds; 410 disables the listener; anything else retries, or fails once the schedule is over),
 * the listener's failure count, and the operational events. 409 when the hand-out is no longer the
 * delivery's current attempt (already reported, or handed out again after its lease ran out).
 */
export async function reportRelayAttempt(
  projectId: string,
  deliveryId: string,
  report: RelayAttemptReport,
  deps: RelayAttemptDeps = {},
  db: PrismaClient = getDb(),
): Promise<{ status: "succeeded" | "pending" | "failed"; nextAttemptAt: Date | null }> {
  const now = deps.now ?? new Date();
  const [row] = await plainQueryFor(db)<DeliveryContext & { status: string }>(Prisma.sql`
    SELECT ${DELIVERY_CONTEXT_COLUMNS}, c.status
    FROM "Delivery" c
    JOIN "Event" e ON e.id = c."eventId"
    JOIN "Listener" l ON l.id = c."listenerId"
    JOIN "Hook" h ON h.id = c."hookId"
    WHERE c.id = ${deliveryId} AND c."projectId" = ${projectId} AND c.relay`);
  if (!row) throw new NotFoundError("Relay delivery");
  if (row.status !== "delivering" || row.attemptCount + 1 !== report.attempt) {
    throw new ConflictError(
      `Attempt ${report.attempt} of delivery ${deliveryId} is not the one under way (it was reported, or ` +
        "handed out again after its lease ran out)",
    );
  }
  const context = openListenerSecrets(row);
  const request = await relayRequest(context, new Date(report.timestamp * 1000));
  const result = attemptResult(report, now);
  const { record, next } = attemptOutcome({
    attemptNumber: report.attempt,
    url: context.url,
    request,
    result,
    retrySchedule: context.retrySchedule,
    now,
  });
  try {
    const recorded = await recordAttempt(db, {
      context,
      record,
      next,
      disableAfterFailures: deps.disableAfterFailures ?? DEFAULT_DISABLE_AFTER_CONSECUTIVE_FAILURES,
      now,
    });
    await sendOperationalEventsAfterAttempt({
      db,
      runner: deps.runner,
      failingAfterFailures: deps.failingAfterFailures,
    })({ context, record, next, recorded });
    return { status: recorded.status, nextAttemptAt: record.nextAttemptAt };
  } catch (error) {
    if (error instanceof AttemptSupersededError) throw new ConflictError(error.message);
    if (error instanceof DeliveryGoneError) throw new NotFoundError("Relay delivery");
    throw error;
  }
}

/** The reported local outcome in the runner's terms. */
function attemptResult(report: RelayAttemptReport, now: Date): AttemptResult {
  const startedAt = new Date(now.getTime() - report.durationMs);
  if (report.response) {
    const { status, headers, body } = report.response;
    const ok = status >= 200 && status < 300;
    return {
      ok,
      startedAt,
      durationMs: report.durationMs,
      status,
      responseHeaders: lowerCaseKeys(headers),
      responseBody: body,
      responseBodyTruncated: false,
      errorClass: ok ? null : "http",
      errorMessage: ok ? null : `HTTP ${status} from the local receiver`,
    };
  }
  return {
    ok: false,
    startedAt,
    durationMs: report.durationMs,
    status: null,
    responseHeaders: null,
    responseBody: null,
    responseBodyTruncated: false,
    errorClass: report.error!.class,
    errorMessage: `local receiver: ${report.error!.message}`,
  };
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}
