import { z } from "zod";
import { MAX_RETRIES, MAX_RETRY_DELAY_SECONDS } from "@/core/delivery/retry-schedule";
import {
  configFormSchema,
  fieldSchemaDepth,
  fieldSchemaSchema,
  MAX_FIELD_SCHEMA_DEPTH,
  type HookFieldInput,
} from "@/core/hook-fields";
import { idSchema, pageQuerySchema, pageSchema, storableString, timestampSchema } from "./common";

/** Hook names: letters, digits, `.`, `_` and `-` (they appear in URLs and in the dashboard). */
export const HOOK_NAME_PATTERN = /^[A-Za-z0-9._-]+$/;
export const MAX_HOOK_NAME_LENGTH = 100;
export const MAX_VERBOSE_NAME_LENGTH = 200;
export const MAX_DESCRIPTION_LENGTH = 2000;
export const MAX_PROVIDES_ARGS = 200;
export const MAX_FIELD_NAME_LENGTH = 200;
/** Issue 3: a delivery attempt times out after 10 s unless the hook says otherwise. */
export const DEFAULT_HOOK_TIMEOUT_MS = 10_000;
export const MIN_HOOK_TIMEOUT_MS = 100;
export const MAX_HOOK_TIMEOUT_MS = 60_000;
export const HOOK_KINDS = ["custom", "signal", "model"] as const;

export const hookNameSchema = z
  .string()
  .min(1, "a hook needs a name")
  .max(MAX_HOOK_NAME_LENGTH, `at most ${MAX_HOOK_NAME_LENGTH} characters`)
  .regex(HOOK_NAME_PATTERN, "may only contain letters, digits, '.', '_' and '-'")
  // "." and ".." would be resolved away as URL path segments.
  .refine((name) => name !== "." && name !== "..", "cannot be '.' or '..'")
  .meta({ description: "Unique in the project: letters, digits, `.`, `_`, `-`", example: "person.created" });

const fieldNameSchema = storableString()
  .min(1, "must be a non-empty field name")
  .max(MAX_FIELD_NAME_LENGTH, `at most ${MAX_FIELD_NAME_LENGTH} characters`);

/** A field with its type: a JSON Schema subset (src/core/hook-fields), and whether every event must send it. */
export const typedHookFieldSchema = z
  .strictObject({
    name: fieldNameSchema,
    schema: fieldSchemaSchema
      .refine((schema) => fieldSchemaDepth(schema) <= MAX_FIELD_SCHEMA_DEPTH, {
        message: `objects and arrays nest at most ${MAX_FIELD_SCHEMA_DEPTH} levels`,
      })
      .optional()
      .meta({
        description:
          'JSON Schema subset: `type` (string, number, integer, boolean, object, array), `format: "date-time"`, ' +
          "`enum`, `minLength`/`maxLength`, `minimum`/`maximum`, `properties`/`required` (objects), `items` (arrays). " +
          "Left out: any JSON value",
        example: { type: "integer", minimum: 0 },
      }),
    required: z.boolean().optional().meta({ description: "Every event must send it (default false)" }),
    description: storableString().max(MAX_DESCRIPTION_LENGTH).optional(),
  })
  .meta({ id: "TypedHookField" });

/** One entry of providesArgs: a bare name (any JSON value, optional) or a typed field. */
export const hookFieldInputSchema: z.ZodType<HookFieldInput, HookFieldInput> = z
  .union([fieldNameSchema, typedHookFieldSchema])
  .meta({ id: "HookField" }) as unknown as z.ZodType<HookFieldInput, HookFieldInput>;

/** The name of one providesArgs entry, bare or typed. */
export function hookFieldName(field: HookFieldInput): string {
  return typeof field === "string" ? field : field.name;
}

/** An ordered set of fields, each a bare name or a typed field; no name repeated. */
export const providesArgsSchema = z
  .array(hookFieldInputSchema, { error: "must be an array of field names or typed fields" })
  .max(MAX_PROVIDES_ARGS, `at most ${MAX_PROVIDES_ARGS} fields`)
  .superRefine((fields, ctx) => {
    const firstIndex = new Map<string, number>();
    fields.forEach((field, index) => {
      const name = hookFieldName(field);
      const first = firstIndex.get(name);
      if (first === undefined) firstIndex.set(name, index);
      else
        ctx.addIssue({
          code: "custom",
          path: [index],
          message: `repeats "${name}" (already at position ${first})`,
        });
    });
  })
  .meta({
    description:
      "The only payload fields ever stored or delivered, in order; unique. A bare name admits any JSON value " +
      "and may be left out; a typed field is checked on every event (422 naming the path, `payload.address.city`)",
    example: ["name", { name: "age", schema: { type: "integer", minimum: 0 }, required: true }],
  });

export const retryScheduleSchema = z
  .array(
    z
      .number()
      .int("must be whole seconds")
      .min(0, "must be 0 or more seconds")
      .max(MAX_RETRY_DELAY_SECONDS, `at most ${MAX_RETRY_DELAY_SECONDS} seconds`),
  )
  .max(MAX_RETRIES, `at most ${MAX_RETRIES} retries`)
  .meta({
    description: "Seconds to wait before each retry; empty means the default schedule",
    example: [5, 300, 1800],
  });

