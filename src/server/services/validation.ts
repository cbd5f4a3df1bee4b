import type { z } from "zod";
import type { FieldError } from "./errors";

/** Zod issues as field errors: dotted paths (`providesArgs.1`, `filter.name.$like`) under `prefix`. */
export function fieldErrorsOf(
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly PropertyKey[] = [],
): FieldError[] {
  return issues.flatMap((issue) => {
    const branch = matchedUnionBranch(issue);
    if (branch) return fieldErrorsOf(branch, [...prefix, ...issue.path]);
    return [{ path: [...prefix, ...issue.path].map(String).join("."), message: issue.message }];
  });
}

/**
 * A union's problems are those of the one branch the value's type matched (a typed providesArgs
 * entry's bad `schema.type`, not "Invalid input"); null when no branch or several did.
 */
function matchedUnionBranch(issue: z.core.$ZodIssue): z.core.$ZodIssue[] | null {
  if (issue.code !== "invalid_union" || !("errors" in issue)) return null;
  const typeMatched = issue.errors.filter(
    (branch) => !branch.some((inner) => inner.code === "invalid_type" && inner.path.length === 0),
  );
  return typeMatched.length === 1 ? typeMatched[0]! : null;
}
