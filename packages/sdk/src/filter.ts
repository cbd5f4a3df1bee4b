import { InvalidFilter } from "./errors";
import type { FilterJson } from "./api-types";
import { type ConditionJson, isFilterOperator } from "./filter-json";
import { NotJsonError, isPlainObject, toJsonValue } from "./json-value";
import { Matcher } from "./matchers";

/**
 * What apps write as a filter: field → matcher, bare value, raw condition object
 * (`{ $startswith: "J" }`) or nested filter (`{ address: { city: "Oslo" } }`).
 */
export type FilterInput = { [field: string]: unknown };

/** Serialises a filter written with matchers into the shared filter JSON, refusing what it cannot be. */
export function serializeFilter(input: FilterInput): FilterJson {
  if (!isPlainObject(input)) throw new InvalidFilter("", "a filter is an object keyed by payload field");
  return serializeFields(input, "");
}

/**
 * Merges two filters field by field; conditions on the same field are ANDed
 * (`{age: Gte(1)}` + `{age: Lt(10)}` → `{age: {$gte: 1, $lt: 10}}`).
 */
export function mergeFilters(first: FilterJson, second: FilterJson): FilterJson {
  const merged: FilterJson = { ...first };
  for (const [field, condition] of Object.entries(second)) {
    const existing = merged[field];
    merged[field] = existing === undefined ? condition : andConditions(field, existing, condition);
  }
  return merged;
}

/** Payload fields a filter addresses at the top level (`customer.email` addresses `customer`). */
export function topLevelFields(filter: FilterJson): string[] {
  return Object.keys(filter).map((field) => field.split(".")[0] ?? field);
}

function serializeFields(fields: Record<string, unknown>, parentPath: string): FilterJson {
  const filter: FilterJson = {};
  for (const [field, value] of Object.entries(fields)) {
    const path = parentPath ? `${parentPath}.${field}` : field;
    if (field.startsWith("$")) {
      throw new InvalidFilter(
        path,
        `"${field}" is not a field name (operators go inside a field's condition)`,
      );
    }
    if (field.split(".").some((part) => part === "")) {
      throw new InvalidFilter(
        path,
        "has an empty part (a dotted key names a field inside a provided object)",
      );
    }
    filter[field] = serializeFieldValue(value, path);
  }
  return filter;
}

function serializeFieldValue(value: unknown, path: string): FilterJson[string] {
  if (value === undefined) throw new InvalidFilter(path, "has no condition (undefined)");
  if (value instanceof Matcher) return value.toJSON();
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    const operators = keys.filter((key) => key.startsWith("$"));
    if (operators.length === 0) return serializeFields(value, path);
    if (operators.length !== keys.length) {
      throw new InvalidFilter(path, `mixes operators (${operators.join(", ")}) with field names`);
    }
    return serializeCondition(value, path);
  }
  return jsonAt(value, path);
}

function serializeCondition(condition: Record<string, unknown>, path: string): ConditionJson {
  for (const operator of Object.keys(condition)) {
    if (!isFilterOperator(operator)) throw new InvalidFilter(path, `unknown operator ${operator}`);
  }
  return jsonAt(condition, path) as ConditionJson;
}

function andConditions(field: string, first: FilterJson[string], second: FilterJson[string]): ConditionJson {
  const left = asCondition(first);
  const right = asCondition(second);
  if (!left || !right) {
    throw new InvalidFilter(field, "has a nested filter and another condition; put them in one match()");
  }
  try {
    return new Matcher(left).and(new Matcher(right)).toJSON();
  } catch (error) {
    if (error instanceof InvalidFilter)
      throw new InvalidFilter(field, error.message.replace(/^Filter: /, ""));
    throw error;
  }
}

/** A condition object as is, a bare value as `$is`; undefined for a nested filter. */
function asCondition(value: FilterJson[string]): ConditionJson | undefined {
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    return keys.length > 0 && keys.every((key) => key.startsWith("$")) ? (value as ConditionJson) : undefined;
  }
  return { $is: value as ConditionJson["$is"] };
}

function jsonAt(value: unknown, path: string) {
  try {
    return toJsonValue(value);
  } catch (error) {
    if (error instanceof NotJsonError) throw new InvalidFilter(path, error.message.replace(/^value /, ""));
    throw error;
  }
}
