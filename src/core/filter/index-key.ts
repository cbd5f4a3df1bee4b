import { isPlainObject } from "./json";
import { isOperatorKey, objectShape } from "./operators";
import { parseFilter } from "./schema";

/**
 * Candidate narrowing for matching at scale. A listener stores one key derived from its filter; an
 * event lists every key it could satisfy; the database returns listeners whose key is among them (or
 * who scan), and the full filter then runs in process. The key is a necessary condition of the filter,
 * never a sufficient one, so the index can only add candidates, never lose a match.
 */

/** Prefixes are indexed up to this many UTF-16 code units; longer `$startswith` operands are cut to it. */
export const MAX_INDEXED_PREFIX_LENGTH = 32;
/** Exact keys longer than this (encoded) are not indexed: such listeners scan. */
export const MAX_INDEXED_EXACT_KEY_LENGTH = 256;

export type ListenerIndexKey =
  | { indexKind: "exact"; indexField: string; indexValue: string }
  | { indexKind: "prefix"; indexField: string; indexValue: string }
  | { indexKind: "scan"; indexField: null; indexValue: null };

export interface EventIndexKeys {
  exact: { field: string; value: string }[];
  prefix: { field: string; value: string }[];
}

const SCAN: ListenerIndexKey = { indexKind: "scan", indexField: null, indexValue: null };

type Scalar = string | number | boolean | null;

function isScalar(value: unknown): value is Scalar {
  return value === null || ["string", "number", "boolean"].includes(typeof value);
}

/** JSON text: tells `"1"` from `1`, `"true"` from `true`, and keeps NUL bytes out of PostgreSQL text. */
export function encodeExactKey(value: Scalar): string {
  return JSON.stringify(value);
}

/**
 * JSON text of the prefix. Cut by UTF-16 code units on both sides so it agrees with
 * `String.prototype.startsWith`; JSON escapes a cut-in-half surrogate pair instead of corrupting it.
 */
export function encodePrefixKey(prefix: string): string {
  return JSON.stringify(prefix.slice(0, MAX_INDEXED_PREFIX_LENGTH));
}

function exactOperand(condition: unknown): { found: true; value: unknown } | { found: false } {
  if (!isPlainObject(condition)) return { found: true, value: condition };
  if (objectShape(condition) === "condition" && Object.hasOwn(condition, "$is")) {
    return { found: true, value: condition.$is };
  }
  return { found: false };
}

function prefixOperand(condition: unknown): string | null {
  if (!isPlainObject(condition) || objectShape(condition) !== "condition") return null;
  const prefix = condition.$startswith;
  return typeof prefix === "string" && prefix.length > 0 ? prefix : null;
}

/**
 * The key to store with a listener: an exact `$is` on a top-level scalar field if there is one, else a
 * `$startswith` prefix on a top-level field, else "scan". Throws InvalidFilterError for a bad filter.
 */
export function listenerIndexKey(filter: unknown): ListenerIndexKey {
  const entries = Object.entries(parseFilter(filter)).filter(
    ([field]) => !field.includes(".") && !isOperatorKey(field),
  );
  for (const [field, condition] of entries) {
    const exact = exactOperand(condition);
    if (!exact.found || !isScalar(exact.value)) continue;
    const indexValue = encodeExactKey(exact.value);
    if (indexValue.length <= MAX_INDEXED_EXACT_KEY_LENGTH)
      return { indexKind: "exact", indexField: field, indexValue };
  }
  for (const [field, condition] of entries) {
    const prefix = prefixOperand(condition);
    if (prefix !== null)
      return { indexKind: "prefix", indexField: field, indexValue: encodePrefixKey(prefix) };
  }
  return SCAN;
}

/** Every key an event payload could satisfy: exact keys of its scalar fields, prefixes of its strings. */
export function eventIndexKeys(payload: Record<string, unknown>): EventIndexKeys {
  const keys: EventIndexKeys = { exact: [], prefix: [] };
  for (const [field, value] of Object.entries(payload)) {
    if (field.includes(".") || !isScalar(value)) continue;
    const exact = encodeExactKey(value);
    if (exact.length <= MAX_INDEXED_EXACT_KEY_LENGTH) keys.exact.push({ field, value: exact });
    if (typeof value !== "string") continue;
    const longest = Math.min(value.length, MAX_INDEXED_PREFIX_LENGTH);
    for (let length = 1; length <= longest; length++) {
      keys.prefix.push({ field, value: encodePrefixKey(value.slice(0, length)) });
    }
  }
  return keys;
}

/** In-process twin of the database's candidate test: does the event's key set admit this listener? */
export function indexKeyAdmits(key: ListenerIndexKey, eventKeys: EventIndexKeys): boolean {
  if (key.indexKind === "scan") return true;
  const keys = key.indexKind === "exact" ? eventKeys.exact : eventKeys.prefix;
  return keys.some(({ field, value }) => field === key.indexField && value === key.indexValue);
}
