/**
 * How long Durian keeps events, deliveries, attempts and inspector requests (`DURIAN_RETENTION_DAYS`).
 * Kept free of database imports so that the environment's schema and the dashboard can use it.
 */
export const DEFAULT_RETENTION_DAYS = 30;
/** A window longer than this is almost certainly a typo (and would reach past the Unix epoch). */
export const MAX_RETENTION_DAYS = 36_500;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The moment before which data is expired: rows stamped strictly earlier are deleted, rows stamped
 * at this very millisecond or later are kept.
 */
export function retentionCutoff(now: Date, retentionDays: number): Date {
  if (!Number.isInteger(retentionDays) || retentionDays < 1 || retentionDays > MAX_RETENTION_DAYS) {
    throw new RangeError(
      `retentionDays: expected a whole number of days from 1 to ${MAX_RETENTION_DAYS}, got ${retentionDays}`,
    );
  }
  return new Date(now.getTime() - retentionDays * DAY_MS);
}
