import { z } from "zod";
import { dateTimeMillis, isDateTime } from "../hook-fields/date-time";
import { MISSING, type FieldValue } from "./field-path";
import { isPlainObject, jsonEquals, jsonValueSchema, type JsonValue } from "./json";
import { compileLikePattern, likePatternProblem, MAX_LIKE_PATTERN_LENGTH } from "./like-pattern";

/** Decides whether one payload value (or MISSING) satisfies a condition. */
export type ValueTest = (value: FieldValue) => boolean;

/** What kind of operand an operator takes; the dashboard picks its input from this. */
export type OperandKind =
  | "true" // always `true` ($any)
  | "value" // any JSON value
  | "text" // a string
  | "pattern" // a regular expression (RE2 syntax)
  | "values" // a non-empty list of JSON values
  | "condition" // a bare value, condition object or nested filter
  | "boolean"
  | "number"
  | "datetime"; // an RFC 3339 date-time string

export interface OperatorDefinition<Operand> {
  /** Words, never symbols: forms and filter summaries read "amount at least 10". */
  label: string;
  /** Help shown beside the value a user enters, in their terms ("the value you enter"). */
  description: string;
  operand: OperandKind;
  /** Shape of the operand; `condition` operands are walked by the filter validator instead. */
  operandSchema: z.ZodType<Operand>;
  /** Read in errors: "$gt expects <expects>". */
  expects: string;
  /** A check beyond the shape (a regex that does not compile); returns the problem or null. */
  operandProblem?: (operand: Operand) => string | null;
  test: (operand: Operand, compileCondition: (condition: unknown) => ValueTest) => ValueTest;
}

function defineOperator<Operand>(definition: OperatorDefinition<Operand>): OperatorDefinition<Operand> {
  return definition;
}

const finiteNumber = z.number().refine(Number.isFinite);

const dateTimeOperand = z.string().refine(isDateTime, "an RFC 3339 date-time");

function compileIn(candidates: readonly JsonValue[]): ValueTest {
  const primitives = new Set<unknown>(candidates.filter((c) => c === null || typeof c !== "object"));
  const composites = candidates.filter((c) => c !== null && typeof c === "object");
  return (value) =>
    value !== MISSING &&
    (primitives.has(value) || composites.some((candidate) => jsonEquals(value, candidate)));
}

