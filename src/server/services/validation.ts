import type { z } from "zod";
import { type FieldError, ValidationError } from "./errors";

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

/** Parses input with a schema, or throws ValidationError naming each bad field. */
export function parseInput<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  prefix: readonly PropertyKey[] = [],
): z.output<Schema> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError(fieldErrorsOf(result.error.issues, prefix));
  return result.data;
}
