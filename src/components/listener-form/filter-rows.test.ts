import { describe, expect, it } from "vitest";
import { FILTER_OPERATORS, matchesFilter, validateFilter } from "@/core/filter";
import { normalizeHookField } from "@/core/hook-fields";
import {
  emptyRows,
  filterToRows,
  operatorsForField,
  valueInputFor,
  formatTypedValue,
  parseTypedValue,
  rowFieldOfPath,
  rowsToFilter,
  type FilterRow,
} from "./filter-rows";

const PERSON_FIELDS = ["name", "address", "phone", "email"];

function rows(conditions: Partial<Record<string, [FilterRow["operator"], string]>>): FilterRow[] {
  return emptyRows(PERSON_FIELDS).map((row) => {
    const condition = conditions[row.field];
    return condition ? { ...row, operator: condition[0], value: condition[1] } : row;
  });
}

describe("rowsToFilter", () => {
  it("builds durian's George Constanza filter, which matches his event and not a changed one", () => {
    const filter = rowsToFilter(
      rows({
        name: ["$is", "George Constanza"],
        address: ["$endswith", "New York City"],
        phone: ["$startswith", "212"],
        email: ["$contains", "@vandelay"],
      }),
    );
    expect(validateFilter(filter, PERSON_FIELDS).ok).toBe(true);
    const george = {
      name: "George Constanza",
      address: "Border Lane, New York City",
      phone: "212 555 88 23",
      email: "george@vandelay.com",
    };
    expect(matchesFilter(filter as never, george)).toBe(true);
    expect(matchesFilter(filter as never, { ...george, phone: "718 555 88 23" })).toBe(false);
  });

  it("leaves out fields without a condition, so an untouched form is the empty filter", () => {
    expect(rowsToFilter(emptyRows(PERSON_FIELDS))).toEqual({});
  });

  it("types values: JSON when valid, text otherwise; numbers for comparisons; lists split on commas", () => {
    const filter = rowsToFilter([
      { field: "a", operator: "$is", value: "42" },
      { field: "b", operator: "$is", value: '"42"' },
      { field: "c", operator: "$is", value: "Joe" },
      { field: "d", operator: "$gte", value: " 10.5 " },
      { field: "e", operator: "$in", value: "gold, silver, 3" },
      { field: "f", operator: "$exists", value: "false" },
      { field: "g", operator: "$not", value: "null" },
      { field: "h", operator: "$startswith", value: "42" },
    ]);
    expect(filter).toEqual({
      a: { $is: 42 },
      b: { $is: "42" },
      c: { $is: "Joe" },
      d: { $gte: 10.5 },
      e: { $in: ["gold", "silver", 3] },
      f: { $exists: false },
      g: { $not: null },
      h: { $startswith: "42" },
    });
  });

  it("passes a non-number through so the shared validator names the field and the problem", () => {
    const filter = rowsToFilter([{ field: "amount", operator: "$gt", value: "lots" }]);
    const result = validateFilter(filter, ["amount"]);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]?.message).toMatch(/^amount: \$gt expects a number/);
  });

  it("lets the shared validator refuse a bad regular expression on the row's field", () => {
    const result = validateFilter(rowsToFilter([{ field: "name", operator: "$like", value: "(" }]), ["name"]);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(rowFieldOfPath(result.errors[0]!.path)).toBe("name");
  });
});

describe("filterToRows", () => {
  it("round-trips every single-operator condition the rows produce", () => {
    for (const { operator, operand } of FILTER_OPERATORS) {
      const value = {
        true: "",
        value: "Joe",
        text: "J",
        pattern: "^J",
        values: "a, 2",
        condition: "x",
        boolean: "true",
        number: "3",
        datetime: "2026-01-15T09:30",
      }[operand];
      const original = [{ field: "name", operator, value }];
      const filter = rowsToFilter(original);
      const back = filterToRows(filter, ["name"]);
      expect(back, operator).not.toBeNull();
      expect(rowsToFilter(back!), operator).toEqual(filter);
    }
  });

  it("reads bare values as `is`, and quotes text that would otherwise read as JSON", () => {
    expect(filterToRows({ name: "Joe", zip: "10001" }, ["name", "zip"])).toEqual([
      { field: "name", operator: "$is", value: "Joe" },
      { field: "zip", operator: "$is", value: '"10001"' },
    ]);
  });

  it("returns null for what rows cannot say: dotted keys, nested filters, several operators, unknown fields", () => {
    expect(filterToRows({ "customer.email": "a" }, ["customer"])).toBeNull();
    expect(filterToRows({ customer: { email: "a" } }, ["customer"])).toBeNull();
    expect(filterToRows({ n: { $gte: 1, $lt: 5 } }, ["n"])).toBeNull();
    expect(filterToRows({ n: { $not: { $like: "x" } } }, ["n"])).toBeNull();
    expect(filterToRows({ other: 1 }, ["n"])).toBeNull();
  });
});

