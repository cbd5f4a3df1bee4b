import { describe, expect, it } from "vitest";
import { matchesFilter, parseFilter } from "@/core/filter";
import {
  After,
  Any,
  Before,
  Contains,
  Endswith,
  Exists,
  Gt,
  Gte,
  In,
  InvalidFilter,
  Is,
  Like,
  Lt,
  Lte,
  Not,
  Startswith,
  serializeFilter,
} from "./index";

describe("matchers serialise to the shared filter JSON", () => {
  it.each([
    ["Any()", Any(), { $any: true }],
    ["Is(string)", Is("Joe"), { $is: "Joe" }],
    ["Is(object)", Is({ city: "Oslo" }), { $is: { city: "Oslo" } }],
    ["Is(null)", Is(null), { $is: null }],
    ["Startswith", Startswith("J"), { $startswith: "J" }],
    ["Endswith", Endswith("New York City"), { $endswith: "New York City" }],
    ["Contains", Contains("@vandelay"), { $contains: "@vandelay" }],
    ["Like(string)", Like("^J.*y$"), { $like: "^J.*y$" }],
    ["Like(RegExp)", Like(/^j\d+/), { $like: "^j\\d+" }],
    ["Like(RegExp with flags)", Like(/^a.b$/gims), { $like: "(?ims)^a.b$" }],
    ["In", In(["a", 1, null]), { $in: ["a", 1, null] }],
    ["Not(matcher)", Not(Startswith("J")), { $not: { $startswith: "J" } }],
    ["Not(value)", Not("Joe"), { $not: { $is: "Joe" } }],
    ["Exists()", Exists(), { $exists: true }],
    ["Exists(false)", Exists(false), { $exists: false }],
    ["Gt", Gt(1), { $gt: 1 }],
    ["Gte", Gte(1.5), { $gte: 1.5 }],
    ["Lt", Lt(-2), { $lt: -2 }],
    ["Lte", Lte(0), { $lte: 0 }],
    ["Before(Date)", Before(new Date("2026-01-15T09:30:00Z")), { $before: "2026-01-15T09:30:00.000Z" }],
    ["After(string)", After("2026-01-15T09:30:00+02:00"), { $after: "2026-01-15T09:30:00+02:00" }],
    ["and()", Gte(1).and(Lt(10)), { $gte: 1, $lt: 10 }],
    ["Not(and())", Not(Gte(1).and(Lt(10))), { $not: { $gte: 1, $lt: 10 } }],
  ])("%s", (_label, matcher, expected) => {
    expect(JSON.parse(JSON.stringify(matcher))).toEqual(expected);
    expect(serializeFilter({ field: matcher })).toEqual({ field: expected });
    // The core's zod schema (what the server validates with) accepts it.
    expect(parseFilter({ field: matcher.toJSON() })).toEqual({ field: expected });
  });

  it("keeps bare values, nested filters, dotted keys and raw condition objects", () => {
    const filter = serializeFilter({
      name: "Joe",
      age: 42,
      tags: ["a", "b"],
      customer: { address: { city: Startswith("Os") }, vip: true },
      "customer.email": Contains("@vandelay"),
      phone: { $startswith: "212" },
      nickname: { $not: Startswith("J") },
      at: new Date("2026-01-01T00:00:00Z"),
    });
    expect(filter).toEqual({
      name: "Joe",
      age: 42,
      tags: ["a", "b"],
      customer: { address: { city: { $startswith: "Os" } }, vip: true },
      "customer.email": { $contains: "@vandelay" },
      phone: { $startswith: "212" },
      nickname: { $not: { $startswith: "J" } },
      at: "2026-01-01T00:00:00.000Z",
    });
    expect(parseFilter(filter)).toEqual(filter);
  });

  it("refuses what the filter language refuses, naming the field", () => {
    expect(() => serializeFilter({ name: { $startwith: "J" } })).toThrow(
      'Filter field "name": unknown operator $startwith',
    );
    expect(() => serializeFilter({ name: { $is: "J", first: "J" } })).toThrow(/mixes operators/);
    expect(() => serializeFilter({ $is: "J" })).toThrow(/"\$is" is not a field name/);
    expect(() => serializeFilter({ "a..b": 1 })).toThrow('Filter field "a..b": has an empty part');
    expect(() => serializeFilter({ name: undefined })).toThrow('Filter field "name": has no condition');
    expect(() => serializeFilter({ size: Number.POSITIVE_INFINITY })).toThrow(
      'Filter field "size": is Infinity',
    );
    expect(() => serializeFilter({ when: new Map() })).toThrow(InvalidFilter);
    expect(() => serializeFilter([] as unknown as Record<string, unknown>)).toThrow(/keyed by payload field/);
  });

  it("refuses bad matcher arguments", () => {
    expect(() => Startswith(1 as unknown as string)).toThrow(
      "Filter: Startswith() takes a string, got number 1",
    );
    expect(() => Gt(Number.NaN)).toThrow(/Gt\(\) takes a finite number/);
    expect(() => Lte("3" as unknown as number)).toThrow(InvalidFilter);
    expect(() => After("yesterday")).toThrow(InvalidFilter);
    expect(() => In([])).toThrow(/non-empty array/);
    expect(() => Is(undefined)).toThrow(/Is takes a value/);
    expect(() => Like(new RegExp("x", "d"))).toThrow(/flag "d"/);
    expect(() => Gte(1).and(Gte(2))).toThrow(/two \$gte conditions/);
  });
});

describe("serialised matchers mean what durian's did (checked with the core matcher)", () => {
  const joe = { name: "Joe" };
  const simon = { name: "Simon" };
  const jerry = { name: "Jerry" };

  it("filters by name and by Startswith", () => {
    const onJoe = serializeFilter({ name: "Joe" });
    expect(matchesFilter(onJoe, joe)).toBe(true);
    expect(matchesFilter(onJoe, simon)).toBe(false);

    const onJ = serializeFilter({ name: Startswith("J") });
    expect([joe, jerry, simon].map((payload) => matchesFilter(onJ, payload))).toEqual([true, true, false]);
  });

  it("ANDs every condition of George Constanza's filter", () => {
    const filter = serializeFilter({
      name: Is("George Constanza"),
      address: Endswith("New York City"),
      phone: Startswith("212"),
      email: Contains("@vandelay"),
    });
    const george = {
      name: "George Constanza",
      address: "Border Lane, New York City",
      phone: "212 555 88 23",
      email: "george@vandelay.com",
    };
    expect(matchesFilter(filter, george)).toBe(true);
    for (const [field, other] of Object.entries({
      name: "Jerry",
      address: "Boston",
      phone: "1212",
      email: "g@x.com",
    })) {
      expect(matchesFilter(filter, { ...george, [field]: other })).toBe(false);
    }
  });

  it("Any matches a missing field; Not and ranges behave", () => {
    expect(matchesFilter(serializeFilter({ name: Any() }), {})).toBe(true);
    const range = serializeFilter({ age: Gte(18).and(Lt(65)) });
    expect([17, 18, 64, 65].map((age) => matchesFilter(range, { age }))).toEqual([false, true, true, false]);
    expect(matchesFilter(serializeFilter({ name: Not(Startswith("J")) }), simon)).toBe(true);
    expect(matchesFilter(serializeFilter({ name: Not("Joe") }), joe)).toBe(false);
    expect(matchesFilter(serializeFilter({ name: Like(/^j/i) }), jerry)).toBe(true);
  });
});
