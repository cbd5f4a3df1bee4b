import { RE2JS } from "re2js";

export const MAX_LIKE_PATTERN_LENGTH = 1_000;
/** Distinct `$like` patterns kept compiled; beyond this the oldest is dropped and recompiled on demand. */
export const MAX_CACHED_LIKE_PATTERNS = 10_000;

const compiledPatterns = new Map<string, RE2JS>();

/**
 * `$like` patterns come from users, so they run on RE2 (linear time, no backtracking): a pattern such
 * as `(a+)+$` cannot stall matching. Throws RE2's syntax error for a bad pattern.
 */
export function compileLikePattern(pattern: string): RE2JS {
  const cached = compiledPatterns.get(pattern);
  if (cached) return cached;
  const compiled = RE2JS.compile(pattern);
  if (compiledPatterns.size >= MAX_CACHED_LIKE_PATTERNS) {
    const oldest = compiledPatterns.keys().next();
    if (!oldest.done) compiledPatterns.delete(oldest.value);
  }
  compiledPatterns.set(pattern, compiled);
  return compiled;
}

/** The reason a pattern is refused, or null when it compiles. */
export function likePatternProblem(pattern: string): string | null {
  if (pattern.length > MAX_LIKE_PATTERN_LENGTH) {
    return `pattern is longer than ${MAX_LIKE_PATTERN_LENGTH} characters`;
  }
  try {
    compileLikePattern(pattern);
    return null;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return `not a valid regular expression (${reason})`;
  }
}

/** Search semantics, like Python's `re.search`: the pattern may match anywhere in the value. */
export function likeSearch(pattern: string, value: string): boolean {
  return compileLikePattern(pattern).test(value);
}
