import {
  FILTER_OPERATORS,
  operatorsForSchema,
  type HookFieldsLike,
  type OperandKind,
  type OperatorName,
} from "@/core/filter";
import { normalizeHookField, type FieldSchema, type HookField } from "@/core/hook-fields";

/**
 * The generated filter form: one row per field the hook provides, each a condition and a value as
 * typed. These functions turn rows into the shared filter JSON and back, so the form stays generated
 * from `providesArgs` and the operator registry rather than written per hook (durian's way). A typed
 * field offers only the operators that can match its type, and reads what was typed as its type
 * (`42` stays the text "42" for a string field).
 */

export interface FilterRow {
  field: string;
  operator: OperatorName;
  /** What the user typed; its meaning depends on the operator's operand kind. */
  value: string;
}

/** The row default: no condition on the field. */
export const NO_CONDITION: OperatorName = "$any";

const OPERAND_KINDS = new Map<OperatorName, OperandKind>(
  FILTER_OPERATORS.map(({ operator, operand }) => [operator, operand]),
);

export function operandKindOf(operator: OperatorName): OperandKind {
  return OPERAND_KINDS.get(operator) ?? "value";
}

/** Whether the user types a value for this operator (`any` takes none). */
export function takesValue(operator: OperatorName): boolean {
  return operandKindOf(operator) !== "true";
}

/** Separator of `in` lists typed in one input. */
export const LIST_SEPARATOR = ",";

/**
 * A typed value: valid JSON means that JSON value (42, true, null, "42", [1, 2]); anything else is
 * the text as typed. So `Joe` is the string "Joe" and `42` the number 42.
 */
export function parseTypedValue(typed: string): unknown {
  const trimmed = typed.trim();
  if (trimmed === "") return typed;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return typed;
  }
}

function isJsonText(text: string): boolean {
  try {
    JSON.parse(text.trim());
    return text.trim() !== "";
  } catch {
    return false;
  }
}

/** The text that parses back to `value` with `parseTypedValue`. */
export function formatTypedValue(value: unknown): string {
  if (typeof value === "string") return isJsonText(value) ? JSON.stringify(value) : value;
  return JSON.stringify(value);
}

function parseList(typed: string): unknown {
  const trimmed = typed.trim();
  if (trimmed.startsWith("[")) return parseTypedValue(trimmed);
  if (trimmed === "") return [];
  return trimmed.split(LIST_SEPARATOR).map((item) => parseTypedValue(item.trim()));
}

function formatList(values: unknown): string {
  if (!Array.isArray(values)) return JSON.stringify(values);
  const items = values.map(formatTypedValue);
  const ambiguous = items.some(
    (item) => item.includes(LIST_SEPARATOR) || item.trim() !== item || item === "",
  );
  return ambiguous ? JSON.stringify(values) : items.join(`${LIST_SEPARATOR} `);
}

function parseNumber(typed: string): unknown {
  const trimmed = typed.trim();
  const number = Number(trimmed);
  // Anything else goes through as typed so the shared validator names the problem.
  return trimmed !== "" && Number.isFinite(number) ? number : typed;
}

/** The kind of value a field's schema holds, for reading what was typed; "json" when untyped. */
export type ValueKind = "json" | "text" | "datetime" | "number" | "boolean" | "enum";

export function valueKindOf(schema: FieldSchema): ValueKind {
  if (schema.enum) return "enum";
  switch (schema.type) {
    case "string":
      return schema.format === "date-time" ? "datetime" : "text";
    case "number":
    case "integer":
      return "number";
    case "boolean":
      return "boolean";
    default:
      return "json";
  }
}

/**
 * A date-time input's value (`2026-01-15T09:30` or with seconds, read as UTC) as RFC 3339; anything
 * else as typed, for the shared validator to name.
 */
export function dateTimeOperand(typed: string): string {
  const trimmed = typed.trim();
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(trimmed)) return `${trimmed}:00Z`;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(trimmed)) return `${trimmed}Z`;
  return typed;
}

/** An RFC 3339 operand as a date-time input's value (UTC, to the second); null when that loses something. */
function dateTimeInputValue(operand: unknown): string | null {
  if (typeof operand !== "string") return null;
  const millis = Date.parse(operand);
  if (Number.isNaN(millis) || millis % 1000 !== 0) return null;
  return new Date(millis).toISOString().slice(0, 19);
}

