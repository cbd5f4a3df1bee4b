import type { ConfigOption, HookDefinition, HookFieldInput, HookKind } from "./api-types";
import { InvalidHookDefinition } from "./errors";
import { fieldInputs, type HookFieldDeclaration } from "./fields";
import { isPlainObject } from "./json-value";

/** Hook names: letters, digits, `.`, `_` and `-` (they appear in URLs and in the dashboard). */
export const HOOK_NAME_PATTERN = /^[A-Za-z0-9._-]+$/;
export const MAX_HOOK_NAME_LENGTH = 100;

const HOOK_KINDS: readonly HookKind[] = ["custom", "signal", "model"];

/** The fields of a hook as an app sets them, before checking. */
export interface HookFields {
  name: unknown;
  verboseName?: unknown;
  description?: unknown;
  providesArgs?: unknown;
  kind?: unknown;
  timeoutMs?: unknown;
  retrySchedule?: unknown;
  configForm?: unknown;
  version?: unknown;
}

/** Checks a hook's fields the way the server will, so a bad definition fails where it is written. */
export function validateHookDefinition(fields: HookFields): HookDefinition {
  const { name } = fields;
  if (typeof name !== "string" || name === "") {
    throw new InvalidHookDefinition(String(name), "name", "is required: give the hook a name");
  }
  if (!HOOK_NAME_PATTERN.test(name)) {
    throw new InvalidHookDefinition(name, "name", "may only contain letters, digits, '.', '_' and '-'");
  }
  if (name === "." || name === "..") {
    throw new InvalidHookDefinition(name, "name", "cannot be '.' or '..' (they vanish from URL paths)");
  }
  if (name.length > MAX_HOOK_NAME_LENGTH) {
    throw new InvalidHookDefinition(name, "name", `is longer than ${MAX_HOOK_NAME_LENGTH} characters`);
  }
  const fail = (field: string, problem: string): never => {
    throw new InvalidHookDefinition(name, field, problem);
  };

  const definition: HookDefinition = { name, providesArgs: providesArgsOf(fields.providesArgs, fail) };
  if (fields.verboseName !== undefined) {
    if (typeof fields.verboseName !== "string") fail("verboseName", "must be a string");
    definition.verboseName = fields.verboseName as string;
  }
  if (fields.description !== undefined) {
    if (typeof fields.description !== "string") fail("description", "must be a string");
    definition.description = fields.description as string;
  }
  if (fields.kind !== undefined) {
    if (!HOOK_KINDS.includes(fields.kind as HookKind))
      fail("kind", `must be one of ${HOOK_KINDS.join(", ")}`);
    definition.kind = fields.kind as HookKind;
  }
  if (fields.timeoutMs !== undefined) {
    if (!isPositiveInteger(fields.timeoutMs))
      fail("timeoutMs", "must be a positive whole number of milliseconds");
    definition.timeoutMs = fields.timeoutMs as number;
  }
  if (fields.retrySchedule !== undefined) {
    const schedule = fields.retrySchedule;
    if (!Array.isArray(schedule)) fail("retrySchedule", "must be an array of seconds");
    (schedule as unknown[]).forEach((seconds, index) => {
      if (!(Number.isInteger(seconds) && (seconds as number) >= 0)) {
        fail(`retrySchedule[${index}]`, "must be a whole number of seconds, 0 or more");
      }
    });
    definition.retrySchedule = [...(schedule as number[])];
  }
  if (fields.configForm !== undefined) {
    // The options' types are checked by the server, which names the option at fault.
    if (!Array.isArray(fields.configForm)) fail("configForm", "must be an array of options");
    definition.configForm = [...(fields.configForm as ConfigOption[])];
  }
  if (fields.version !== undefined && !isPositiveInteger(fields.version))
    fail("version", "must be a version number: a whole number from 1");
  return definition;
}

function providesArgsOf(value: unknown, fail: (field: string, problem: string) => never): HookFieldInput[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return fail("providesArgs", "must be an array of field names or typed fields");
  const seen = new Set<string>();
  value.forEach((field: unknown, index) => {
    const name = typeof field === "string" ? field : isPlainObject(field) ? field.name : undefined;
    if (typeof name !== "string" || name === "")
      fail(
        `providesArgs[${index}]`,
        typeof field === "string" || !isPlainObject(field)
          ? "must be a non-empty string, or a typed field"
          : "must have a non-empty `name`",
      );
    if (isPlainObject(field)) {
      if (field.schema !== undefined && !isPlainObject(field.schema))
        fail(`providesArgs[${index}].schema`, 'must be a JSON Schema object, e.g. { type: "integer" }');
      if (field.required !== undefined && typeof field.required !== "boolean")
        fail(`providesArgs[${index}].required`, "must be true or false");
    }
    if (seen.has(name as string)) fail(`providesArgs[${index}]`, `repeats "${name as string}"`);
    seen.add(name as string);
  });
  // The types themselves are checked by the server, which names the offending keyword.
  return fieldInputs(value as HookFieldDeclaration[]);
}

function isPositiveInteger(value: unknown): boolean {
  return Number.isInteger(value) && (value as number) > 0;
}
