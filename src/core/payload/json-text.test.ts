import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { inexactNumberResult } from "./exact-number";
import { MAX_JSON_DEPTH, pathDeeperThan } from "./json-depth";
import { jsonTextProblems } from "./json-text";

function nested(depth: number, inner = "1"): string {
  return "[".repeat(depth) + inner + "]".repeat(depth);
}

describe("exact JSON numbers", () => {
  it("accepts numbers that arrive as written", () => {
    for (const token of ["0", "-0", "0.0", "1.50", "1e2", "1E+2", "0.1", "0.30000000000000004", "-12.5e-3"])
      expect(inexactNumberResult(token), token).toBeNull();
    expect(inexactNumberResult("9007199254740991")).toBeNull();
    // Beyond MAX_SAFE_INTEGER but exactly a double: arrives as written.
    expect(inexactNumberResult("9007199254740992")).toBeNull();
    expect(inexactNumberResult("1e300")).toBeNull();
  });

  it("refuses overflow, underflow and lost digits, saying what they would become", () => {
    expect(inexactNumberResult("1e400")).toBe("Infinity");
    expect(inexactNumberResult("-1e400")).toBe("-Infinity");
    expect(inexactNumberResult("1e-400")).toBe("0");
    expect(inexactNumberResult("12345678901234567890")).toBe("12345678901234567000");
    expect(inexactNumberResult("9007199254740993")).toBe("9007199254740992");
    expect(inexactNumberResult("0.1234567890123456789")).toBe("0.12345678901234568");
  });

  it("accepts every number JavaScript itself writes", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        expect(inexactNumberResult(JSON.stringify(value))).toBeNull();
      }),
    );
  });
});

describe("jsonTextProblems", () => {
  it("names the path of each inexact number", () => {
    const text = '{"payload": {"a": [1, 2, 1e400], "b\\"c": {"d": 12345678901234567890}}, "ok": 0.5}';
    expect(jsonTextProblems(text).map((problem) => problem.path)).toEqual([
      ["payload", "a", 2],
      ["payload", 'b"c', "d"],
    ]);
  });

  it("is not fooled by digits, brackets and escaped quotes inside strings", () => {
    expect(jsonTextProblems('{"a": "1e400 [[[ \\\\", "b": ["\\"]", 1]}')).toEqual([]);
  });

  it(`refuses values nested deeper than ${MAX_JSON_DEPTH} under the body, without recursion`, () => {
    expect(jsonTextProblems(`{"payload": ${nested(MAX_JSON_DEPTH)}}`)).toEqual([]);
    const [problem] = jsonTextProblems(`{"payload": ${nested(MAX_JSON_DEPTH + 1)}}`);
    expect(problem?.path).toEqual(["payload", ...Array<number>(MAX_JSON_DEPTH).fill(0)]);
    expect(jsonTextProblems(`{"payload": ${nested(1_000_000)}}`)).toHaveLength(1);
  });
});

describe("pathDeeperThan", () => {
  it("finds the first container past the limit without recursion", () => {
    expect(pathDeeperThan(JSON.parse(nested(MAX_JSON_DEPTH)))).toBeNull();
    expect(pathDeeperThan({ a: JSON.parse(nested(MAX_JSON_DEPTH)) })).toHaveLength(MAX_JSON_DEPTH);
    expect(pathDeeperThan(JSON.parse(nested(100_000)))).toHaveLength(MAX_JSON_DEPTH);
    expect(pathDeeperThan({ a: 1, b: "x" })).toBeNull();
  });
});
