import { FILTER_OPERATORS, type OperandKind, type OperatorName } from "@/core/filter";

/**
 * The generated filter form: one row per field the hook provides, each a condition and a value as
 * typed. These functions turn rows into the shared filter JSON and back, so the form stays generated
 * from `providesArgs` and the operator registry rather than written per hook (durian's way).
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

/** The operand an operator gets from what was typed. */
export function operandOf(operator: OperatorName, typed: string): unknown {
  switch (operandKindOf(operator)) {
    case "true":
      return true;
    case "text":
    case "pattern":
      return typed;
    case "values":
      return parseList(typed);
    case "boolean":
      return typed !== "false";
    case "number":
      return parseNumber(typed);
    case "value":
    case "condition":
      return parseTypedValue(typed);
  }
}

function typedOf(operator: OperatorName, operand: unknown): string {
  switch (operandKindOf(operator)) {
    case "true":
      return "";
    case "text":
    case "pattern":
      return typeof operand === "string" ? operand : JSON.stringify(operand);
    case "values":
      return formatList(operand);
    case "boolean":
      return operand === false ? "false" : "true";
    case "number":
      return typeof operand === "number" ? String(operand) : formatTypedValue(operand);
    case "value":
    case "condition":
      return formatTypedValue(operand);
  }
}

/** The filter the rows describe; rows without a condition are left out (they match anything). */
export function rowsToFilter(rows: readonly FilterRow[]): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  for (const row of rows) {
    if (row.operator === NO_CONDITION) continue;
    filter[row.field] = { [row.operator]: operandOf(row.operator, row.value) };
  }
  return filter;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function knownOperator(key: string): OperatorName | null {
  return OPERAND_KINDS.has(key as OperatorName) ? (key as OperatorName) : null;
}

function rowFor(field: string, condition: unknown): FilterRow | null {
  if (!isPlainObject(condition)) return { field, operator: "$is", value: formatTypedValue(condition) };
  const entries = Object.entries(condition);
  const [only] = entries;
  if (entries.length !== 1 || !only) return null; // several operators, or a nested filter
  const operator = knownOperator(only[0]);
  if (!operator) return null;
  // A negated condition object (`{"$not": {"$like": …}}`) has no single-row form.
  if (operandKindOf(operator) === "condition" && isPlainObject(only[1])) return null;
  return { field, operator, value: typedOf(operator, only[1]) };
}

/**
 * One row per provided field, filled from a stored filter; null when the filter says something rows
 * cannot (dotted or nested fields, several operators on a field, a negated condition object), in
 * which case the form edits it as JSON instead.
 */
export function filterToRows(
  filter: Record<string, unknown>,
  providesArgs: readonly string[],
): FilterRow[] | null {
  const provided = new Set(providesArgs);
  if (Object.keys(filter).some((field) => !provided.has(field))) return null;
  const rows: FilterRow[] = [];
  for (const field of providesArgs) {
    if (!Object.hasOwn(filter, field)) {
      rows.push({ field, operator: NO_CONDITION, value: "" });
      continue;
    }
    const row = rowFor(field, filter[field]);
    if (!row) return null;
    rows.push(row);
  }
  return rows;
}

/** Rows for a new listener: no condition on any field. */
export function emptyRows(providesArgs: readonly string[]): FilterRow[] {
  return providesArgs.map((field) => ({ field, operator: NO_CONDITION, value: "" }));
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