/** One typed value of a field of this kind. */
function valueOf(kind: ValueKind, schema: FieldSchema, typed: string): unknown {
  switch (kind) {
    case "text":
      return typed;
    case "datetime":
      return dateTimeOperand(typed);
    case "number":
      return parseNumber(typed);
    case "boolean":
      return typed === "true" ? true : typed === "false" ? false : typed;
    case "enum":
      return schema.enum?.find((value) => String(value) === typed) ?? typed;
    case "json":
      return parseTypedValue(typed);
  }
}

/** The text a value of this kind is typed as; null when the row's input cannot show it. */
function typedValueOf(kind: ValueKind, value: unknown): string | null {
  switch (kind) {
    case "text":
      return typeof value === "string" ? value : null;
    case "datetime":
      return dateTimeInputValue(value);
    case "number":
      return typeof value === "number" ? String(value) : null;
    case "boolean":
    case "enum":
      return value === null || typeof value === "object" ? null : String(value);
    case "json":
      return formatTypedValue(value);
  }
}

function parseTypedList(kind: ValueKind, schema: FieldSchema, typed: string): unknown {
  if (kind === "json") return parseList(typed);
  const trimmed = typed.trim();
  if (trimmed.startsWith("[")) return parseTypedValue(trimmed);
  if (trimmed === "") return [];
  return trimmed.split(LIST_SEPARATOR).map((item) => valueOf(kind, schema, item.trim()));
}

function formatTypedList(kind: ValueKind, values: unknown): string | null {
  if (kind === "json") return formatList(values);
  if (!Array.isArray(values)) return null;
  const items = values.map((value) => typedValueOf(kind, value));
  if (items.some((item) => item === null)) return null;
  const ambiguous = (items as string[]).some(
    (item) => item.includes(LIST_SEPARATOR) || item.trim() !== item || item === "",
  );
  return ambiguous ? JSON.stringify(values) : items.join(`${LIST_SEPARATOR} `);
}

/** The operand an operator gets from what was typed, read as the field's type. */
export function operandOf(operator: OperatorName, typed: string, schema: FieldSchema = {}): unknown {
  const kind = valueKindOf(schema);
  switch (operandKindOf(operator)) {
    case "true":
      return true;
    case "text":
    case "pattern":
      return typed;
    case "values":
      return parseTypedList(kind, schema, typed);
    case "boolean":
      return typed !== "false";
    case "number":
      return parseNumber(typed);
    case "datetime":
      return dateTimeOperand(typed);
    case "value":
    case "condition":
      return valueOf(kind, schema, typed);
  }
}

function typedOf(operator: OperatorName, operand: unknown, schema: FieldSchema): string | null {
  const kind = valueKindOf(schema);
  switch (operandKindOf(operator)) {
    case "true":
      return "";
    case "text":
    case "pattern":
      return typeof operand === "string" ? operand : JSON.stringify(operand);
    case "values":
      return formatTypedList(kind, operand);
    case "boolean":
      return operand === false ? "false" : "true";
    case "number":
      return typeof operand === "number" ? String(operand) : formatTypedValue(operand);
    case "datetime":
      return dateTimeInputValue(operand);
    case "value":
    case "condition":
      return typedValueOf(kind, operand);
  }
}

/** A hook's fields by name, normalized (bare names are untyped). */
export function fieldsByName(fields: HookFieldsLike): Map<string, HookField> {
  return new Map(
    fields.map((field) => {
      const normalized = typeof field === "string" ? normalizeHookField(field) : field;
      return [normalized.name, normalized];
    }),
  );
}

/** The filter the rows describe; rows without a condition are left out (they match anything). */
export function rowsToFilter(
  rows: readonly FilterRow[],
  fields: HookFieldsLike = [],
): Record<string, unknown> {
  const byName = fieldsByName(fields);
  const filter: Record<string, unknown> = {};
  for (const row of rows) {
    if (row.operator === NO_CONDITION) continue;
    filter[row.field] = { [row.operator]: operandOf(row.operator, row.value, byName.get(row.field)?.schema) };
  }
  return filter;
}

