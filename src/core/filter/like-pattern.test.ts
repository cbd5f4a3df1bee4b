import { describe, expect, it } from "vitest";
import { compileLikePattern, likePatternProblem, likeSearch, MAX_LIKE_PATTERN_LENGTH } from "./like-pattern";

describe("$like patterns", () => {
  it("compile once: the same pattern gives the same compiled regex", () => {
    expect(compileLikePattern("^J.*y$")).toBe(compileLikePattern("^J.*y$"));
  });

  it("search like re.search", () => {
    expect(likeSearch("err(or)?", "an error occurred")).toBe(true);
    expect(likeSearch("^err", "an error occurred")).toBe(false);
  });

  it("stay linear on patterns that make backtracking engines explode", () => {
    const evil = `${"a".repeat(40)}!`;
    expect(likeSearch("(a+)+$", evil)).toBe(false);
    expect(likeSearch("(a*)*b", evil)).toBe(false);
    expect(likeSearch("(a|aa)+$", evil)).toBe(false);
    expect(likeSearch("(.*a){20}$", evil)).toBe(false);
  });

  it("name the problem with a pattern", () => {
    expect(likePatternProblem("ok+")).toBeNull();
    expect(likePatternProblem("(")).toMatch(/not a valid regular expression \(.*missing closing \)/);
    expect(likePatternProblem("x".repeat(MAX_LIKE_PATTERN_LENGTH + 1))).toMatch(/longer than/);
  });
});
