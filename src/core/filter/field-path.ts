import { isPlainObject } from "./json";

/** Stands for a field the payload does not have, so operators can tell "absent" from `null`. */
export const MISSING: unique symbol = Symbol("missing field");
export type FieldValue = unknown;

export const FIELD_PATH_SEPARATOR = ".";

/** `"customer.email"` → `["customer", "email"]`; returns null when a segment is empty. */
export function splitFieldPath(key: string): string[] | null {
  const segments = key.split(FIELD_PATH_SEPARATOR);
  return segments.every((segment) => segment.length > 0) ? segments : null;
}

/** Walks plain objects only (arrays are values, not containers); any gap yields MISSING. */
export function readFieldPath(container: unknown, segments: readonly string[]): FieldValue {
  let current: unknown = container;
  for (const segment of segments) {
    if (!isPlainObject(current) || !Object.hasOwn(current, segment)) return MISSING;
    current = current[segment];
  }
  return current === undefined ? MISSING : current;
}
