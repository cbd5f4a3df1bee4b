/**
 * PostgreSQL's jsonb refuses two things JavaScript strings may hold: the NUL character (\u0000) and
 * unpaired UTF-16 surrogates. Payloads and filters carrying them are refused up front, naming where.
 */
const UNSTORABLE_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const UNSTORABLE_TEXT_PROBLEM =
  "contains a NUL character (\\u0000) or an unpaired surrogate, which cannot be stored";

export function isStorableText(text: string): boolean {
  return !UNSTORABLE_TEXT.test(text);
}

/** Paths (object keys and list indexes) of every string or key in a JSON value that cannot be stored. */
export function unstorableTextPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value === "string") return isStorableText(value) ? [] : [path];
  if (Array.isArray(value))
    return value.flatMap((item, index) => unstorableTextPaths(item, [...path, index]));
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) =>
    isStorableText(key) ? unstorableTextPaths(item, [...path, key]) : [[...path, key]],
  );
}
