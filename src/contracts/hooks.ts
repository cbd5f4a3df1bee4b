import { z } from "zod";
import { MAX_RETRIES, MAX_RETRY_DELAY_SECONDS } from "@/core/delivery/retry-schedule";
import { configFormSchema, fieldSchemaSchema } from "@/core/hook-fields";
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

/** An ordered set of field names: every entry a non-empty string, none repeated. */
export const providesArgsSchema = z
  .array(
    storableString()
      .min(1, "must be a non-empty field name")
      .max(MAX_FIELD_NAME_LENGTH, `at most ${MAX_FIELD_NAME_LENGTH} characters`),
    { error: "must be an array of field names" },
  )
  .max(MAX_PROVIDES_ARGS, `at most ${MAX_PROVIDES_ARGS} fields`)
  .superRefine((fields, ctx) => {
    const firstIndex = new Map<string, number>();
    fields.forEach((field, index) => {
      const first = firstIndex.get(field);
      if (first === undefined) firstIndex.set(field, index);
      else
        ctx.addIssue({
          code: "custom",
          path: [index],
          message: `repeats "${field}" (already at position ${first})`,
        });
    });
  })
  .meta({
    description: "The only payload fields ever stored or delivered, in order; unique",
    example: ["name", "email"],
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
    providesArgs: z.array(z.string()),
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

/** A field as the API shows it: a bare name, or a name with its type. */
export const hookFieldRecordSchema = z.union([
  z.string(),
  z.object({
    name: z.string(),
    schema: fieldSchemaSchema,
    required: z.boolean(),
    description: z.string().optional(),
  }),
]);

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
    providesArgs: z.array(hookFieldRecordSchema),
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
