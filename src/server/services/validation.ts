import type { z } from "zod";
import type { FieldError } from "./errors";

/** Zod issues as field errors: dotted paths (`providesArgs.1`, `filter.name.$like`) under `prefix`. */
export function fieldErrorsOf(
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly PropertyKey[] = [],
): FieldError[] {
  return issues.map((issue) => ({
    path: [...prefix, ...issue.path].map(String).join("."),
    message: issue.message,
  }));
}
