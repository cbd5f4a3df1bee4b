import { describe, expect, it } from "vitest";
import { fieldSchemaSchema, hookFields, normalizeHookField, storedHookFields } from "./field-spec";

describe("hook fields", () => {
  it("stores typed fields by name and reads bare names back as any-JSON optional fields", () => {
    const fields = ["name", { name: "age", schema: { type: "integer" as const }, required: true }].map(
      normalizeHookField,
    );
    const stored = storedHookFields(fields);
    expect(stored).toEqual({
      providesArgs: ["name", "age"],
      fieldTypes: { age: { schema: { type: "integer" }, required: true } },
    });
    expect(hookFields(stored.providesArgs, stored.fieldTypes)).toEqual(fields);
  });

  it("refuses keywords outside the subset and keywords of another type, by path", () => {
    const unknown = fieldSchemaSchema.safeParse({ type: "string", pattern: "^a" });
    expect(unknown.success).toBe(false);
    const misplaced = fieldSchemaSchema.safeParse({
      type: "object",
      properties: { n: { type: "number", format: "date-time" } },
    });
    expect(misplaced.error?.issues.map((issue) => issue.path.join("."))).toEqual(["properties.n.format"]);
    const notAProperty = fieldSchemaSchema.safeParse({ type: "object", properties: {}, required: ["x"] });
    expect(notAProperty.error?.issues[0]?.message).toBe('"x" is not a property');
  });
});
