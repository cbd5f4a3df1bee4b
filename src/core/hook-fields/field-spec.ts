import { z } from "zod";

/**
 * The type language of a hook's fields: a subset of JSON Schema (2020-12), so a hook's schema can be
 * downloaded and used by any JSON Schema tool. A field with no type (`{}`) admits any JSON value, which
 * is what a bare name in `providesArgs` has always meant.
 *
 * Timestamps are `{"type": "string", "format": "date-time"}` (RFC 3339); enums are `enum` with or
 * without a `type`. Nothing else of JSON Schema is accepted: a keyword outside this subset is refused
 * by name rather than silently ignored.
 */
export const FIELD_TYPES = ["string", "number", "integer", "boolean", "object", "array"] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const MAX_ENUM_VALUES = 200;
export const MAX_NESTED_PROPERTIES = 200;

export type EnumValue = string | number | boolean;

export interface FieldSchema {
  type?: FieldType;
  description?: string;
  enum?: EnumValue[];
  /** Only with `type: "string"`. */
  format?: "date-time";
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  /** Only with `type: "object"`: its nested fields, and which of them must be present. */
  properties?: Record<string, FieldSchema>;
  required?: string[];
  /** Only with `type: "array"`: the type of every item. */
  items?: FieldSchema;
}

const enumValueSchema = z.union([z.string(), z.number(), z.boolean()]);

export const fieldSchemaSchema: z.ZodType<FieldSchema> = z
  .lazy(() =>
    z
      .strictObject({
        type: z.enum(FIELD_TYPES).optional(),
        description: z.string().max(2000).optional(),
        enum: z.array(enumValueSchema).min(1).max(MAX_ENUM_VALUES).optional(),
        format: z.literal("date-time").optional(),
        minLength: z.number().int().min(0).optional(),
        maxLength: z.number().int().min(0).optional(),
        minimum: z.number().optional(),
        maximum: z.number().optional(),
        properties: z
          .record(z.string().min(1).max(200), fieldSchemaSchema)
          .refine((properties) => Object.keys(properties).length <= MAX_NESTED_PROPERTIES, {
            message: `at most ${MAX_NESTED_PROPERTIES} properties`,
          })
          .optional(),
        required: z.array(z.string()).optional(),
        items: fieldSchemaSchema.optional(),
      })
      .superRefine((schema, ctx) => {
        const misplaced = (keyword: keyof FieldSchema, allowedFor: FieldType[]) => {
          if (schema[keyword] !== undefined && (!schema.type || !allowedFor.includes(schema.type)))
            ctx.addIssue({
              code: "custom",
              path: [keyword],
              message: `"${keyword}" needs "type": ${allowedFor.map((type) => `"${type}"`).join(" or ")}`,
            });
        };
        misplaced("format", ["string"]);
        misplaced("minLength", ["string"]);
        misplaced("maxLength", ["string"]);
        misplaced("minimum", ["number", "integer"]);
        misplaced("maximum", ["number", "integer"]);
        misplaced("properties", ["object"]);
        misplaced("required", ["object"]);
        misplaced("items", ["array"]);
        for (const [index, name] of (schema.required ?? []).entries())
          if (!schema.properties || !Object.hasOwn(schema.properties, name))
            ctx.addIssue({
              code: "custom",
              path: ["required", index],
              message: `"${name}" is not a property`,
            });
      }),
  )
  .meta({ id: "FieldSchema" });

/** One entry of a hook's `providesArgs`, normalized: a bare name is `{ name, schema: {}, required: false }`. */
export interface HookField {
  name: string;
  schema: FieldSchema;
  /** Whether every event must carry it. Bare names are optional, as they always were. */
  required: boolean;
  description?: string;
}

/** What a sender may write for one field: a bare name, or a name with its type. */
export type HookFieldInput =
  string | { name: string; schema?: FieldSchema; required?: boolean; description?: string };

export function normalizeHookField(input: HookFieldInput): HookField {
  if (typeof input === "string") return { name: input, schema: {}, required: false };
  const field: HookField = {
    name: input.name,
    schema: input.schema ?? {},
    required: input.required ?? false,
  };
  if (input.description) field.description = input.description;
  return field;
}

/** Whether a field is a bare name (untyped and optional): such fields are written back as plain strings. */
export function isBareField(field: HookField): boolean {
  return !field.required && !field.description && Object.keys(field.schema).length === 0;
}

/** The form a field is shown in by the API: bare fields as their name, typed ones as objects. */
export function denormalizeHookField(field: HookField): HookFieldInput {
  return isBareField(field) ? field.name : field;
}

/** A typed field's details as stored (`Hook.fieldTypes`), keyed by field name; bare names have none. */
export type FieldTypes = Record<string, Omit<HookField, "name">>;

/** The hook's fields in `providesArgs` order, typed where `fieldTypes` says so. */
export function hookFields(providesArgs: readonly string[], fieldTypes: FieldTypes): HookField[] {
  return providesArgs.map((name) =>
    Object.hasOwn(fieldTypes, name) ? { name, ...fieldTypes[name]! } : { name, schema: {}, required: false },
  );
}

/** The stored form of a hook's fields: names in order, and the details of the typed ones. */
export function storedHookFields(fields: readonly HookField[]): {
  providesArgs: string[];
  fieldTypes: FieldTypes;
} {
  const fieldTypes: FieldTypes = {};
  for (const { name, ...details } of fields)
    if (!isBareField({ name, ...details })) fieldTypes[name] = details;
  return { providesArgs: fields.map((field) => field.name), fieldTypes };
}