/** The registry of the filter language: each operator is one small comparison, as in durian. */
export const OPERATORS = {
  $any: defineOperator<true>({
    label: "any value",
    description: "Every event matches, whether or not it sends the field.",
    operand: "true",
    operandSchema: z.literal(true),
    expects: "true",
    test: () => () => true,
  }),
  $is: defineOperator<JsonValue>({
    label: "is",
    description:
      "The field equals the value you enter exactly (same type; objects and lists compared in full).",
    operand: "value",
    operandSchema: jsonValueSchema,
    expects: "a JSON value",
    test: (expected) => {
      if (expected === null || typeof expected !== "object") return (value) => value === expected;
      return (value) => jsonEquals(value, expected);
    },
  }),
  $startswith: defineOperator<string>({
    label: "starts with",
    description: "The field is text that begins with the text you enter.",
    operand: "text",
    operandSchema: z.string(),
    expects: "a string",
    test: (prefix) => (value) => typeof value === "string" && value.startsWith(prefix),
  }),
  $endswith: defineOperator<string>({
    label: "ends with",
    description: "The field is text that ends with the text you enter.",
    operand: "text",
    operandSchema: z.string(),
    expects: "a string",
    test: (suffix) => (value) => typeof value === "string" && value.endsWith(suffix),
  }),
  $contains: defineOperator<string>({
    label: "contains",
    description: "The field is text that contains the text you enter.",
    operand: "text",
    operandSchema: z.string(),
    expects: "a string",
    test: (part) => (value) => typeof value === "string" && value.includes(part),
  }),
  $like: defineOperator<string>({
    label: "matches pattern",
    description: "The field is text in which the regular expression you enter (RE2 syntax) finds a match.",
    operand: "pattern",
    operandSchema: z.string(),
    expects: `a regular expression string of at most ${MAX_LIKE_PATTERN_LENGTH} characters`,
    operandProblem: likePatternProblem,
    test: (pattern) => {
      const regex = compileLikePattern(pattern);
      return (value) => typeof value === "string" && regex.test(value);
    },
  }),
  $in: defineOperator<JsonValue[]>({
    label: "is one of",
    description: "The field equals one of the values you list.",
    operand: "values",
    operandSchema: z.array(jsonValueSchema).min(1),
    expects: "a non-empty list of values",
    test: compileIn,
  }),
  $not: defineOperator<JsonValue>({
    label: "is not",
    description:
      "The field does not match the value or condition you enter; an event without the field matches.",
    operand: "condition",
    operandSchema: jsonValueSchema,
    expects: "a value or a condition",
    test: (condition, compileCondition) => {
      const inner = compileCondition(condition);
      return (value) => !inner(value);
    },
  }),
  $exists: defineOperator<boolean>({
    label: "exists",
    description: "Whether the event sends the field at all (a null value counts as sent).",
    operand: "boolean",
    operandSchema: z.boolean(),
    expects: "true or false",
    test: (shouldExist) => (value) => (value !== MISSING) === shouldExist,
  }),
  $gt: defineOperator<number>({
    label: "greater than",
    description: "The field is a number greater than the one you enter.",
    operand: "number",
    operandSchema: finiteNumber,
    expects: "a number",
    test: (bound) => (value) => typeof value === "number" && value > bound,
  }),
  $gte: defineOperator<number>({
    label: "at least",
    description: "The field is a number equal to or greater than the one you enter.",
    operand: "number",
    operandSchema: finiteNumber,
    expects: "a number",
    test: (bound) => (value) => typeof value === "number" && value >= bound,
  }),
  $lt: defineOperator<number>({
    label: "less than",
    description: "The field is a number less than the one you enter.",
    operand: "number",
    operandSchema: finiteNumber,
    expects: "a number",
    test: (bound) => (value) => typeof value === "number" && value < bound,
  }),
  $lte: defineOperator<number>({
    label: "at most",
    description: "The field is a number equal to or less than the one you enter.",
    operand: "number",
    operandSchema: finiteNumber,
    expects: "a number",
    test: (bound) => (value) => typeof value === "number" && value <= bound,
  }),
  $before: defineOperator<string>({
    label: "before",
    description: "The field is a date-time (RFC 3339) earlier than the one you enter.",
    operand: "datetime",
    operandSchema: dateTimeOperand,
    expects: 'an RFC 3339 date-time string ("2026-01-15T09:30:00Z")',
    test: (bound) => {
      const limit = dateTimeMillis(bound);
      return (value) => dateTimeMillis(value) < limit;
    },
  }),
  $after: defineOperator<string>({
    label: "after",
    description: "The field is a date-time (RFC 3339) later than the one you enter.",
    operand: "datetime",
    operandSchema: dateTimeOperand,
    expects: 'an RFC 3339 date-time string ("2026-01-15T09:30:00Z")',
    test: (bound) => {
      const limit = dateTimeMillis(bound);
      return (value) => dateTimeMillis(value) > limit;
    },
  }),
} as const;

export type OperatorName = keyof typeof OPERATORS;
export const OPERATOR_PREFIX = "$";

export function isOperatorKey(key: string): boolean {
  return key.startsWith(OPERATOR_PREFIX);
}

export function isKnownOperator(key: string): key is OperatorName {
  return Object.hasOwn(OPERATORS, key);
}

/** Operators in display order with their labels, for forms generated from data. */
export const FILTER_OPERATORS: ReadonlyArray<{
  operator: OperatorName;
  label: string;
  description: string;
  operand: OperandKind;
}> = (Object.keys(OPERATORS) as OperatorName[]).map((operator) => ({
  operator,
  label: OPERATORS[operator].label,
  description: OPERATORS[operator].description,
  operand: OPERATORS[operator].operand,
}));

/** An object is a condition when every key is an operator; a nested filter when none is. */
export type ObjectShape = "condition" | "nested" | "mixed";

export function objectShape(value: Record<string, unknown>): ObjectShape {
  const keys = Object.keys(value);
  const operatorCount = keys.filter(isOperatorKey).length;
  if (operatorCount === 0) return "nested";
  return operatorCount === keys.length ? "condition" : "mixed";
}

export { isPlainObject };
