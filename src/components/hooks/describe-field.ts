import type { FieldSchema, HookFieldInput } from "@/core/hook-fields";

/** A field's type in a few words: `integer`, `timestamp`, `"free" | "pro"`, `object`, `array of string`; `any` untyped. */
export function describeSchema(schema: FieldSchema): string {
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(" | ");
  if (schema.type === "string" && schema.format === "date-time") return "timestamp";
  if (schema.type === "array") return schema.items ? `array of ${describeSchema(schema.items)}` : "array";
  return schema.type ?? "any";
}

/** A field as the dashboard lists it: `name`, `age: integer`, `email: string, required`. */
export function describeField(field: HookFieldInput): string {
  if (typeof field === "string") return field;
  const type = describeSchema(field.schema ?? {});
  const parts = [type === "any" ? null : type, field.required ? "required" : null].filter(Boolean);
  return parts.length > 0 ? `${field.name}: ${parts.join(", ")}` : field.name;
}
