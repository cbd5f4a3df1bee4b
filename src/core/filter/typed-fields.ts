import { describeFieldType } from "../hook-fields/describe-type";
import type { FieldSchema, HookField } from "../hook-fields/field-spec";
import { typeTest } from "../hook-fields/validate-payload";
import { splitFieldPath } from "./field-path";
import { isPlainObject } from "./json";
import { isKnownOperator, isOperatorKey, objectShape, OPERATORS, type OperatorName } from "./operators";

/**
 * Filters against a hook's field types: only the operators that can match a field of its type, and
 * operands of that type. A filter that could never match (`age` starts with "4", `age` is "forty")
 * is refused with the reason, instead of being saved to silently match nothing.
 */

type Problem = { path: (string | number)[]; problem: string };

const PRESENCE: OperatorName[] = ["$any", "$exists", "$not"];

/** The operators that can match a field of this type, in the registry's display order. */
export function operatorsForSchema(schema: FieldSchema): OperatorName[] {
  const all = Object.keys(OPERATORS) as OperatorName[];
  let allowed: OperatorName[];
  if (schema.enum) allowed = ["$is", "$in", ...PRESENCE];
  else
    switch (schema.type) {
      case undefined:
        return all;
      case "string":
        allowed =
          schema.format === "date-time"
            ? ["$is", "$in", "$before", "$after", ...PRESENCE]
            : ["$is", "$in", "$startswith", "$endswith", "$contains", "$like", ...PRESENCE];
        break;
      case "number":
      case "integer":
        allowed = ["$is", "$in", "$gt", "$gte", "$lt", "$lte", ...PRESENCE];
        break;
      case "boolean":
        allowed = ["$is", ...PRESENCE];
        break;
      case "object":
      case "array":
        allowed = ["$is", ...PRESENCE];
        break;
    }
  return all.filter((operator) => allowed.includes(operator));
}

/** Whether a value (an `$is` or `$in` operand) is one the field can have. */
function admitsValue(schema: FieldSchema, value: unknown): boolean {
  if (schema.enum) return schema.enum.includes(value as never);
  return typeTest(schema)?.(value) ?? true;
}

function isTyped(schema: FieldSchema): boolean {
  return Object.keys(schema).some((keyword) => keyword !== "description");
}

function checkOperator(
  schema: FieldSchema,
  operator: string,
  operand: unknown,
  path: (string | number)[],
  problems: Problem[],
): void {
  if (!isKnownOperator(operator)) return; // the language check reports it
  const allowed = operatorsForSchema(schema);
  const type = describeFieldType(schema);
  if (!allowed.includes(operator)) {
    problems.push({
      path,
      problem:
        `"${OPERATORS[operator].label}" (${operator}) cannot match ${type}; ` +
        `use ${allowed.map((name) => `"${OPERATORS[name].label}"`).join(", ")}`,
    });
    return;
  }
  if (operator === "$is" && !admitsValue(schema, operand)) {
    problems.push({ path, problem: `${JSON.stringify(operand)} can never match: the field is ${type}` });
  } else if (operator === "$in" && Array.isArray(operand)) {
    operand.forEach((item, index) => {
      if (!admitsValue(schema, item))
        problems.push({
          path: [...path, index],
          problem: `${JSON.stringify(item)} can never match: the field is ${type}`,
        });
    });
  } else if (operator === "$not") {
    checkCondition(schema, operand, path, problems);
  }
}

function checkCondition(
  schema: FieldSchema,
  condition: unknown,
  path: (string | number)[],
  problems: Problem[],
) {
  if (!isPlainObject(condition)) {
    if (!admitsValue(schema, condition))
      problems.push({
        path,
        problem: `${JSON.stringify(condition)} can never match: the field is ${describeFieldType(schema)}`,
      });
    return;
  }
  if (objectShape(condition) === "nested") {
    checkNested(schema, condition, path, problems);
    return;
  }
  for (const [operator, operand] of Object.entries(condition)) {
    checkOperator(schema, operator, operand, [...path, operator], problems);
  }
}

/** A nested filter (or a dotted key) reaches into the field: it must be an object with those properties. */
function checkNested(
  schema: FieldSchema,
  filter: Record<string, unknown>,
  path: (string | number)[],
  problems: Problem[],
): void {
  for (const [key, condition] of Object.entries(filter)) {
    const keyPath = [...path, key];
    if (isOperatorKey(key)) continue;
    const inner = propertySchema(schema, splitFieldPath(key) ?? [key]);
    if (typeof inner === "string") problems.push({ path: keyPath, problem: inner });
    else if (inner && isTyped(inner)) checkCondition(inner, condition, keyPath, problems);
  }
}

/** The schema at a path of property names inside a field, undefined when untyped, or why there is none. */
function propertySchema(schema: FieldSchema, segments: readonly string[]): FieldSchema | string | undefined {
  let current = schema;
  for (const segment of segments) {
    if (!isTyped(current)) return undefined;
    if (current.type !== "object")
      return `cannot reach "${segment}" inside ${describeFieldType(current)}: only objects have fields`;
    if (!current.properties) return undefined;
    if (!Object.hasOwn(current.properties, segment))
      return `has no field "${segment}" (it has ${Object.keys(current.properties).join(", ") || "none"})`;
    current = current.properties[segment]!;
  }
  return current;
}

/** Problems of a filter (already checked for the language and the provided fields) with the hook's types. */
export function typedFieldProblems(filter: Record<string, unknown>, fields: readonly HookField[]): Problem[] {
  const schemas = new Map(fields.map((field) => [field.name, field.schema]));
  const problems: Problem[] = [];
  for (const [key, condition] of Object.entries(filter)) {
    const segments = splitFieldPath(key);
    const schema = segments && schemas.get(segments[0]!);
    if (!segments || !schema || !isTyped(schema)) continue;
    const inner = propertySchema(schema, segments.slice(1));
    if (typeof inner === "string") problems.push({ path: [key], problem: inner });
    else if (inner && isTyped(inner)) checkCondition(inner, condition, [key], problems);
  }
  return problems;
}
