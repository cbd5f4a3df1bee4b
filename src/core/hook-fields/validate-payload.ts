import { isDateTime } from "./date-time";
import { describeFieldType } from "./describe-type";
import type { FieldSchema, HookField } from "./field-spec";

/**
 * Checks payloads against a hook's field types. The schema is compiled once into closures (ingest
 * keeps one per hook in its plan), so checking an event walks only its values, never the schema's
 * keywords again.
 */

/** One thing wrong with a payload: the path from the payload's root (`["address", "city"]`) and what. */
export interface PayloadProblem {
  path: (string | number)[];
  message: string;
}

type Check = (value: unknown, path: (string | number)[], problems: PayloadProblem[]) => void;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Characters as JSON Schema counts them (code points, not UTF-16 units). */
function codePointLength(text: string): number {
  let length = 0;
  for (const _ of text) length++;
  return length;
}

/** The test of a value's JSON type against the schema's `type` (its format included); null when it has none. */
export function typeTest(schema: FieldSchema): ((value: unknown) => boolean) | null {
  switch (schema.type) {
    case undefined:
      return null;
    case "string":
      return schema.format === "date-time" ? isDateTime : (value) => typeof value === "string";
    case "number":
      return (value) => typeof value === "number";
    case "integer":
      return (value) => Number.isInteger(value);
    case "boolean":
      return (value) => typeof value === "boolean";
    case "object":
      return isPlainObject;
    case "array":
      return Array.isArray;
  }
}

function compileSchema(schema: FieldSchema): Check {
  const checks: Check[] = [];
  const expected = describeFieldType(schema);
  const isType = typeTest(schema);
  if (schema.enum) {
    const allowed = new Set<unknown>(schema.enum);
    checks.push((value, path, problems) => {
      if (!allowed.has(value)) problems.push({ path, message: `must be ${expected}` });
    });
  } else if (isType) {
    checks.push((value, path, problems) => {
      if (!isType(value))
        problems.push({ path, message: `must be ${expected}, got ${describeValue(value)}` });
    });
  }
  const { minLength, maxLength, minimum, maximum } = schema;
  if (minLength !== undefined || maxLength !== undefined) {
    checks.push((value, path, problems) => {
      if (typeof value !== "string") return;
      const length = codePointLength(value);
      if (minLength !== undefined && length < minLength)
        problems.push({ path, message: `must be at least ${minLength} characters long` });
      if (maxLength !== undefined && length > maxLength)
        problems.push({ path, message: `must be at most ${maxLength} characters long` });
    });
  }
  if (minimum !== undefined || maximum !== undefined) {
    checks.push((value, path, problems) => {
      if (typeof value !== "number") return;
      if (minimum !== undefined && value < minimum)
        problems.push({ path, message: `must be at least ${minimum}` });
      if (maximum !== undefined && value > maximum)
        problems.push({ path, message: `must be at most ${maximum}` });
    });
  }
  if (schema.type === "object" && schema.properties) checks.push(compileProperties(schema));
  if (schema.type === "array" && schema.items && Object.keys(schema.items).length > 0) {
    const checkItem = compileSchema(schema.items);
    checks.push((value, path, problems) => {
      if (!Array.isArray(value)) return;
      value.forEach((item, index) => checkItem(item, [...path, index], problems));
    });
  }
  if (checks.length === 1) return checks[0]!;
  return (value, path, problems) => {
    for (const check of checks) check(value, path, problems);
  };
}

/** What is wrong with one value for a schema (a listener option's, say); none when it fits. */
export function valueProblems(schema: FieldSchema, value: unknown): PayloadProblem[] {
  const problems: PayloadProblem[] = [];
  compileSchema(schema)(value, [], problems);
  return problems;
}

/** A nested object's declared properties: the only keys it may have (like the payload's own fields). */
function compileProperties(schema: FieldSchema): Check {
  const properties = new Map(
    Object.entries(schema.properties ?? {}).map(([name, property]) => [name, compileSchema(property)]),
  );
  const required = schema.required ?? [];
  return (value, path, problems) => {
    if (!isPlainObject(value)) return;
    for (const name of required)
      if (!Object.hasOwn(value, name)) problems.push({ path: [...path, name], message: "is required" });
    for (const [name, item] of Object.entries(value)) {
      const check = properties.get(name);
      if (!check) {
        problems.push({
          path: [...path, name],
          message: `is not a field of this object (it has ${[...properties.keys()].join(", ") || "none"})`,
        });
      } else check(item, [...path, name], problems);
    }
  };
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "string")
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${JSON.stringify(value)}`;
}

export type PayloadValidator = (payload: Readonly<Record<string, unknown>>) => PayloadProblem[];

/** No field has a type or is required: every payload of provided fields passes. */
const acceptsAll: PayloadValidator = () => [];

/**
 * The validator of a hook's payloads (whose unknown fields were already refused): required fields
 * present, typed fields of their type. Bare names accept any value.
 */
export function compilePayloadValidator(fields: readonly HookField[]): PayloadValidator {
  const typed = fields
    .filter((field) => field.required || Object.keys(field.schema).length > 0)
    .map((field) => ({ name: field.name, required: field.required, check: compileSchema(field.schema) }));
  if (typed.length === 0) return acceptsAll;
  return (payload) => {
    const problems: PayloadProblem[] = [];
    for (const { name, required, check } of typed) {
      if (!Object.hasOwn(payload, name) || payload[name] === undefined) {
        if (required) problems.push({ path: [name], message: "is required" });
        continue;
      }
      check(payload[name], [name], problems);
    }
    return problems;
  };
}
