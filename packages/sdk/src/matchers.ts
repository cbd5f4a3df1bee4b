// durian's matching classes as functions returning a Matcher, which serialises to a condition object
// of the shared filter language: `Startswith("J")` → `{ "$startswith": "J" }`.

import type { JsonValue } from "./api-types";
import { isDateTime } from "../../../src/core/hook-fields/date-time";
import { InvalidFilter } from "./errors";
import type { ConditionJson } from "./filter-json";
import { NotJsonError, isPlainObject, toJsonValue } from "./json-value";

export class Matcher {
  readonly condition: Readonly<ConditionJson>;

  constructor(condition: ConditionJson) {
    this.condition = Object.freeze({ ...condition });
  }

  /**
   * Both conditions must hold: `Gte(1).and(Lt(10))` → `{ "$gte": 1, "$lt": 10 }`. The same operator
   * twice cannot be expressed in one condition object and is refused (wrap one side in `Not` or
   * rethink the condition).
   */
  and(other: Matcher): Matcher {
    for (const operator of Object.keys(other.condition)) {
      if (operator in this.condition) {
        throw new InvalidFilter("", `cannot combine two ${operator} conditions on the same field`);
      }
    }
    return new Matcher({ ...this.condition, ...other.condition });
  }

  toJSON(): ConditionJson {
    return { ...this.condition };
  }
}

/** Matches anything, even a field that was not sent at all. */
export function Any(): Matcher {
  return new Matcher({ $any: true });
}

/** Strict (deep) equality. A bare value in a filter means the same. */
export function Is(value: unknown): Matcher {
  return new Matcher({ $is: jsonArgument("Is", value) });
}

/** The value is a string starting with `prefix`. */
export function Startswith(prefix: string): Matcher {
  return new Matcher({ $startswith: stringArgument("Startswith", prefix) });
}

/** The value is a string ending with `suffix`. */
export function Endswith(suffix: string): Matcher {
  return new Matcher({ $endswith: stringArgument("Endswith", suffix) });
}

/** The value is a string containing `part`. */
export function Contains(part: string): Matcher {
  return new Matcher({ $contains: stringArgument("Contains", part) });
}

const INLINE_REGEX_FLAGS: Record<string, string> = { i: "i", m: "m", s: "s" };

/**
 * The value is a string in which the regular expression finds a match (search semantics, like
 * durian's `re.search`). The server runs it on a linear-time engine (RE2 syntax). A RegExp's `i`, `m`
 * and `s` flags become inline flags (`(?i)`); `g` and `y` mean nothing for a yes/no match and are
 * dropped; other flags are refused.
 */
export function Like(pattern: string | RegExp): Matcher {
  if (pattern instanceof RegExp) {
    let inline = "";
    for (const flag of pattern.flags) {
      if (flag === "g" || flag === "y" || flag === "u") continue;
      const mapped = INLINE_REGEX_FLAGS[flag];
      if (!mapped) throw new InvalidFilter("", `Like() cannot carry the RegExp flag "${flag}"`);
      inline += mapped;
    }
    return new Matcher({ $like: inline ? `(?${inline})${pattern.source}` : pattern.source });
  }
  return new Matcher({ $like: stringArgument("Like", pattern) });
}

/** The value equals one of `values`. */
export function In(values: readonly unknown[]): Matcher {
  if (!Array.isArray(values) || values.length === 0) {
    throw new InvalidFilter("", "In() takes a non-empty array of values");
  }
  return new Matcher({ $in: values.map((value, index) => jsonArgument(`In()[${index}]`, value)) });
}

/** Negates a matcher, or a bare value (`Not("Joe")` is `Not(Is("Joe"))`). */
export function Not(condition: Matcher | unknown): Matcher {
  const negated = condition instanceof Matcher ? condition.toJSON() : { $is: jsonArgument("Not", condition) };
  return new Matcher({ $not: negated });
}

/** The field is present (`Exists()`, `Exists(true)`) or absent (`Exists(false)`). */
export function Exists(present = true): Matcher {
  if (typeof present !== "boolean") throw new InvalidFilter("", "Exists() takes true or false");
  return new Matcher({ $exists: present });
}

/** The value is a number greater than `bound`. */
export function Gt(bound: number): Matcher {
  return new Matcher({ $gt: numberArgument("Gt", bound) });
}

/** The value is a number greater than or equal to `bound`. */
export function Gte(bound: number): Matcher {
  return new Matcher({ $gte: numberArgument("Gte", bound) });
}

/** The value is a number less than `bound`. */
export function Lt(bound: number): Matcher {
  return new Matcher({ $lt: numberArgument("Lt", bound) });
}

/** The value is a number less than or equal to `bound`. */
export function Lte(bound: number): Matcher {
  return new Matcher({ $lte: numberArgument("Lte", bound) });
}

/** The value is a date-time (RFC 3339) earlier than `instant` (a Date, or an RFC 3339 string). */
export function Before(instant: Date | string): Matcher {
  return new Matcher({ $before: dateTimeArgument("Before", instant) });
}

/** The value is a date-time (RFC 3339) later than `instant` (a Date, or an RFC 3339 string). */
export function After(instant: Date | string): Matcher {
  return new Matcher({ $after: dateTimeArgument("After", instant) });
}

function dateTimeArgument(matcher: string, value: unknown): string {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
  if (typeof value === "string" && isDateTime(value)) return value;
  throw new InvalidFilter(
    "",
    `${matcher}() takes a Date or an RFC 3339 date-time string, got ${describe(value)}`,
  );
}

function stringArgument(matcher: string, value: unknown): string {
  if (typeof value !== "string")
    throw new InvalidFilter("", `${matcher}() takes a string, got ${describe(value)}`);
  return value;
}

function numberArgument(matcher: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new InvalidFilter("", `${matcher}() takes a finite number, got ${describe(value)}`);
  }
  return value;
}

function jsonArgument(matcher: string, value: unknown): JsonValue {
  if (value === undefined) throw new InvalidFilter("", `${matcher} takes a value, got undefined`);
  try {
    return toJsonValue(value);
  } catch (error) {
    if (error instanceof NotJsonError) throw new InvalidFilter("", `${matcher}: ${error.message}`);
    throw error;
  }
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (isPlainObject(value)) return "an object";
  return typeof value === "string" ? `"${value}"` : `${typeof value} ${String(value)}`;
}
