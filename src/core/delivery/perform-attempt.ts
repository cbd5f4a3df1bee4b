import type { ListenerConfig } from "../hook-fields/config-form";
import { projectPayload } from "../payload/project";
import { signingSecrets } from "../signing/rotation";
import type { DestinationAllowlist } from "./allowlist";
import { attemptDelivery, type AttemptResult } from "./attempt";
import { decideNextAction, type NextAction } from "./classify";
import type { CustomHeaderProblem } from "./custom-headers";
import type { ResolveHost } from "./destination";
import type { DeliveryErrorClass } from "./error-class";
import { buildDeliveryRequest, deliveryBody, type DeliveryRequest } from "./request";
import { effectiveRetrySchedule } from "./retry-schedule";

/** What an attempt sends, and to whom: the same for every attempt of a delivery but its secrets' choice. */
export interface AttemptSubject {
  deliveryId: string;
  event: {
    id: string;
    hookName: string;
    /** The version of the hook's fields it was sent for. */
    hookVersion: number;
    payload: Record<string, unknown>;
    createdAt: Date;
  };
  listener: {
    url: string;
    envelope: boolean;
    /** Its settings of the hook's configForm options; absent when the hook offers none. */
    config?: ListenerConfig;
    headers: unknown;
    secret: string;
    previousSecret?: string | null;
    previousSecretUntil?: Date | null;
  };
  /** `providesArgs`: those of the event's version. */
  hook: { timeoutMs: number; retrySchedule?: readonly number[] | null; providesArgs: readonly string[] };
}

export interface PerformAttemptInput extends AttemptSubject {
  /** This attempt's number; the first is 1. */
  attemptNumber: number;
  allowlist: DestinationAllowlist;
  resolveHost?: ResolveHost;
  random?: () => number;
}

/**
 * What an attempt's row records, minus ids. Not its body: every attempt of a delivery sends the same
 * one, built again from the event when it is read.
 */
export interface AttemptRecord {
  number: number;
  startedAt: Date;
  durationMs: number;
  requestUrl: string;
  requestHeaders: Record<string, string>;
  responseStatus: number | null;
  responseHeaders: Record<string, string> | null;
  responseBody: string | null;
  errorClass: DeliveryErrorClass | null;
  errorMessage: string | null;
  nextAttemptAt: Date | null;
}

export interface PerformedAttempt {
  record: AttemptRecord;
  next: NextAction;
  /** Stored custom headers that were not sent (invalid or reserved), for logging. */
  droppedHeaders: CustomHeaderProblem[];
}

/** What an attempt's body is built from. */
export interface BodySubject {
  event: Pick<AttemptSubject["event"], "hookName" | "hookVersion" | "payload" | "createdAt">;
  listener: Pick<AttemptSubject["listener"], "envelope" | "config">;
  hook: Pick<AttemptSubject["hook"], "providesArgs">;
}

function bodyFields({ event, listener, hook }: BodySubject) {
  return {
    hookName: event.hookName,
    hookVersion: event.hookVersion,
    config: listener.config,
    // Projected again at send time: a field the hook stopped providing is never delivered, even on a
    // retry or replay of an event stored before the change.
    payload: projectPayload(event.payload, hook.providesArgs),
    eventCreatedAt: event.createdAt,
    envelope: listener.envelope,
  };
}

/**
 * The body every attempt of a delivery sends, as `attemptRequest` builds it: attempts store no copy,
 * and the attempt log shows this.
 */
export function attemptBody(subject: BodySubject): string {
  return deliveryBody(bodyFields(subject));
}

/**
 * The signed request of an attempt made at `attemptAt` (whole seconds, as sent): what a runner sends,
 * and what the relay hands to `durian listen` to send on its machine.
 */
export function attemptRequest(subject: AttemptSubject, attemptAt: Date): Promise<DeliveryRequest> {
  return buildDeliveryRequest({
    ...bodyFields(subject),
    deliveryId: subject.deliveryId,
    eventId: subject.event.id,
    customHeaders: subject.listener.headers,
    secrets: signingSecrets(subject.listener, attemptAt),
    attemptAt,
  });
}

/**
 * One attempt of a delivery, start to finish: build and sign the request, POST it, classify the outcome
 * and decide what happens next. Both runners call this and persist `record` and `next`.
 */
export async function performDeliveryAttempt(input: PerformAttemptInput): Promise<PerformedAttempt> {
  const request = await attemptRequest(input, new Date());
  const result = await attemptDelivery({
    url: input.listener.url,
    headers: request.headers,
    body: request.body,
    timeoutMs: input.hook.timeoutMs,
    allowlist: input.allowlist,
    resolveHost: input.resolveHost,
  });
  return {
    ...attemptOutcome({
      attemptNumber: input.attemptNumber,
      url: input.listener.url,
      request,
      result,
      retrySchedule: input.hook.retrySchedule,
      random: input.random,
    }),
    droppedHeaders: request.droppedHeaders,
  };
}

/**
 * What one attempt's result means: the row that records it, and what happens next. The runners' attempts
 * and the relay's reported ones (a request the CLI sent on its machine) are judged alike.
 */
export function attemptOutcome(input: {
  attemptNumber: number;
  url: string;
  request: Pick<DeliveryRequest, "recordedHeaders">;
  result: AttemptResult;
  retrySchedule?: readonly number[] | null;
  random?: () => number;
  now?: Date;
}): { record: AttemptRecord; next: NextAction } {
  const { result } = input;
  const next = decideNextAction({
    result,
    attemptNumber: input.attemptNumber,
    schedule: effectiveRetrySchedule(input.retrySchedule),
    random: input.random,
    now: input.now,
  });
  return {
    record: {
      number: input.attemptNumber,
      startedAt: result.startedAt,
      durationMs: result.durationMs,
      requestUrl: input.url,
      requestHeaders: input.request.recordedHeaders,
      responseStatus: result.status,
      responseHeaders: result.responseHeaders,
      responseBody: result.responseBody,
      errorClass: result.errorClass,
      errorMessage: result.errorMessage,
      nextAttemptAt: next.action === "retry" ? next.retryAt : null,
    },
    next,
  };
}
