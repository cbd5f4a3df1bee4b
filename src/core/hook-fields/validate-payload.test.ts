import { describe, expect, it } from "vitest";
import { normalizeHookField, type HookFieldInput } from "./field-spec";
import { compilePayloadValidator } from "./validate-payload";

const validatorOf = (inputs: HookFieldInput[]) => compilePayloadValidator(inputs.map(normalizeHookField));
const pathsOf = (problems: { path: (string | number)[] }[]) => problems.map(({ path }) => path.join("."));

describe("payload validation against field types", () => {
  const validate = validatorOf([
    "note",
    { name: "name", schema: { type: "string", minLength: 1, maxLength: 5 }, required: true },
    { name: "age", schema: { type: "integer", minimum: 0 } },
    { name: "score", schema: { type: "number", maximum: 1 } },
    { name: "vip", schema: { type: "boolean" } },
    { name: "signedUpAt", schema: { type: "string", format: "date-time" } },
    { name: "plan", schema: { type: "string", enum: ["free", "pro"] } },
    {
      name: "address",
      schema: {
        type: "object",
        properties: { city: { type: "string" }, zip: { type: "string" } },
        required: ["city"],
      },
    },
    { name: "tags", schema: { type: "array", items: { type: "string" } } },
  ]);

  it("passes values of their types, and any value for a bare name", () => {
    expect(
      validate({
        name: "Joe",
        note: { anything: [1, null] },
        age: 40,
        score: 0.5,
        vip: false,
        signedUpAt: "2026-01-15T09:30:00.123+02:00",
        plan: "pro",
        address: { city: "Queens" },
        tags: ["a", "b"],
      }),
    ).toEqual([]);
  });

  it("names the path of each value not of its type, nested ones included", () => {
    const problems = validate({
      name: "Joe",
      age: "forty",
      score: 2,
      vip: "yes",
      signedUpAt: "yesterday",
      plan: "gold",
      address: { city: 7, street: "Main" },
      tags: ["a", 3],
    });
    expect(pathsOf(problems)).toEqual([
      "age",
      "score",
      "vip",
      "signedUpAt",
      "plan",
      "address.city",
      "address.street",
      "tags.1",
    ]);
    expect(problems[0]!.message).toBe('must be an integer, got the string "forty"');
    expect(problems[1]!.message).toBe("must be at most 1");
    expect(problems[3]!.message).toMatch(/^must be a date-time \(RFC 3339\)/);
    expect(problems[4]!.message).toBe('must be one of "free", "pro"');
    expect(problems[6]!.message).toBe("is not a field of this object (it has city, zip)");
  });

  it("requires required fields, at the top and inside objects", () => {
    expect(pathsOf(validate({ address: {} }))).toEqual(["name", "address.city"]);
    expect(validate({ name: "" })[0]!.message).toBe("must be at least 1 characters long");
  });

  it("counts string length in characters, not UTF-16 units", () => {
    expect(validate({ name: "😀😀😀😀😀" })).toEqual([]);
  });

  it("treats 1.0 as an integer, as JSON Schema does, but not 1.5", () => {
    expect(validate({ name: "a", age: 1.0 })).toEqual([]);
    expect(pathsOf(validate({ name: "a", age: 1.5 }))).toEqual(["age"]);
  });
});
