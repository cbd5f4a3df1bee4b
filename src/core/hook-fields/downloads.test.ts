import { describe, expect, it } from "vitest";
import { normalizeHookField } from "./field-spec";
import { hookPayloadSchema } from "./json-schema";
import { hookTypeScript, payloadTypeName } from "./typescript";

const fields = [
  "note",
  { name: "age", schema: { type: "integer" as const }, required: true, description: "Years" },
  { name: "plan", schema: { enum: ["free", "pro"] } },
  { name: "signed-up", schema: { type: "string" as const, format: "date-time" as const } },
  {
    name: "address",
    schema: {
      type: "object" as const,
      properties: { city: { type: "string" as const } },
      required: ["city"],
    },
  },
  { name: "tags", schema: { type: "array" as const, items: { type: "string" as const } } },
].map(normalizeHookField);

describe("a hook's downloads", () => {
  it("is a closed JSON Schema object of the fields, the required ones listed", () => {
    const schema = hookPayloadSchema({ name: "person", description: "A person changed" }, fields);
    expect(schema).toMatchObject({
      $schema: "https://json-schema.org/draft/2020-12/schema",
      title: "person",
      description: "A person changed",
      type: "object",
      required: ["age"],
      additionalProperties: false,
    });
    expect(schema.properties.note).toEqual({});
    expect(schema.properties.age).toEqual({ type: "integer", description: "Years" });
    expect(schema.properties.address).toEqual({
      type: "object",
      properties: { city: { type: "string" } },
      required: ["city"],
      additionalProperties: false,
    });
    expect(hookPayloadSchema({ name: "person" }, fields, { standalone: false })).not.toHaveProperty(
      "$schema",
    );
  });

  it("prints TypeScript declarations with optional members, literal unions and nested objects", () => {
    expect(payloadTypeName("person.created")).toBe("PersonCreatedPayload");
    expect(payloadTypeName("2fa")).toBe("Hook2faPayload");
    expect(hookTypeScript({ name: "person" }, fields)).toBe(
      [
        `// The payload of Durian's hook "person", as delivered (generated from its field types).`,
        "",
        "export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };",
        "",
        "export interface PersonPayload {",
        "  note?: JsonValue;",
        "  /** Years. An integer */",
        "  age: number;",
        '  plan?: "free" | "pro";',
        "  /** RFC 3339 date-time */",
        '  "signed-up"?: string;',
        "  address?: {",
        "    city: string;",
        "  };",
        "  tags?: string[];",
        "}",
        "",
      ].join("\n"),
    );
  });
});
