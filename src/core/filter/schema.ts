import { z } from "zod";
import { normalizeHookField, type HookField } from "../hook-fields/field-spec";
import { UNSTORABLE_TEXT_PROBLEM, unstorableTextPaths } from "../payload/storable-text";
import { splitFieldPath } from "./field-path";
import { jsonValueSchema, type JsonPrimitive, type JsonValue } from "./json";
import {
  isKnownOperator,
  isOperatorKey,
  isPlainObject,
  objectShape,
  OPERATORS,
  type OperatorName,
} from "./operators";
import { typedFieldProblems } from "./typed-fields";

/** Nested filters and `$not` may nest this deep; deeper filters are refused rather than walked. */
export const MAX_FILTER_DEPTH = 10;

/** Operators of one field, all of which must hold. */
export type Condition = {
  $any?: true;
  $is?: JsonValue;
  $startswith?: string;
  $endswith?: string;
  $contains?: string;
  $like?: string;
  $in?: JsonValue[];
  $not?: FieldCondition;
  $exists?: boolean;
  $gt?: number;
  $gte?: number;
  $lt?: number;
  $lte?: number;
  $before?: string;
  $after?: string;
};

/**
 * What a filter says about one field: a bare value (shorthand for `$is`; an object here is a nested
 * filter, so compare objects with `{"$is": {...}}`), a condition object, or a nested filter.
 */
export type FieldCondition = JsonPrimitive | JsonValue[] | Condition | Filter;

/** Keyed by payload field (dotted keys reach into objects); every entry must hold. */
export type Filter = { [field: string]: FieldCondition };

export interface FilterError {
  /** The field the problem concerns, dotted ("customer.email"); "" for the filter itself. */
  field: string;
  /** Keys from the filter's root to the offending entry, operators and list indexes included. */
  path: (string | number)[];
  /** The problem, starting with the field it concerns. */
  message: string;
}

export type FilterValidationResult = { ok: true; filter: Filter } | { ok: false; errors: FilterError[] };

export class InvalidFilterError extends Error {
  constructor(readonly errors: FilterError[]) {
    super(`invalid filter: ${errors.map((error) => error.message).join("; ")}`);
    this.name = "InvalidFilterError";
  }
}

type Problem = { path: (string | number)[]; problem: string };

/** The field named by a path: its keys without the operators and list indexes. */
export function fieldOfPath(path: readonly PropertyKey[]): string {
  return path.filter((key): key is string => typeof key === "string" && !isOperatorKey(key)).join(".");
}

function describeProblem(path: readonly PropertyKey[], problem: string): string {
  const field = fieldOfPath(path);
  return field === "" ? `filter: ${problem}` : `${field}: ${problem}`;
}

function checkFilterObject(
  filter: Record<string, unknown>,
  path: string[],
  depth: number,
  problems: Problem[],
): void {
  for (const [key, condition] of Object.entries(filter)) {
    const keyPath = [...path, key];
    if (isOperatorKey(key)) {
      problems.push({
        path: keyPath,
        problem: `"${key}" is not a field name: operators go inside a field's condition, as in {"<field>": {"${key}": …}}`,
      });
    } else if (splitFieldPath(key) === null) {
      problems.push({ path: keyPath, problem: `field name "${key}" has an empty part` });
    } else {
      checkFieldCondition(condition, keyPath, depth, problems);
    }
  }
}

function checkFieldCondition(condition: unknown, path: string[], depth: number, problems: Problem[]): void {
  if (!isPlainObject(condition)) return; // a bare JSON value: `$is`
  if (depth >= MAX_FILTER_DEPTH) {
    problems.push({ path, problem: `nested deeper than ${MAX_FILTER_DEPTH} levels` });
    return;
  }
  const shape = objectShape(condition);
  if (shape === "nested") {
    checkFilterObject(condition, path, depth + 1, problems);
    return;
  }
  if (shape === "mixed") {
    const keys = Object.keys(condition);
    problems.push({
      path,
      problem:
        `mixes operators (${keys.filter(isOperatorKey).join(", ")}) with field names ` +
        `(${keys.filter((key) => !isOperatorKey(key)).join(", ")}); ` +
        `use either a condition object or a nested filter`,
    });
    return;
  }
  for (const [operator, operand] of Object.entries(condition)) {
    const operatorPath = [...path, operator];
    if (!isKnownOperator(operator)) {
      problems.push({
        path: operatorPath,
        problem: `unknown operator "${operator}" (known: ${Object.keys(OPERATORS).join(", ")})`,
      });
      continue;
    }
    checkOperand(operator, operand, operatorPath, depth, problems);
  }
}

