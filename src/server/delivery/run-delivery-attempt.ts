import {
  DEFAULT_DISABLE_AFTER_CONSECUTIVE_FAILURES,
  type DestinationAllowlist,
  type NextAction,
  performDeliveryAttempt,
  type AttemptRecord,
  type ResolveHost,
} from "@/core/delivery";
import type { PrismaClient } from "@/generated/prisma/client";
import { ownOrigins } from "@/server/http/origins";
import { allowlistForDestination } from "@/server/inspector/own-inspector-url";
import type { RecordedAttemptReport } from "@/server/operational/after-attempt";
import { countAttempt } from "@/server/telemetry/metrics";
import { inSpan, SpanKind, SpanStatusCode, traceparentOf, type Span } from "@/server/telemetry/tracing";
import { type AttemptRecorder, transactionPerAttempt } from "./attempt-recorder";
import { claimDelivery } from "./lifecycle";
import { attemptSubjectOf, type DeliveryContext } from "./delivery-context";
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
  /**
   * Told about each attempt once it is recorded (the operational events); awaited, and must not
   * throw: the attempt is recorded whatever it does.
   */
  afterRecorded?: (report: RecordedAttemptReport) => Promise<void>;
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

  const claimed = context;
  return inSpan(
    "durian.delivery.attempt",
    {
      kind: SpanKind.CLIENT,
      traceparent: claimed.eventTraceparent,
      attributes: {
        "durian.delivery.id": claimed.deliveryId,
        "durian.event.id": claimed.eventId,
        "durian.listener.id": claimed.listenerId,
        "durian.hook.name": claimed.hookName,
        "durian.delivery.attempt": claimed.attemptCount + 1,
        "http.request.method": "POST",
        "url.full": claimed.url,
      },
    },
    (span) => attemptAndRecord(db, claimed, options, span),
  );
}

async function attemptAndRecord(
  db: PrismaClient,
  context: DeliveryContext,
  options: RunDeliveryAttemptOptions,
  span: Span,
): Promise<DeliveryAttemptOutcome> {
  const clock = options.now ?? (() => new Date());
  const { deliveryId } = context;
  const attemptNumber = context.attemptCount + 1;
  const { record, next } = context.listenerEnabled
    ? await attempt(context, attemptNumber, options, traceparentOf(span))
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
    describeAttempt(span, context, record, recorded.status);
    countAttempt({
      errorClass: record.errorClass,
      durationMs: record.durationMs,
      sent: context.listenerEnabled,
      deliveryStatus: recorded.status,
    });
    await options.afterRecorded?.({ context, record, next, recorded });
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
      span.setAttribute("durian.delivery.outcome", "superseded");
      return { kind: "skipped", deliveryId, reason: "superseded", retryAt: clock().toISOString() };
    }
    if (error instanceof DeliveryGoneError)
      return { kind: "skipped", deliveryId, reason: "not-found", retryAt: null };
    throw error;
  }
}

/** The attempt's span says what happened, in OpenTelemetry's HTTP client terms where they fit. */
function describeAttempt(
  span: Span,
  context: DeliveryContext,
  record: AttemptRecord,
  status: "succeeded" | "pending" | "failed",
): void {
  span.setAttribute("durian.delivery.outcome", context.listenerEnabled ? status : "not-sent");
  if (record.responseStatus !== null) span.setAttribute("http.response.status_code", record.responseStatus);
  if (record.errorClass) {
    span.setAttribute(
      "error.type",
      record.errorClass === "http" ? String(record.responseStatus) : record.errorClass,
    );
    span.setStatus({ code: SpanStatusCode.ERROR, message: record.errorMessage ?? undefined });
  }
}

async function attempt(
  context: DeliveryContext,
  attemptNumber: number,
  options: RunDeliveryAttemptOptions,
  traceparent: string | null,
): Promise<{ record: AttemptRecord; next: NextAction }> {
  const performed = await performDeliveryAttempt({
    // The receiver's own spans join the trace of the request that sent the event.
    ...attemptSubjectOf(
      context,
      traceparent ? withHeader(context.headers, "traceparent", traceparent) : context.headers,
    ),
    attemptNumber,
    allowlist: allowlistForDestination(context.url, options.allowlist, options.ownOrigins ?? ownOrigins()),
    resolveHost: options.resolveHost,
    random: options.random,
  });
  for (const dropped of performed.droppedHeaders) {
    options.warn?.(`listener ${context.listenerId}: custom header not sent: ${dropped.message}`);
  }
  return performed;
}

/** Stored custom headers plus one of Durian's (a listener's own header of that name gives way). */
function withHeader(headers: unknown, name: string, value: string): Record<string, unknown> {
  const custom = headers && typeof headers === "object" && !Array.isArray(headers) ? headers : {};
  const others = Object.entries(custom).filter(([key]) => key.toLowerCase() !== name);
  return { ...Object.fromEntries(others), [name]: value };
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
