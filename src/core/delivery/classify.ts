import type { AttemptResult } from "./attempt";
import { scheduledRetryDelayMs } from "./retry-schedule";

/** A receiver's `Retry-After` is honoured up to this long, so it cannot park a delivery indefinitely. */
export const MAX_RETRY_AFTER_SECONDS = 60 * 60;
/** Statuses whose `Retry-After` replaces the scheduled wait. */
const RETRY_AFTER_STATUSES = new Set([429, 503]);

export type NextAction =
  | { action: "succeeded" }
  /** Try again at `retryAt`, with the same `webhook-id`. */
  | { action: "retry"; retryAt: Date; delayMs: number; basis: "schedule" | "retry-after" }
  /** No more attempts: the schedule ran out, or the destination is blocked. */
  | { action: "failed"; reason: "exhausted" | "blocked"; message: string }
  /** 410 Gone: stop, and disable the listener with `message` as its reason. */
  | { action: "disable-listener"; message: string };

export interface NextActionInput {
  result: Pick<AttemptResult, "ok" | "status" | "errorClass" | "responseHeaders">;
  /** The number of the attempt just made; the first is 1. */
  attemptNumber: number;
  /** Seconds before each retry (see `effectiveRetrySchedule`). */
  schedule: readonly number[];
  now?: Date;
  random?: () => number;
}

export function decideNextAction(input: NextActionInput): NextAction {
  const { result, attemptNumber, schedule } = input;
  const now = input.now ?? new Date();
  if (result.ok) return { action: "succeeded" };
  if (result.status === 410) {
    return {
      action: "disable-listener",
      message: "The endpoint answered 410 Gone; the listener was disabled.",
    };
  }
  // A refusal is a policy decision that only an allowlist change undoes, so retrying on a timer would only
  // repeat it; the delivery fails at once and can be retried by hand once the allowlist allows it.
  if (result.errorClass === "blocked") {
    return {
      action: "failed",
      reason: "blocked",
      message: "The destination is blocked; it was not retried.",
    };
  }

  const scheduledDelayMs = scheduledRetryDelayMs(attemptNumber, schedule, input.random);
  if (scheduledDelayMs === null) {
    return {
      action: "failed",
      reason: "exhausted",
      message: `Gave up after ${attemptNumber} attempt${attemptNumber === 1 ? "" : "s"}.`,
    };
  }
  if (result.status !== null && RETRY_AFTER_STATUSES.has(result.status)) {
    const retryAfterSeconds = parseRetryAfter(result.responseHeaders?.["retry-after"], now);
    if (retryAfterSeconds !== null) {
      const delayMs = Math.min(retryAfterSeconds, MAX_RETRY_AFTER_SECONDS) * 1000;
      return { action: "retry", retryAt: new Date(now.getTime() + delayMs), delayMs, basis: "retry-after" };
    }
  }
  return {
    action: "retry",
    retryAt: new Date(now.getTime() + scheduledDelayMs),
    delayMs: scheduledDelayMs,
    basis: "schedule",
  };
}

/** `Retry-After` as seconds from `now` (delta-seconds or an HTTP date); null when absent or malformed. */
export function parseRetryAfter(value: string | undefined, now: Date): number | null {
  const text = value?.trim();
  if (!text) return null;
  if (/^\d+$/.test(text)) return Number(text);
  if (!/[a-z]/i.test(text)) return null;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}