function checkOperand(
  operator: OperatorName,
  operand: unknown,
  path: string[],
  depth: number,
  problems: Problem[],
): void {
  const definition = OPERATORS[operator];
  if (definition.operand === "condition") {
    checkFieldCondition(operand, path, depth + 1, problems);
    return;
  }
  const parsed = definition.operandSchema.safeParse(operand);
  if (!parsed.success) {
    problems.push({ path, problem: `${operator} expects ${definition.expects}` });
    return;
  }
  const check = definition.operandProblem as ((value: unknown) => string | null) | undefined;
  const problem = check?.(parsed.data);
  if (problem) problems.push({ path, problem: `${operator}: ${problem}` });
}

function checkProvidedFields(
  filter: Record<string, unknown>,
  providesArgs: readonly string[],
  problems: Problem[],
): void {
  const provided = new Set(providesArgs);
  for (const key of Object.keys(filter)) {
    const topLevelField = splitFieldPath(key)?.[0];
    if (topLevelField === undefined || isOperatorKey(key) || provided.has(topLevelField)) continue;
    const offer =
      providesArgs.length > 0 ? `it provides ${providesArgs.join(", ")}` : "it provides no fields";
    problems.push({ path: [key], problem: `the hook does not provide "${topLevelField}" (${offer})` });
  }
}

function reportProblems(problems: Problem[], ctx: z.RefinementCtx): void {
  for (const { path, problem } of problems) {
    ctx.addIssue({ code: "custom", path, message: describeProblem(path, problem), params: { problem } });
  }
}

const filterShape = z.record(z.string(), jsonValueSchema, {
  error: "a filter must be an object keyed by payload field",
});

function filterProblems(filter: Record<string, unknown>, fields: readonly HookField[] | null): Problem[] {
  const problems: Problem[] = unstorableTextPaths(filter).map((path) => ({
    path,
    problem: UNSTORABLE_TEXT_PROBLEM,
  }));
  checkFilterObject(filter, [], 0, problems);
  if (fields) {
    checkProvidedFields(
      filter,
      fields.map((field) => field.name),
      problems,
    );
    // Types are checked on a filter the language accepts, so each problem is said once.
    if (problems.length === 0) problems.push(...typedFieldProblems(filter, fields));
  }
  return problems;
}

/** A hook's fields: bare names (any JSON value) or typed fields. */
export type HookFieldsLike = readonly (string | HookField)[];

function hookFieldsOf(fields: HookFieldsLike): HookField[] {
  return fields.map((field) => (typeof field === "string" ? normalizeHookField(field) : field));
}

/**
 * The filter language, independent of any hook: the one schema the REST API, the SDK, the dashboard
 * and the matcher share. Issues carry the path to the offending entry and a message naming the field.
 */
export const filterSchema = filterShape
  .superRefine((filter, ctx) => reportProblems(filterProblems(filter, null), ctx))
  .meta({
    id: "Filter",
    description:
      "Keyed by payload field (dotted keys reach into objects). Each value is a bare value (equality), " +
      'a condition object of $-operators (all must hold), or a nested filter. Example: {"name": ' +
      '{"$startswith": "J"}, "customer.email": {"$like": "@vandelay\\\\.com$"}}',
  }) as unknown as z.ZodType<Filter, Filter>;

/**
 * `filterSchema` plus the hook's rules: every top-level field must be one the hook provides, and a
 * typed field takes only the operators and operands that can match its type.
 */
export function filterSchemaForHook(fields: HookFieldsLike): z.ZodType<Filter, Filter> {
  const hookFields = hookFieldsOf(fields);
  return filterShape.superRefine((filter, ctx) =>
    reportProblems(filterProblems(filter, hookFields), ctx),
  ) as unknown as z.ZodType<Filter, Filter>;
}

function toFilterErrors(issues: readonly z.core.$ZodIssue[]): FilterError[] {
  return issues.map((issue) => {
    const path = issue.path.map((key) => (typeof key === "number" ? key : String(key)));
    const params = "params" in issue ? (issue.params as { problem?: unknown } | undefined) : undefined;
    const problem = typeof params?.problem === "string" ? params.problem : issue.message;
    return { field: fieldOfPath(path), path, message: describeProblem(path, problem) };
  });
}

/** Checks a filter for a hook with these fields; errors name the field and the problem. */
export function validateFilter(filter: unknown, fields: HookFieldsLike): FilterValidationResult {
  const parsed = filterSchemaForHook(fields).safeParse(filter);
  return parsed.success
    ? { ok: true, filter: parsed.data }
    : { ok: false, errors: toFilterErrors(parsed.error.issues) };
}

/** Checks the language only (no hook); throws InvalidFilterError. */
export function parseFilter(filter: unknown): Filter {
  const parsed = filterSchema.safeParse(filter);
  if (!parsed.success) throw new InvalidFilterError(toFilterErrors(parsed.error.issues));
  return parsed.data;
}
