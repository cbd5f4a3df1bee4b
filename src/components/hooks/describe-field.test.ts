import { describe, expect, it } from "vitest";
import { describeField } from "./describe-field";

describe("describeField", () => {
  it("names bare fields alone and typed ones with their type and whether they are required", () => {
    expect(describeField("name")).toBe("name");
    expect(describeField({ name: "age", schema: { type: "integer" }, required: true })).toBe(
      "age: integer, required",
    );
    expect(describeField({ name: "at", schema: { type: "string", format: "date-time" } })).toBe(
      "at: timestamp",
    );
    expect(describeField({ name: "plan", schema: { enum: ["free", "pro"] } })).toBe('plan: "free" | "pro"');
    expect(describeField({ name: "tags", schema: { type: "array", items: { type: "string" } } })).toBe(
      "tags: array of string",
    );
  });
});
