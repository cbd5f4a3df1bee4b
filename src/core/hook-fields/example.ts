import type { FieldSchema, HookField } from "./field-spec";

/** The timestamp examples show: a fixed one, so examples do not change from one page view to the next. */
export const EXAMPLE_DATE_TIME = "2026-01-15T09:30:00Z";
const EXAMPLE_NUMBER = 42;

function clamp(value: number, { minimum, maximum }: FieldSchema): number {
  return Math.min(maximum ?? Infinity, Math.max(minimum ?? -Infinity, value));
}

function exampleText(name: string, { minLength = 0, maxLength }: FieldSchema): string {
  const text = `example ${name}`.padEnd(minLength, "x");
  return maxLength === undefined ? text : text.slice(0, maxLength);
}

/** A value of the field's type, for example payloads and test events (`"age": 42`, not `"example age"`). */
export function exampleValue(name: string, schema: FieldSchema): unknown {
  if (schema.enum) return schema.enum[0];
  switch (schema.type) {
    case undefined:
    case "string":
      return schema.format === "date-time" ? EXAMPLE_DATE_TIME : exampleText(name, schema);
    case "number":
      return clamp(EXAMPLE_NUMBER, schema);
    case "integer":
      return Math.ceil(clamp(EXAMPLE_NUMBER, schema));
    case "boolean":
      return true;
    case "object":
      return Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([property, inner]) => [
          property,
          exampleValue(property, inner),
        ]),
      );
    case "array":
      return schema.items ? [exampleValue(name, schema.items)] : [];
  }
}

/** A payload with every field of the hook, each of its type. */
export function examplePayload(fields: readonly HookField[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((field) => [field.name, exampleValue(field.name, field.schema)]));
}
