/**
 * Payloads, filters and every other JSON value Durian stores nest at most this many objects and
 * arrays inside one another. Deeper values are refused before anything walks them, so a value nested
 * 10,000 deep cannot exhaust the stack of the validators, the matcher or JSON.stringify.
 */
export const MAX_JSON_DEPTH = 32;

export const TOO_DEEP_PROBLEM = `nested deeper than ${MAX_JSON_DEPTH} levels of objects and arrays`;

/**
 * The path to the first object or array found deeper than `maxDepth` levels (the value itself is
 * level 1 when it is an object or array), or null. It never descends past `maxDepth`, so the
 * recursion is bounded whatever the value's depth.
 */
export function pathDeeperThan(
  value: unknown,
  maxDepth: number = MAX_JSON_DEPTH,
): (string | number)[] | null {
  const path: (string | number)[] = [];
  return reachesPast(value, maxDepth, path) ? path : null;
}

function reachesPast(value: unknown, maxDepth: number, path: (string | number)[]): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (path.length >= maxDepth) return true;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      path.push(index);
      if (reachesPast(value[index], maxDepth, path)) return true;
      path.pop();
    }
    return false;
  }
  for (const key of Object.keys(value)) {
    path.push(key);
    if (reachesPast((value as Record<string, unknown>)[key], maxDepth, path)) return true;
    path.pop();
  }
  return false;
}
