import { describe, expect, it } from "vitest";
import { compileFilter, matchesFilter } from "./compile";
import { FILTER_OPERATORS } from "./operators";

const matches = (condition: unknown, payload: Record<string, unknown>) =>
  matchesFilter({ field: condition }, payload);
const MISSING_FIELD = {};

describe("every operator", () => {
  it("$any matches any value, null, and a missing field", () => {
    for (const value of ["x", 0, null, false, [], { a: 1 }])
      expect(matches({ $any: true }, { field: value })).toBe(true);
    expect(matches({ $any: true }, MISSING_FIELD)).toBe(true);
  });

  it("$is is strict: no coercion between types", () => {
    expect(matches({ $is: 1 }, { field: 1 })).toBe(true);
    expect(matches({ $is: 1 }, { field: "1" })).toBe(false);
    expect(matches({ $is: "true" }, { field: true })).toBe(false);
    expect(matches({ $is: null }, { field: null })).toBe(true);
    expect(matches({ $is: null }, MISSING_FIELD)).toBe(false);
    expect(matches({ $is: 0 }, { field: false })).toBe(false);
    expect(matches({ $is: "Joe" }, { field: "joe" })).toBe(false);
  });

  it("$is compares objects and lists deeply (key order ignored, list order kept)", () => {
    expect(matches({ $is: { a: 1, b: [1, 2] } }, { field: { b: [1, 2], a: 1 } })).toBe(true);
    expect(matches({ $is: { a: 1 } }, { field: { a: 1, b: 2 } })).toBe(false);
    expect(matches({ $is: [1, 2] }, { field: [2, 1] })).toBe(false);
    expect(matches([1, 2], { field: [1, 2] })).toBe(true);
    expect(matches({ $is: [] }, { field: {} })).toBe(false);
  });

  it("a bare value is $is", () => {
    expect(matches("Joe", { field: "Joe" })).toBe(true);
    expect(matches(3, { field: 3 })).toBe(true);
    expect(matches(false, { field: false })).toBe(true);
    expect(matches(null, { field: null })).toBe(true);
    expect(matches(false, MISSING_FIELD)).toBe(false);
  });

  it("$startswith, $endswith and $contains work on strings and never match other types", () => {
    expect(matches({ $startswith: "ab" }, { field: "abc" })).toBe(true);
    expect(matches({ $startswith: "bc" }, { field: "abc" })).toBe(false);
    expect(matches({ $endswith: "bc" }, { field: "abc" })).toBe(true);
    expect(matches({ $endswith: "ab" }, { field: "abc" })).toBe(false);
    expect(matches({ $contains: "b" }, { field: "abc" })).toBe(true);
    expect(matches({ $contains: "x" }, { field: "abc" })).toBe(false);
    for (const op of ["$startswith", "$endswith", "$contains"]) {
      expect(matches({ [op]: "1" }, { field: 1 })).toBe(false);
      expect(matches({ [op]: "1" }, { field: ["1"] })).toBe(false);
      expect(matches({ [op]: "a" }, { field: { a: "a" } })).toBe(false);
      expect(matches({ [op]: "" }, { field: null })).toBe(false);
      expect(matches({ [op]: "" }, MISSING_FIELD)).toBe(false);
      expect(matches({ [op]: "" }, { field: "" })).toBe(true);
    }
  });

  it("$like searches anywhere in the string (re.search semantics)", () => {
    expect(matches({ $like: "van.elay" }, { field: "george@vandelay.com" })).toBe(true);
    expect(matches({ $like: "^van" }, { field: "george@vandelay.com" })).toBe(false);
    expect(matches({ $like: "\\.com$" }, { field: "george@vandelay.com" })).toBe(true);
    expect(matches({ $like: "(?i)GEORGE" }, { field: "george" })).toBe(true);
    expect(matches({ $like: "1" }, { field: 1 })).toBe(false);
    expect(matches({ $like: "" }, MISSING_FIELD)).toBe(false);
  });

  it("$like runs in linear time: (a+)+$ against forty a's and a ! finishes", () => {
    expect(matches({ $like: "(a+)+$" }, { field: `${"a".repeat(40)}!` })).toBe(false);
    expect(matches({ $like: "^(a|a)*$" }, { field: `${"a".repeat(10_000)}!` })).toBe(false);
    expect(matches({ $like: "(a+)+$" }, { field: "a".repeat(40) })).toBe(true);
  });

  it("$in matches one of the listed values, strictly and deeply", () => {
    const condition = { $in: ["a", 2, null, { x: [1] }] };
    expect(matches(condition, { field: "a" })).toBe(true);
    expect(matches(condition, { field: 2 })).toBe(true);
    expect(matches(condition, { field: null })).toBe(true);
    expect(matches(condition, { field: { x: [1] } })).toBe(true);
    expect(matches(condition, { field: "2" })).toBe(false);
    expect(matches(condition, { field: { x: [2] } })).toBe(false);
    expect(matches(condition, MISSING_FIELD)).toBe(false);
  });

  it("$not negates a bare value, a condition or a nested filter, and holds for a missing field", () => {
    expect(matches({ $not: "Joe" }, { field: "Simon" })).toBe(true);
    expect(matches({ $not: "Joe" }, { field: "Joe" })).toBe(false);
    expect(matches({ $not: "Joe" }, MISSING_FIELD)).toBe(true);
    expect(matches({ $not: { $startswith: "J" } }, { field: "Joe" })).toBe(false);
    expect(matches({ $not: { $startswith: "J" } }, { field: "Simon" })).toBe(true);
    expect(matches({ $not: { $gte: 1, $lt: 10 } }, { field: 10 })).toBe(true);
    expect(matches({ $not: { $gte: 1, $lt: 10 } }, { field: 5 })).toBe(false);
    expect(matches({ $not: { city: "NYC" } }, { field: { city: "NYC" } })).toBe(false);
    expect(matches({ $not: { city: "NYC" } }, { field: { city: "LA" } })).toBe(true);
    expect(matches({ $not: { $not: "Joe" } }, { field: "Joe" })).toBe(true);
    expect(matches({ $not: { $any: true } }, MISSING_FIELD)).toBe(false);
  });

  it("$exists tells a sent field (even null) from a missing one", () => {
    expect(matches({ $exists: true }, { field: null })).toBe(true);
    expect(matches({ $exists: true }, { field: 0 })).toBe(true);
    expect(matches({ $exists: true }, MISSING_FIELD)).toBe(false);
    expect(matches({ $exists: false }, MISSING_FIELD)).toBe(true);
    expect(matches({ $exists: false }, { field: "" })).toBe(false);
  });

  it("$gt, $gte, $lt and $lte compare numbers and never match other types", () => {
    expect(matches({ $gt: 1 }, { field: 2 })).toBe(true);
    expect(matches({ $gt: 1 }, { field: 1 })).toBe(false);
    expect(matches({ $gte: 1 }, { field: 1 })).toBe(true);
    expect(matches({ $gte: 1 }, { field: 0.5 })).toBe(false);
    expect(matches({ $lt: 1 }, { field: 0 })).toBe(true);
    expect(matches({ $lt: 1 }, { field: 1 })).toBe(false);
    expect(matches({ $lte: 1 }, { field: 1 })).toBe(true);
    expect(matches({ $lte: -1.5 }, { field: -1 })).toBe(false);
    for (const op of ["$gt", "$gte", "$lt", "$lte"]) {
      expect(matches({ [op]: 0 }, { field: "5" })).toBe(false);
      expect(matches({ [op]: 0 }, { field: null })).toBe(false);
      expect(matches({ [op]: 0 }, { field: true })).toBe(false);
      expect(matches({ [op]: 0 }, MISSING_FIELD)).toBe(false);
    }
  });

  it("several operators on one field are ANDed", () => {
    const range = { $gte: 1, $lt: 10 };
    expect(matches(range, { field: 1 })).toBe(true);
    expect(matches(range, { field: 9.99 })).toBe(true);
    expect(matches(range, { field: 10 })).toBe(false);
    expect(matches(range, { field: 0 })).toBe(false);
    expect(matches({ $startswith: "J", $endswith: "y", $not: "Joy" }, { field: "Jerry" })).toBe(true);
    expect(matches({ $startswith: "J", $endswith: "y", $not: "Joy" }, { field: "Joy" })).toBe(false);
  });

  it("lists every operator with a label in words, in the dashboard's order", () => {
    expect(FILTER_OPERATORS.map(({ operator, label }) => [operator, label])).toEqual([
      ["$any", "any value"],
      ["$is", "is"],
      ["$startswith", "starts with"],
      ["$endswith", "ends with"],
      ["$contains", "contains"],
      ["$like", "matches pattern"],
      ["$in", "is one of"],
      ["$not", "is not"],
      ["$exists", "exists"],
      ["$gt", "greater than"],
      ["$gte", "at least"],
      ["$lt", "less than"],
      ["$lte", "at most"],
      ["$before", "before"],
      ["$after", "after"],
    ]);
  });

  it("compares date-times as instants, whatever their offsets, and never matches other values", () => {
    expect(matches({ $after: "2026-01-15T09:30:00Z" }, { field: "2026-01-15T10:00:00+00:00" })).toBe(true);
    // 10:00 at +02:00 is 08:00 UTC: earlier, though it sorts later as text.
    expect(matches({ $before: "2026-01-15T09:30:00Z" }, { field: "2026-01-15T10:00:00+02:00" })).toBe(true);
    expect(matches({ $after: "2026-01-15T09:30:00Z" }, { field: "2026-01-15T09:30:00Z" })).toBe(false);
    expect(matches({ $after: "2000-01-01T00:00:00Z" }, { field: "tomorrow" })).toBe(false);
    expect(matches({ $after: "2000-01-01T00:00:00Z" }, { field: 1_800_000_000 })).toBe(false);
  });

  it("labels with words only and explains each operator in the user's terms", () => {
    for (const { operator, label, description } of FILTER_OPERATORS) {
      expect(label, operator).toMatch(/^[a-z]+( [a-z]+)*$/);
      expect(description, operator).toMatch(/^The field |^Every event |^Whether the event /);
      expect(description, operator).not.toMatch(/operand/i);
    }
  });
});

