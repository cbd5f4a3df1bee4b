/** A listener whose deliveries fail this many times in a row is disabled; re-enabling resets the count. */
export const DEFAULT_DISABLE_AFTER_CONSECUTIVE_FAILURES = 20;

/** The reason stored when a user disables a listener (the runner stores its own when it gives up). */
export const DISABLED_BY_USER_REASON = "Disabled by a user";

export type AutoDisableDecision = { disable: false } | { disable: true; reason: string };

/**
 * Decides from the count of consecutive failed deliveries (after counting the latest one) whether the
 * listener is disabled. A delivery counts once it has finally failed, not per attempt.
 */
export function autoDisableDecision(
  consecutiveFailedDeliveries: number,
  threshold: number = DEFAULT_DISABLE_AFTER_CONSECUTIVE_FAILURES,
): AutoDisableDecision {
  if (!Number.isInteger(threshold) || threshold < 1) {
    throw new RangeError(`threshold: expected a positive integer, got ${threshold}`);
  }
  if (consecutiveFailedDeliveries < threshold) return { disable: false };
  return {
    disable: true,
    reason: `Disabled after ${consecutiveFailedDeliveries} failed deliveries in a row.`,
  };
}
