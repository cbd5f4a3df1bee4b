/** Seconds to wait before each retry: attempts at 0 s, +5 s, +5 min, +30 min, +2 h, +5 h, +10 h, +10 h. */
export const DEFAULT_RETRY_SCHEDULE_SECONDS: readonly number[] = Object.freeze([
  5,
  5 * 60,
  30 * 60,
  2 * 60 * 60,
  5 * 60 * 60,
  10 * 60 * 60,
  10 * 60 * 60,
]);
/** Each scheduled wait varies by up to ±10 %, so a receiver's outage does not end in a thundering herd. */
export const RETRY_JITTER_RATIO = 0.1;
/** Limits for a hook's own schedule. */
export const MAX_RETRIES = 20;
export const MAX_RETRY_DELAY_SECONDS = 7 * 24 * 60 * 60;

/** A hook's `retrySchedule` when it has one, else the default. */
export function effectiveRetrySchedule(hookSchedule?: readonly number[] | null): readonly number[] {
  return hookSchedule && hookSchedule.length > 0 ? hookSchedule : DEFAULT_RETRY_SCHEDULE_SECONDS;
}

/** The first attempt plus one per scheduled retry. */
export function maxAttempts(schedule: readonly number[]): number {
  return schedule.length + 1;
}

/**
 * How long to wait after attempt number `attemptNumber` (1 = the first) before the next one, with
 * jitter; null when the schedule is exhausted. `random` returns [0, 1) like `Math.random`.
 */
export function scheduledRetryDelayMs(
  attemptNumber: number,
  schedule: readonly number[],
  random: () => number = Math.random,
): number | null {
  if (!Number.isInteger(attemptNumber) || attemptNumber < 1) {
    throw new RangeError(`attemptNumber: expected an integer from 1, got ${attemptNumber}`);
  }
  const baseSeconds = schedule[attemptNumber - 1];
  if (baseSeconds === undefined) return null;
  const jitter = 1 + RETRY_JITTER_RATIO * (2 * random() - 1);
  return Math.round(baseSeconds * 1000 * jitter);
}

/** Problems with a hook's `retrySchedule`, each naming the field; empty when it is usable. */
export function retryScheduleProblems(schedule: unknown): string[] {
  if (!Array.isArray(schedule)) return ["retrySchedule: expected an array of seconds"];
  const problems: string[] = [];
  if (schedule.length > MAX_RETRIES) {
    problems.push(`retrySchedule: at most ${MAX_RETRIES} retries, got ${schedule.length}`);
  }
  schedule.forEach((seconds: unknown, index) => {
    if (
      typeof seconds !== "number" ||
      !Number.isInteger(seconds) ||
      seconds < 0 ||
      seconds > MAX_RETRY_DELAY_SECONDS
    ) {
      problems.push(`retrySchedule[${index}]: expected whole seconds from 0 to ${MAX_RETRY_DELAY_SECONDS}`);
    }
  });
  return problems;
}