describe("fields", () => {
  it("a nested filter requires the field to exist and be an object (durian's deepmatch)", () => {
    const filter = { customer: { address: { city: "NYC" }, name: { $startswith: "G" } } };
    expect(matchesFilter(filter, { customer: { name: "George", address: { city: "NYC", zip: "1" } } })).toBe(
      true,
    );
    expect(matchesFilter(filter, { customer: { name: "George", address: { city: "LA" } } })).toBe(false);
    expect(matchesFilter(filter, { customer: { name: "George" } })).toBe(false);
    expect(matchesFilter(filter, { customer: "George" })).toBe(false);
    expect(matchesFilter(filter, { customer: [{ name: "George", address: { city: "NYC" } }] })).toBe(false);
    expect(matchesFilter(filter, {})).toBe(false);
    expect(matchesFilter({ customer: {} }, { customer: {} })).toBe(true);
    expect(matchesFilter({ customer: {} }, { customer: null })).toBe(false);
    expect(matchesFilter({ customer: {} }, {})).toBe(false);
  });

  it("dotted keys reach into objects, and agree with nested filters", () => {
    const dotted = { "customer.email": { $endswith: "@vandelay.com" }, "customer.address.city": "NYC" };
    const nested = { customer: { email: { $endswith: "@vandelay.com" }, address: { city: "NYC" } } };
    const payloads = [
      { customer: { email: "g@vandelay.com", address: { city: "NYC" } } },
      { customer: { email: "g@vandelay.com", address: { city: "LA" } } },
      { customer: { email: "g@kramerica.com", address: { city: "NYC" } } },
      { customer: { email: "g@vandelay.com" } },
      { customer: "g@vandelay.com" },
      {},
    ];
    const expected = [true, false, false, false, false, false];
    expect(payloads.map(compileFilter(dotted))).toEqual(expected);
    expect(payloads.map(compileFilter(nested))).toEqual(expected);
  });

  it("a missing dotted path counts as a missing field", () => {
    expect(matchesFilter({ "a.b.c": { $exists: false } }, { a: { x: 1 } })).toBe(true);
    expect(matchesFilter({ "a.b.c": { $exists: false } }, { a: "not an object" })).toBe(true);
    expect(matchesFilter({ "a.b.c": { $exists: true } }, { a: { b: { c: null } } })).toBe(true);
    expect(matchesFilter({ "a.b": { $any: true } }, {})).toBe(true);
  });

  it("all fields must hold; missing fields fail every operator but $any, $not and $exists: false", () => {
    const filter = { name: "Joe", age: { $gte: 18 } };
    expect(matchesFilter(filter, { name: "Joe", age: 30 })).toBe(true);
    expect(matchesFilter(filter, { name: "Joe" })).toBe(false);
    expect(matchesFilter(filter, { age: 30 })).toBe(false);
  });

  it("only own properties count as fields", () => {
    expect(matchesFilter({ toString: { $exists: true } }, {})).toBe(false);
    expect(matchesFilter({ constructor: { $exists: true } }, { a: 1 })).toBe(false);
    const parsed = JSON.parse('{"__proto__": {"admin": true}}') as unknown;
    expect(matchesFilter({ "__proto__.admin": true }, parsed)).toBe(true);
    expect(matchesFilter({ "__proto__.admin": true }, {})).toBe(false);
  });

  it("compares Unicode text exactly, by code units", () => {
    expect(matchesFilter({ name: "Zoë" }, { name: "Zoë" })).toBe(true);
    expect(matchesFilter({ name: "Zoë" }, { name: "Zoe\u0308" })).toBe(false); // not normalised
    expect(matchesFilter({ name: { $startswith: "😀" } }, { name: "😀 smile" })).toBe(true);
    expect(matchesFilter({ name: { $endswith: "東京" } }, { name: "ようこそ東京" })).toBe(true);
    expect(matchesFilter({ name: { $contains: "ß" } }, { name: "Straße" })).toBe(true);
    expect(matchesFilter({ name: { $like: "^.$" } }, { name: "😀" })).toBe(true);
    expect(matchesFilter({ name: { $like: "^\\p{Greek}+$" } }, { name: "αβγ" })).toBe(true);
    expect(matchesFilter({ città: "Roma" }, { città: "Roma" })).toBe(true);
  });

  it("treats a payload that is not an object as one without fields", () => {
    expect(matchesFilter({}, null)).toBe(true);
    expect(matchesFilter({ a: { $exists: false } }, "text")).toBe(true);
    expect(matchesFilter({ a: 1 }, [1])).toBe(false);
  });

  it("refuses to compile an invalid filter", () => {
    expect(() => compileFilter({ name: { $unknown: 1 } })).toThrow(/name: unknown operator "\$unknown"/);
    expect(() => compileFilter([])).toThrow(/filter must be an object/);
  });
});
