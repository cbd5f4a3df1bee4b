import { describe, expect, it } from "vitest";
import { FILTER_OPERATORS, matchesFilter, validateFilter } from "@/core/filter";
import {
  emptyRows,
  filterToRows,
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
