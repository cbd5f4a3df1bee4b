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

/**
 * Paths (object keys and list indexes) of every string or key in a JSON value that cannot be stored.
 * Recursive: bound the value's depth first (json-depth.ts).
 */
export function unstorableTextPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  const found: (string | number)[][] = [];
  collectUnstorable(value, [...path], found);
  return found;
}

function collectUnstorable(value: unknown, path: (string | number)[], found: (string | number)[][]): void {
  if (typeof value === "string") {
    if (!isStorableText(value)) found.push([...path]);
  } else if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      path.push(index);
      collectUnstorable(value[index], path, found);
      path.pop();
    }
  } else if (typeof value === "object" && value !== null) {
    for (const key of Object.keys(value)) {
      path.push(key);
      if (isStorableText(key)) collectUnstorable((value as Record<string, unknown>)[key], path, found);
      else found.push([...path]);
      path.pop();
    }
  }
}