/** The operators a row offers: those that can match its field's type. */
export function operatorsForField(field: HookField | undefined): typeof FILTER_OPERATORS {
  if (!field) return FILTER_OPERATORS;
  const allowed = new Set(operatorsForSchema(field.schema));
  return FILTER_OPERATORS.filter(({ operator }) => allowed.has(operator));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function knownOperator(key: string): OperatorName | null {
  return OPERAND_KINDS.has(key as OperatorName) ? (key as OperatorName) : null;
}

function rowFor(field: HookField, condition: unknown): FilterRow | null {
  const [operatorKey, operand] = isPlainObject(condition)
    ? (Object.entries(condition)[0] ?? [])
    : ["$is", condition];
  // Several operators, or a nested filter.
  if (isPlainObject(condition) && Object.keys(condition).length !== 1) return null;
  const operator = operatorKey === undefined ? null : knownOperator(operatorKey);
  if (!operator || !operatorsForSchema(field.schema).includes(operator)) return null;
  // A negated condition object (`{"$not": {"$like": …}}`) has no single-row form.
  if (operandKindOf(operator) === "condition" && isPlainObject(operand)) return null;
  const value = typedOf(operator, operand, field.schema);
  return value === null ? null : { field: field.name, operator, value };
}

/**
 * One row per provided field, filled from a stored filter; null when the filter says something rows
 * cannot (dotted or nested fields, several operators on a field, a negated condition object), in
 * which case the form edits it as JSON instead.
 */
export function filterToRows(filter: Record<string, unknown>, fields: HookFieldsLike): FilterRow[] | null {
  const byName = fieldsByName(fields);
  if (Object.keys(filter).some((field) => !byName.has(field))) return null;
  const rows: FilterRow[] = [];
  for (const field of byName.values()) {
    if (!Object.hasOwn(filter, field.name)) {
      rows.push({ field: field.name, operator: NO_CONDITION, value: "" });
      continue;
    }
    const row = rowFor(field, filter[field.name]);
    if (!row) return null;
    rows.push(row);
  }
  return rows;
}

/** Rows for a new listener: no condition on any field. */
export function emptyRows(fields: HookFieldsLike): FilterRow[] {
  return [...fieldsByName(fields).keys()].map((field) => ({ field, operator: NO_CONDITION, value: "" }));
}

/**
 * The provided field an error path points at: `["name", "$like"]` from the shared validator, or
 * `filter.name.$like` from the API's field errors. Dotted keys ("customer.email") name their first part.
 */
export function rowFieldOfPath(path: readonly (string | number)[] | string): string | null {
  const parts = typeof path === "string" ? path.split(".") : path.map(String);
  const rest = parts[0] === "filter" && typeof path === "string" ? parts.slice(1) : parts;
  const first = rest[0];
  return first === undefined || first === "" || first.startsWith("$") ? null : first;
}

/** The input a row shows for its value: chosen by the operator, then by the field's type. */
export type ValueInput =
  | "none"
  | "exists"
  | "text"
  | "pattern"
  | "json"
  | "list"
  | "number"
  | "datetime"
  | "boolean"
  | "enum"
  | "enum-list";

export function valueInputFor(operator: OperatorName, schema: FieldSchema = {}): ValueInput {
  const kind = valueKindOf(schema);
  switch (operandKindOf(operator)) {
    case "true":
      return "none";
    case "boolean":
      return "exists";
    case "text":
      return "text";
    case "pattern":
      return "pattern";
    case "number":
      return "number";
    case "datetime":
      return "datetime";
    case "values":
      return kind === "enum" ? "enum-list" : "list";
    case "value":
    case "condition":
      return kind === "text" ? "text" : kind;
  }
}

/** The values an `is one of` row of an enum field has chosen, as the select's option values. */
export function chosenEnumValues(typed: string, schema: FieldSchema): string[] {
  const chosen = parseTypedList("enum", schema, typed);
  return Array.isArray(chosen) ? chosen.map(String) : [];
}

/** The row value for enum options chosen by their option values: a JSON list, so commas in values are safe. */
export function enumListValue(options: readonly string[], schema: FieldSchema): string {
  return JSON.stringify(
    options.map((option) => schema.enum?.find((value) => String(value) === option) ?? option),
  );
}