/** durian's `config_form`: the typed options each listener of the hook sets. */
export const listenerConfigFormSchema = configFormSchema.meta({
  id: "ConfigForm",
  description:
    "Options each listener sets (durian's config_form), delivered with every request in the " +
    "`durian-listener-config` header and the envelope's `config`: each a string, number, integer, " +
    "boolean or enum, with an optional default",
  example: [
    { name: "format", schema: { enum: ["json", "xml"] }, default: "json" },
    { name: "include_address", schema: { type: "boolean" }, default: false },
  ],
});

/** Body of `PUT /api/v1/hooks/{name}`. Omitted fields take their defaults: the body is the whole definition. */
export const hookDefinitionSchema = z
  .object({
    verboseName: storableString().max(MAX_VERBOSE_NAME_LENGTH).default(""),
    description: storableString().max(MAX_DESCRIPTION_LENGTH).default(""),
    providesArgs: providesArgsSchema,
    kind: z.enum(HOOK_KINDS).default("custom"),
    timeoutMs: z
      .number()
      .int()
      .min(MIN_HOOK_TIMEOUT_MS)
      .max(MAX_HOOK_TIMEOUT_MS)
      .default(DEFAULT_HOOK_TIMEOUT_MS)
      .meta({ description: "Timeout of one delivery attempt, in milliseconds" }),
    retrySchedule: retryScheduleSchema.default([]),
    configForm: listenerConfigFormSchema.default([]),
  })
  .meta({ id: "HookDefinition" });
export type HookDefinitionInput = z.input<typeof hookDefinitionSchema>;
export type HookDefinition = z.output<typeof hookDefinitionSchema>;

export const hookRecordSchema = z
  .object({
    id: idSchema,
    name: z.string(),
    verboseName: z.string(),
    description: z.string(),
    providesArgs: z.array(hookFieldInputSchema).meta({
      description: "Bare names stay strings; typed fields are objects with their `schema`",
    }),
    kind: z.enum(HOOK_KINDS),
    timeoutMs: z.number().int(),
    retrySchedule: z.array(z.number().int()),
    configForm: listenerConfigFormSchema,
    version: z.number().int().meta({
      description: "The latest version of its fields: a breaking change to them adds a version",
    }),
    enabled: z.boolean(),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .meta({ id: "Hook" });

export const fieldChangeSchema = z
  .object({
    path: z.string().meta({ description: "The field, dotted into nested properties; `[]` for array items" }),
    kind: z.enum(["added", "removed", "changed"]),
    detail: z.string().meta({ example: "type: string → integer" }),
    breaking: z.boolean(),
  })
  .meta({ id: "FieldChange" });

export const hookVersionSchema = z
  .object({
    version: z.number().int(),
    providesArgs: z.array(hookFieldInputSchema),
    listeners: z.number().int().meta({ description: "Listeners receiving this version's events" }),
    changes: z.array(fieldChangeSchema).meta({
      description: "What differs from the version before (empty for version 1)",
    }),
    createdAt: timestampSchema,
  })
  .meta({ id: "HookVersion" });

export const hookVersionListSchema = z
  .object({ items: z.array(hookVersionSchema).meta({ description: "Latest first" }) })
  .meta({ id: "HookVersionList" });

export const hookStatsSchema = z
  .object({
    listeners: z.number().int(),
    events24h: z.number().int().meta({ description: "Events accepted in the last 24 hours" }),
    successRate24h: z.number().nullable().meta({
      description: "Succeeded / finished deliveries of the last 24 hours, 0–1; null when none finished",
    }),
  })
  .meta({ id: "HookStats" });

export const hookWithStatsSchema = hookRecordSchema
  .extend({ stats: hookStatsSchema })
  .meta({ id: "HookWithStats" });

export const MAX_HOOK_SEARCH_LENGTH = 200;

export const listHooksQuerySchema = pageQuerySchema.extend({
  search: storableString().trim().max(MAX_HOOK_SEARCH_LENGTH).optional().meta({
    description: "Only hooks whose name, verbose name, description or a field contains this (any case)",
  }),
});
export type ListHooksQueryInput = z.input<typeof listHooksQuerySchema>;
export type ListHooksQuery = z.output<typeof listHooksQuerySchema>;
export const hookPageSchema = pageSchema(hookWithStatsSchema).meta({ id: "HookPage" });

/** A hook's payload schema as `GET /hooks/{name}/schema` answers it (src/core/hook-fields/json-schema.ts). */
export const hookPayloadJsonSchema = z
  .object({
    $schema: z.string(),
    $id: z.string(),
    title: z.string(),
    description: z.string().optional(),
    type: z.literal("object"),
    properties: z.record(z.string(), z.record(z.string(), z.unknown())),
    required: z.array(z.string()),
    additionalProperties: z.literal(false),
  })
  .meta({ id: "HookPayloadSchema", description: "A JSON Schema (draft 2020-12) document" });
