/**
 * Payloads, filters and every other JSON value Durian stores nest at most this many objects and
 * arrays inside one another. Deeper values are refused before anything walks them, so a value nested
 * 10,000 deep cannot exhaust the stack of the validators, the matcher or JSON.stringify.
 */
export const MAX_JSON_DEPTH = 32;

export const TOO_DEEP_PROBLEM = `nested deeper than ${MAX_JSON_DEPTH} levels of objects and arrays`;

/**
 * The path to the first object or array found deeper than `maxDepth` levels (the value itself is
 * level 1 when it is an object or array), or null. Walks with its own stack, never recursion.
 */
export function pathDeeperThan(
  value: unknown,
  maxDepth: number = MAX_JSON_DEPTH,
): (string | number)[] | null {
  const pending: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next.value !== "object" || next.value === null) continue;
    if (next.path.length >= maxDepth) return next.path;
    const entries: [string | number, unknown][] = Array.isArray(next.value)
      ? next.value.map((item, index) => [index, item])
      : Object.entries(next.value);
    for (const [key, item] of entries) pending.push({ value: item, path: [...next.path, key] });
  }
  return null;
}
