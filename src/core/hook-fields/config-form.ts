import { z } from "zod";
import { type EnumValue, type FieldSchema, fieldSchemaSchema } from "./field-spec";
import { valueProblems } from "./validate-payload";

/**
 * durian's `config_form`: options a hook lets each listener set (`format`, `include_address` …),
 * typed in the hook field language, shown in the generated listener form, stored on the listener and
 * delivered with every request. Options are scalars, so that each has a plain input (text, number,
 * checkbox, select) and fits a header: a string (or timestamp), number, integer, boolean or enum.
 */
export const MAX_CONFIG_OPTIONS = 50;
/** A listener's config travels in a header with every request: its JSON stays within this many bytes. */
export const MAX_CONFIG_BYTES = 4096;

export type ConfigValue = EnumValue;

export interface ConfigOption {
  name: string;
  schema: FieldSchema;
  /** A listener that sets nothing gets this. */
  default?: ConfigValue;
  /** Every listener must set it (unless it has a default). */
  required: boolean;
  description?: string;
}

/** A listener's settings, by option name. */
export type ListenerConfig = Record<string, ConfigValue>;

const SCALAR_TYPES = new Set(["string", "number", "integer", "boolean"]);

export const configOptionSchema = z
  .strictObject({
    name: z.string().min(1, "an option needs a name").max(200),
    schema: fieldSchemaSchema.refine(
      (schema) => schema.enum !== undefined || (schema.type !== undefined && SCALAR_TYPES.has(schema.type)),
      'an option is a "string", "number", "integer" or "boolean", or has an "enum"',
    ),
    default: z.union([z.string(), z.number(), z.boolean()]).optional(),
    required: z.boolean().default(false),
    description: z.string().max(2000).optional(),
  })
  .superRefine((option, ctx) => {
    if (option.default === undefined) return;
    const problem = configValueProblem(option.schema, option.default);
    if (problem) ctx.addIssue({ code: "custom", path: ["default"], message: problem });
  });

export const configFormSchema = z
  .array(configOptionSchema)
  .max(MAX_CONFIG_OPTIONS, `at most ${MAX_CONFIG_OPTIONS} options`)
  .superRefine((options, ctx) => {
    const seen = new Set<string>();
    options.forEach((option, index) => {
      if (seen.has(option.name))
        ctx.addIssue({ code: "custom", path: [index, "name"], message: `repeats "${option.name}"` });
      seen.add(option.name);
    });
  });

/** A hook's configForm as stored (validated when the hook was saved). */
export function storedConfigForm(stored: unknown): ConfigOption[] {
  return Array.isArray(stored) ? (stored as ConfigOption[]) : [];
}

/** Why `value` does not fit an option's schema (checked as an event's field would be), or null when it does. */
export function configValueProblem(schema: FieldSchema, value: unknown): string | null {
  return valueProblems(schema, value)[0]?.message ?? null;
}

export interface ConfigProblem {
  /** The option's name, or none for the config as a whole. */
  path: string[];
  message: string;
}

/** What is wrong with a listener's config for these options: unknown, missing or mistyped options. */
export function configProblems(
  options: readonly ConfigOption[],
  config: Record<string, unknown>,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const known = new Map(options.map((option) => [option.name, option]));
  for (const [name, value] of Object.entries(config)) {
    const option = known.get(name);
    if (!option) {
      const offered = options.length > 0 ? `it offers ${[...known.keys()].join(", ")}` : "it offers none";
      problems.push({ path: [name], message: `the hook has no option "${name}" (${offered})` });
      continue;
    }
    const problem = configValueProblem(option.schema, value);
    if (problem) problems.push({ path: [name], message: problem });
  }
  for (const option of options)
    if (option.required && option.default === undefined && !Object.hasOwn(config, option.name))
      problems.push({ path: [option.name], message: "is required" });
  if (problems.length === 0 && new TextEncoder().encode(JSON.stringify(config)).length > MAX_CONFIG_BYTES)
    problems.push({ path: [], message: `must stay within ${MAX_CONFIG_BYTES} bytes of JSON` });
  return problems;
}

/**
 * The config a delivery carries: each of today's options with the listener's value, or its default;
 * an option the hook no longer offers is left out, one without value or default too.
 */
export function effectiveConfig(options: readonly ConfigOption[], stored: unknown): ListenerConfig {
  const values = stored && typeof stored === "object" && !Array.isArray(stored) ? stored : {};
  const config: ListenerConfig = {};
  for (const option of options) {
    const value = Object.hasOwn(values, option.name)
      ? (values as Record<string, ConfigValue>)[option.name]
      : option.default;
    if (value !== undefined) config[option.name] = value;
  }
  return config;
}

/**
 * The config as a header value: JSON with every character outside printable ASCII escaped (`\u00e9`),
 * so it survives any HTTP stack and still parses as the same JSON.
 */
export function configHeaderValue(config: ListenerConfig): string {
  return JSON.stringify(config).replace(
    /[^\x20-\x7e]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
