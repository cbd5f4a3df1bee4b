import { describe, expect, it } from "vitest";
import { isStorableText, unstorableTextPaths } from "./storable-text";

describe("storable text", () => {
  it("accepts ordinary Unicode, including paired surrogates", () => {
    for (const text of ["", "Joe", "Zoë", "😀", "東京", "a\u0001b"]) expect(isStorableText(text)).toBe(true);
  });

  it("refuses NUL and unpaired surrogates", () => {
    for (const text of ["a\u0000b", "\ud83d", "x\ude00", "\ude00\ud83d"])
      expect(isStorableText(text)).toBe(false);
  });

  it("lists where in a JSON value the unstorable strings and keys are", () => {
    const value = {
      name: "ok",
      bad: "a\u0000",
      list: ["fine", "\ud83d"],
      nested: { "k\u0000": 1, deep: { x: "\ude00" } },
    };
    expect(unstorableTextPaths(value)).toEqual([
      ["bad"],
      ["list", 1],
      ["nested", "k\u0000"],
      ["nested", "deep", "x"],
    ]);
    expect(unstorableTextPaths({ a: [1, null, true, { b: "😀" }] })).toEqual([]);
  });
});
