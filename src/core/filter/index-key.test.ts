import { describe, expect, it } from "vitest";
import { compileFilter } from "./compile";
import {
  eventIndexKeys,
  indexKeyAdmits,
  listenerIndexKey,
  MAX_INDEXED_EXACT_KEY_LENGTH,
  MAX_INDEXED_PREFIX_LENGTH,
} from "./index-key";
import { isStorableText } from "../payload/storable-text";
import type { Filter } from "./schema";

const LONG = "L".repeat(MAX_INDEXED_PREFIX_LENGTH + 5);
const HUGE = "H".repeat(MAX_INDEXED_EXACT_KEY_LENGTH + 1);
// Cutting this prefix to the indexed length splits the emoji's surrogate pair in half.
const SPLIT_PAIR_PREFIX = `${"L".repeat(MAX_INDEXED_PREFIX_LENGTH - 1)}😀`;

describe("listenerIndexKey", () => {
  it("prefers an exact $is on a top-level scalar, encoded as JSON text", () => {
    expect(listenerIndexKey({ name: "Joe" })).toEqual({
      indexKind: "exact",
      indexField: "name",
      indexValue: '"Joe"',
    });
    expect(listenerIndexKey({ age: { $is: 7, $gt: 1 } })).toEqual({
      indexKind: "exact",
      indexField: "age",
      indexValue: "7",
    });
    expect(listenerIndexKey({ flag: false }).indexValue).toBe("false");
    expect(listenerIndexKey({ nick: null }).indexValue).toBe("null");
    expect(listenerIndexKey({ name: { $startswith: "J" }, age: 3 })).toMatchObject({
      indexKind: "exact",
      indexField: "age",
    });
  });

  it("tells values of different types apart", () => {
    const keys = [1, "1", true, "true", null, "null"].map(
      (value) => listenerIndexKey({ f: value }).indexValue,
    );
    expect(new Set(keys).size).toBe(6);
  });

  it("falls back to a $startswith prefix, cut to the indexed length", () => {
    expect(listenerIndexKey({ name: { $startswith: "J" } })).toEqual({
      indexKind: "prefix",
      indexField: "name",
      indexValue: '"J"',
    });
    expect(listenerIndexKey({ name: { $startswith: LONG } }).indexValue).toBe(
      JSON.stringify(LONG.slice(0, MAX_INDEXED_PREFIX_LENGTH)),
    );
    expect(listenerIndexKey({ name: { $startswith: HUGE } }).indexKind).toBe("prefix");
    expect(listenerIndexKey({ name: HUGE, other: { $startswith: "x" } })).toMatchObject({
      indexKind: "prefix",
      indexField: "other",
    });
  });

  it("scans everything else", () => {
    const scanned: Filter[] = [
      {},
      { name: HUGE },
      { name: { $startswith: "" } },
      { name: { $endswith: "e" } },
      { name: { $contains: "o" } },
      { name: { $like: "^Joe$" } },
      { name: { $in: ["Joe"] } },
      { name: { $not: "Joe" } },
      { name: { $not: { $startswith: "J" } } },
      { name: { $exists: true } },
      { name: { $any: true } },
      { age: { $gt: 1 } },
      { customer: { name: "Joe" } },
      { customer: { $is: { name: "Joe" } } },
      { tags: ["a"] },
      { "customer.name": "Joe" },
      { "customer.name": { $startswith: "J" } },
    ];
    for (const filter of scanned)
      expect(listenerIndexKey(filter), JSON.stringify(filter)).toMatchObject({ indexKind: "scan" });
  });
});

describe("eventIndexKeys", () => {
  it("lists exact keys of scalar fields and every bounded prefix of strings", () => {
    const keys = eventIndexKeys({ name: "Joe", age: 3, tags: ["a"], customer: { a: 1 }, nick: null });
    expect(keys.exact).toEqual([
      { field: "name", value: '"Joe"' },
      { field: "age", value: "3" },
      { field: "nick", value: "null" },
    ]);
    expect(keys.prefix).toEqual([
      { field: "name", value: '"J"' },
      { field: "name", value: '"Jo"' },
      { field: "name", value: '"Joe"' },
    ]);
    expect(eventIndexKeys({ name: LONG }).prefix).toHaveLength(MAX_INDEXED_PREFIX_LENGTH);
    expect(eventIndexKeys({ name: HUGE }).exact).toEqual([]);
  });
});

