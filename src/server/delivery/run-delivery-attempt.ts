import {
  DEFAULT_DISABLE_AFTER_CONSECUTIVE_FAILURES,
  deliveryBody,
  type DestinationAllowlist,
  type NextAction,
  performDeliveryAttempt,
  type AttemptRecord,
  type ResolveHost,
} from "@/core/delivery";
import type { PrismaClient } from "@/generated/prisma/client";
import { ownOrigins } from "@/server/http/origins";
import { allowlistForDestination } from "@/server/inspector/own-inspector-url";
import { type AttemptRecorder, transactionPerAttempt } from "./attempt-recorder";
import { claimDelivery } from "./lifecycle";
import type { DeliveryContext } from "./delivery-context";
import type { DeliveryAttemptOutcome } from "./outcome";
import { AttemptSupersededError, DeliveryGoneError } from "./record-attempt";

export interface RunDeliveryAttemptOptions {
  /** Destinations exempt from the private-address block (`DURIAN_ALLOWED_HOSTS`). */
  allowlist: DestinationAllowlist;
  /** The clock for claims and records; `new Date()` by default. */
  now?: () => Date;
  /** Deliveries failed in a row that disable a listener (`DURIAN_DISABLE_AFTER_FAILURES`). */
  disableAfterFailures?: number;
  /**
   * The claim the caller already holds, with what it read (the embedded runner claims due deliveries
   * in batches). Without it the delivery is claimed here, so two callers never attempt it at once.
   */
  claimed?: DeliveryContext;
  /** Where the attempt is written; a transaction of its own by default. */
  recorder?: AttemptRecorder;
  /** Called once the request is over (or was never sent), before the attempt is recorded. */
  onRequestDone?: () => void;
  resolveHost?: ResolveHost;
  /** Jitter source for the retry schedule, [0, 1) like `Math.random`. */
  random?: () => number;
  /** Hears about custom headers that were stored but not sent. */
  warn?: (message: string) => void;
  /**
   * This app's origins: an attempt at its own request inspector there (`/api/inspect/<token>`) is
   * exempt from the address checks, so the inspector works on loopback with no settings. The app's
   * configured origins by default; `[]` turns the exemption off.
   */
  ownOrigins?: readonly string[];
}

/**
 * One attempt of one delivery, from the database and back: claim it (unless the caller holds the
 * claim), build and sign the request with the listener's current and, during a rotation, previous
 * secret, POST it once under the destination checks, classify the result, and record the attempt, the
 * delivery's new state and the listener's in one transaction. Both runners call this: the Inngest
 * function inside `step.run`, the embedded runner directly. Never throws for a failed delivery, only
 * for a failing database.
 */
export async function runDeliveryAttempt(
  db: PrismaClient,
  deliveryId: string,
  options: RunDeliveryAttemptOptions,
): Promise<DeliveryAttemptOutcome> {
  const clock = options.now ?? (() => new Date());
  let context = options.claimed;
  if (context && context.deliveryId !== deliveryId) {
    throw new Error(`claimed: holds delivery ${context.deliveryId}, not ${deliveryId}`);
  }
  if (!context) {
    const claim = await claimDelivery(db, deliveryId, clock());
    if (!claim.claimed) {
      const retryAt = claim.reason === "not-due" || claim.reason === "leased" ? claim.at.toISOString() : null;
      return { kind: "skipped", deliveryId, reason: claim.reason, retryAt };
    }
    context = claim.context;
  }

  const attemptNumber = context.attemptCount + 1;
  const { record, next } = context.listenerEnabled
    ? await attempt(context, attemptNumber, options)
    : notSent(context, attemptNumber);
  options.onRequestDone?.();

  try {
    const recorder = options.recorder ?? transactionPerAttempt(db);
    const recorded = await recorder.record({
      context,
      record,
      next,
      disableAfterFailures: options.disableAfterFailures ?? DEFAULT_DISABLE_AFTER_CONSECUTIVE_FAILURES,
      now: clock(),
    });
    if (!context.listenerEnabled) {
      return { kind: "not-sent", deliveryId, attemptNumber, status: "failed", reason: "listener-disabled" };
    }
    return {
      kind: "attempted",
      deliveryId,
      attemptNumber,
      status: recorded.status,
      nextAttemptAt: record.nextAttemptAt?.toISOString() ?? null,
      responseStatus: record.responseStatus,
      errorClass: record.errorClass,
      listenerDisabled: recorded.listenerDisabled,
    };
  } catch (error) {
    if (error instanceof AttemptSupersededError) {
      return { kind: "skipped", deliveryId, reason: "superseded", retryAt: clock().toISOString() };
    }
    if (error instanceof DeliveryGoneError)
      return { kind: "skipped", deliveryId, reason: "not-found", retryAt: null };
    throw error;
  }
}

async function attempt(
  context: DeliveryContext,
  attemptNumber: number,
  options: RunDeliveryAttemptOptions,
): Promise<{ record: AttemptRecord; next: NextAction }> {
  const performed = await performDeliveryAttempt({
    deliveryId: context.deliveryId,
    attemptNumber,
    event: {
      id: context.eventId,
      hookName: context.hookName,
      payload: context.payload,
      createdAt: context.eventCreatedAt,
    },
    listener: {
      url: context.url,
      envelope: context.envelope,
      headers: context.headers,
      secret: context.secret,
      previousSecret: context.previousSecret,
      previousSecretUntil: context.previousSecretUntil,
    },
    hook: {
      timeoutMs: context.timeoutMs,
      retrySchedule: context.retrySchedule,
      providesArgs: context.providesArgs,
    },
    allowlist: allowlistForDestination(context.url, options.allowlist, options.ownOrigins ?? ownOrigins()),
    resolveHost: options.resolveHost,
    random: options.random,
  });
  for (const dropped of performed.droppedHeaders) {
    options.warn?.(`listener ${context.listenerId}: custom header not sent: ${dropped.message}`);
  }
  return performed;
}

/**
 * A disabled listener gets no request. The delivery still ends visibly: an attempt recorded as
 * `blocked` with the reason, and the delivery failed, so it can be retried once the listener is
 * enabled again. It does not count as another failure of the listener.
 */
function notSent(
  context: DeliveryContext,
  attemptNumber: number,
): { record: AttemptRecord; next: NextAction } {
  const reason = context.disabledReason ? `: ${context.disabledReason}` : "";
  const message = `Not sent: the listener is disabled${reason}`;
  return {
    record: {
      number: attemptNumber,
      startedAt: new Date(),
      durationMs: 0,
      requestUrl: context.url,
      requestHeaders: {},
      requestBody: deliveryBody({
        payload: context.payload,
        envelope: context.envelope,
        hookName: context.hookName,
        eventCreatedAt: context.eventCreatedAt,
      }),
      responseStatus: null,
      responseHeaders: null,
      responseBody: null,
      errorClass: "blocked",
      errorMessage: message,
      nextAttemptAt: null,
    },
    next: { action: "failed", reason: "blocked", message },
  };
}