describe("typed values", () => {
  it("format back to the same value", () => {
    for (const value of ["Joe", "42", "true", "", " padded", 42, true, null, [1, "a"], { a: 1 }]) {
      expect(parseTypedValue(formatTypedValue(value))).toEqual(value);
    }
  });
});

describe("rowFieldOfPath", () => {
  it("reads the validator's paths and the API's dotted paths", () => {
    expect(rowFieldOfPath(["name", "$like"])).toBe("name");
    expect(rowFieldOfPath("filter.name.$like")).toBe("name");
    expect(rowFieldOfPath("filter.customer.email")).toBe("customer");
    expect(rowFieldOfPath(["filter", "$is"])).toBe("filter");
    expect(rowFieldOfPath([])).toBeNull();
  });
});

describe("describeFilter", () => {
  it("puts each condition in words with the registry's labels", async () => {
    const { describeFilter } = await import("./describe-filter");
    expect(
      describeFilter({
        name: { $startswith: "J" },
        amount: { $gte: 10, $lt: 20 },
        city: "NYC",
        any: { $any: true },
      }),
    ).toEqual([
      'name starts with "J"',
      "amount at least 10",
      "amount less than 20",
      'city is "NYC"',
      "any is anything",
    ]);
    expect(describeFilter({ customer: { email: "a" } })).toEqual(['customer matches {"email":"a"}']);
    expect(describeFilter({ plan: { $in: ["pro", 2] } })).toEqual(['plan is one of "pro", 2']);
    expect(describeFilter({})).toEqual([]);
  });
});

describe("rows of typed fields", () => {
  const typed = [
    { name: "zip", schema: { type: "string" as const } },
    { name: "age", schema: { type: "integer" as const } },
    { name: "vip", schema: { type: "boolean" as const } },
    { name: "plan", schema: { enum: ["free", "pro"] } },
    { name: "at", schema: { type: "string" as const, format: "date-time" as const } },
  ].map(normalizeHookField);

  it("offers per field only the operators its type can match", () => {
    const labels = (name: string) =>
      operatorsForField(typed.find((field) => field.name === name)).map(({ operator }) => operator);
    expect(labels("age")).not.toContain("$startswith");
    expect(labels("vip")).toEqual(["$any", "$is", "$not", "$exists"]);
    expect(labels("at")).toContain("$after");
    expect(valueInputFor("$is", typed[2]!.schema)).toBe("boolean");
    expect(valueInputFor("$in", typed[3]!.schema)).toBe("enum-list");
    expect(valueInputFor("$after", typed[4]!.schema)).toBe("datetime");
    expect(valueInputFor("$gt", typed[1]!.schema)).toBe("number");
  });

  it("reads what was typed as the field's type: text stays text, dates become RFC 3339 in UTC", () => {
    const filter = rowsToFilter(
      [
        { field: "zip", operator: "$is", value: "10001" },
        { field: "age", operator: "$in", value: "30, 40" },
        { field: "vip", operator: "$is", value: "false" },
        { field: "plan", operator: "$in", value: '["pro"]' },
        { field: "at", operator: "$after", value: "2026-01-15T09:30" },
      ],
      typed,
    );
    expect(filter).toEqual({
      zip: { $is: "10001" },
      age: { $in: [30, 40] },
      vip: { $is: false },
      plan: { $in: ["pro"] },
      at: { $after: "2026-01-15T09:30:00Z" },
    });
    expect(validateFilter(filter, typed).ok).toBe(true);
    expect(rowsToFilter(filterToRows(filter, typed)!, typed)).toEqual(filter);
  });

  it("leaves to JSON what rows of the type cannot show", () => {
    expect(filterToRows({ age: { $startswith: "4" } }, typed)).toBeNull();
    expect(filterToRows({ at: { $after: "2026-01-15T09:30:00.5Z" } }, typed)).toBeNull();
  });
});
