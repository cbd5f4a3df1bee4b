import type { FieldSchema } from "./field-spec";

/** What a field's schema accepts, in words ("an integer", "a date-time", "one of "a", "b""), for errors and the dashboard. */
export function describeFieldType(schema: FieldSchema): string {
  if (schema.enum) return `one of ${schema.enum.map((value) => JSON.stringify(value)).join(", ")}`;
  switch (schema.type) {
    case undefined:
      return "any JSON value";
    case "string":
      return schema.format === "date-time" ? "a date-time (RFC 3339)" : "a string";
    case "number":
      return "a number";
    case "integer":
      return "an integer";
    case "boolean":
      return "true or false";
    case "object":
      return "an object";
    case "array":
      return schema.items && Object.keys(schema.items).length > 0
        ? `an array (each item ${describeFieldType(schema.items)})`
        : "an array";
  }
}

/** A short label for the dashboard's field list: `integer`, `date-time`, `enum`, `array<string>`. */
export function fieldTypeLabel(schema: FieldSchema): string {
  if (schema.enum) return "enum";
  if (schema.type === "string" && schema.format === "date-time") return "date-time";
  if (schema.type === "array" && schema.items) return `array<${fieldTypeLabel(schema.items)}>`;
  return schema.type ?? "any";
}
