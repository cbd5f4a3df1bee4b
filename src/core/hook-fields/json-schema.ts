import type { FieldSchema, HookField } from "./field-spec";

/**
 * A hook's payload as a JSON Schema (draft 2020-12) document, for receivers to validate deliveries
 * and generate types from: an object of the hook's fields, the required ones listed, nothing else
 * allowed (Durian delivers only the fields a hook provides).
 */

export const JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema";

export interface HookPayloadSchema {
  $schema?: string;
  $id?: string;
  title: string;
  description?: string;
  type: "object";
  properties: Record<string, FieldSchema>;
  required: string[];
  additionalProperties: false;
}

/** A nested object with declared properties accepts only those, as Durian's own check does. */
function closedSchema(schema: FieldSchema): FieldSchema {
  const closed: FieldSchema & { additionalProperties?: false } = { ...schema };
  if (schema.properties) {
    closed.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([name, property]) => [name, closedSchema(property)]),
    );
    closed.additionalProperties = false;
  }
  if (schema.items) closed.items = closedSchema(schema.items);
  return closed;
}

export interface HookSchemaSubject {
  name: string;
  verboseName?: string;
  description?: string;
}

/**
 * The payload schema of a hook. `standalone` adds `$schema` and `$id` (a downloaded file); the OpenAPI
 * document embeds it without them.
 */
export function hookPayloadSchema(
  hook: HookSchemaSubject,
  fields: readonly HookField[],
  { standalone = true }: { standalone?: boolean } = {},
): HookPayloadSchema {
  const properties: Record<string, FieldSchema> = {};
  for (const field of fields) {
    const schema = closedSchema(field.schema);
    properties[field.name] = field.description ? { ...schema, description: field.description } : schema;
  }
  return {
    ...(standalone && { $schema: JSON_SCHEMA_DIALECT, $id: `durian:hook:${hook.name}` }),
    title: hook.name,
    ...((hook.description || hook.verboseName) && { description: hook.description || hook.verboseName }),
    type: "object",
    properties,
    required: fields.filter((field) => field.required).map((field) => field.name),
    additionalProperties: false,
  };
}
