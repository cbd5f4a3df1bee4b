import { describe, expect, it } from "vitest";
import type { HookFieldInput } from "../hook-fields/field-spec";
import { normalizeHookField } from "../hook-fields/field-spec";
import { validateFilter } from "./schema";
import { operatorsForSchema } from "./typed-fields";

const fields = (
  [
    "note",
    { name: "age", schema: { type: "integer" } },
    { name: "vip", schema: { type: "boolean" } },
    { name: "plan", schema: { type: "string", enum: ["free", "pro"] } },
    { name: "at", schema: { type: "string", format: "date-time" } },
    { name: "address", schema: { type: "object", properties: { city: { type: "string" } } } },
  ] satisfies HookFieldInput[]
).map(normalizeHookField);

const messagesOf = (filter: unknown) => {
  const result = validateFilter(filter, fields);
  return result.ok ? [] : result.errors.map((error) => `${error.path.join(".")}: ${error.message}`);
};

describe("filters against field types", () => {
  it("offers per type only the operators that can match", () => {
    expect(operatorsForSchema({ type: "integer" })).toEqual([
      "$any",
      "$is",
      "$in",
      "$not",
      "$exists",
      "$gt",
      "$gte",
      "$lt",
      "$lte",
    ]);
    expect(operatorsForSchema({ type: "boolean" })).toEqual(["$any", "$is", "$not", "$exists"]);
    expect(operatorsForSchema({ enum: ["a"] })).toEqual(["$any", "$is", "$in", "$not", "$exists"]);
    expect(operatorsForSchema({ type: "string", format: "date-time" })).toEqual([
      "$any",
      "$is",
      "$in",
      "$not",
      "$exists",
      "$before",
      "$after",
    ]);
    expect(operatorsForSchema({})).toHaveLength(15);
  });

  it("accepts filters that can match", () => {
    expect(
      messagesOf({
        note: { $startswith: "x" },
        age: { $gt: 30, $not: { $in: [40, 41] } },
        vip: true,
        plan: { $in: ["pro"] },
        at: { $after: "2026-01-01T00:00:00Z" },
        "address.city": { $startswith: "Q" },
        address: { city: "Queens" },
      }),
    ).toEqual([]);
  });

  it("refuses operators and values that can never match, saying why", () => {
    expect(messagesOf({ age: { $startswith: "4" } })).toEqual([
      'age.$startswith: age: "starts with" ($startswith) cannot match an integer; use "any value", "is", "is one of", "is not", "exists", "greater than", "at least", "less than", "at most"',
    ]);
    expect(messagesOf({ age: "forty" })).toEqual([
      'age: age: "forty" can never match: the field is an integer',
    ]);
    expect(messagesOf({ plan: { $in: ["pro", "gold"] } })).toEqual([
      'plan.$in.1: plan: "gold" can never match: the field is one of "free", "pro"',
    ]);
    expect(messagesOf({ vip: { $not: "yes" } })).toEqual([
      'vip.$not: vip: "yes" can never match: the field is true or false',
    ]);
    expect(messagesOf({ "address.zip": "1" })).toEqual([
      'address.zip: address.zip: has no field "zip" (it has city)',
    ]);
    expect(messagesOf({ "age.years": 1 })).toEqual([
      'age.years: age.years: cannot reach "years" inside an integer: only objects have fields',
    ]);
    expect(messagesOf({ address: { city: 7 } })).toEqual([
      "address.city: address.city: 7 can never match: the field is a string",
    ]);
  });
});