// Correctness never depends on the index: whenever a filter matches a payload, the listener's key is
// among the event's keys. Checked over every operator mixed with every other, on tricky values.
describe("the index never loses a match", () => {
  const values: unknown[] = [
    "Joe",
    "Jo",
    "J",
    "Jerry",
    "joe",
    "",
    "😀 smile",
    "😀",
    "\ud83d",
    "a\u0000b",
    "a",
    LONG,
    `${LONG}x`,
    HUGE,
    "Zoë",
    `${SPLIT_PAIR_PREFIX} tail`,
    `${"L".repeat(MAX_INDEXED_PREFIX_LENGTH - 1)}😁`,
    1,
    1.5,
    0,
    -0,
    -1,
    1e21,
    true,
    false,
    null,
    ["Joe"],
    { name: "Joe" },
    {},
  ];
  const conditions: unknown[] = [
    ...values
      .filter((value) => typeof value !== "object" || value === null)
      .filter((value) => typeof value !== "string" || isStorableText(value)),
    ["Joe"],
    { $is: "Joe" },
    { $is: 1 },
    { $is: 0 },
    { $is: null },
    { $is: { name: "Joe" } },
    { $is: LONG },
    { $is: HUGE },
    { $startswith: "J" },
    { $startswith: "Jo" },
    { $startswith: "😀" },
    { $startswith: SPLIT_PAIR_PREFIX },
    { $startswith: LONG },
    { $startswith: `${LONG}x` },
    { $startswith: "" },
    { $endswith: "e" },
    { $contains: "o" },
    { $like: "^J" },
    { $in: ["Joe", 1, null] },
    { $not: "Joe" },
    { $not: { $startswith: "J" } },
    { $exists: true },
    { $exists: false },
    { $any: true },
    { $gt: 0 },
    { $gte: 1 },
    { $lt: 1 },
    { $lte: 0 },
    { $is: "Joe", $startswith: "J" },
    { $startswith: "J", $endswith: "e" },
    { $is: 1, $gte: 1 },
    { name: "Joe" },
    { name: { $startswith: "J" } },
  ];
  const fields = ["name", "age", "customer.name"];

  let seed = 42;
  const random = (n: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed % n;
  };
  const pick = <T>(list: readonly T[]): T => list[random(list.length)]!;

  it("over every single condition and random mixes of several", () => {
    const filters: Record<string, unknown>[] = conditions.map((condition) => ({ name: condition }));
    for (let i = 0; i < 400; i++) {
      const filter: Record<string, unknown> = {};
      for (let n = 1 + random(3); n > 0; n--) filter[pick(fields)] = pick(conditions);
      filters.push(filter);
    }
    const payloads: Record<string, unknown>[] = values.map((value) => ({ name: value }));
    for (let i = 0; i < 300; i++) {
      payloads.push({
        name: pick(values),
        age: pick(values),
        customer: pick([{ name: pick(values) }, pick(values)]),
      });
    }

    let matched = 0;
    for (const filter of filters) {
      const key = listenerIndexKey(filter);
      const matches = compileFilter(filter);
      for (const payload of payloads) {
        if (!matches(payload)) continue;
        matched++;
        expect(
          indexKeyAdmits(key, eventIndexKeys(payload)),
          `${JSON.stringify(filter)} / ${JSON.stringify(payload)}`,
        ).toBe(true);
      }
    }
    expect(matched).toBeGreaterThan(1000); // the corpus really exercises matches
  });

  it("narrows: an exact key admits only events with that value", () => {
    const key = listenerIndexKey({ name: "Joe" });
    expect(indexKeyAdmits(key, eventIndexKeys({ name: "Joe" }))).toBe(true);
    expect(indexKeyAdmits(key, eventIndexKeys({ name: "Jerry" }))).toBe(false);
    expect(indexKeyAdmits(key, eventIndexKeys({ other: "Joe" }))).toBe(false);
    const prefix = listenerIndexKey({ name: { $startswith: "Je" } });
    expect(indexKeyAdmits(prefix, eventIndexKeys({ name: "Jerry" }))).toBe(true);
    expect(indexKeyAdmits(prefix, eventIndexKeys({ name: "Joe" }))).toBe(false);
  });
});
