import { z } from "zod";
import { EMPTY_ALLOWLIST } from "@/core/delivery/allowlist";
import { customHeaderProblems } from "@/core/delivery/custom-headers";
import { checkDestinationUrl, type DestinationRefusalReason } from "@/core/delivery/destination";
import {
  validateFilter,
  type Filter,
  type FilterError,
  type HookFieldsLike,
  type OperatorName,
} from "@/core/filter";
import {
  MAX_LISTENER_DESCRIPTION_LENGTH,
  listenerNameSchema,
  listenerUrlSchema,
} from "@/contracts/listeners";
import { type ConfigOption, configProblems, type ListenerConfig } from "@/core/hook-fields";
import { type ConfigInput, configFromInputs } from "./config-values";
import { rowFieldOfPath, rowsToFilter, type FilterRow } from "./filter-rows";

/**
 * The listener form's values and checks. Every rule is the API's own (the shared filter validator,
 * destination check and header rules), run as the user types; the API stays the authority on save.
 */

export type FilterMode = "fields" | "json";

export interface HeaderRow {
  name: string;
  value: string;
}

export interface ListenerFormValues {
  filterMode: FilterMode;
  rows: FilterRow[];
  /** The filter as JSON text, when edited as JSON (filters rows cannot express). */
  filterJson: string;
  name: string;
  url: string;
  description: string;
  headers: HeaderRow[];
  envelope: boolean;
  selfHealing: boolean;
  /** One input per option of the hook's configForm, in order. */
  config: ConfigInput[];
}

/** What the form saves: the body of `POST /api/v1/listeners` without the hook. */
export interface ListenerInput {
  /** Blank: no name. */
  name: string;
  url: string;
  /** Checked in the form, and again by the API, which stays the authority. */
  filter: Filter;
  description: string;
  headers: Record<string, string>;
  envelope: boolean;
  selfHealing: boolean;
  config: ListenerConfig;
}

/** Refusals that need no configuration; the rest (blocked addresses) depend on the server's allowlist. */
const SYNTAX_REFUSALS: ReadonlySet<DestinationRefusalReason> = new Set([
  "invalid-url",
  "unsupported-protocol",
  "credentials-in-url",
]);

/** The URL's problem that can be told without the server's allowlist, or null. */
export function urlSyntaxProblem(url: string): string | null {
  const check = checkDestinationUrl(url.trim(), EMPTY_ALLOWLIST);
  if (check.allowed || !SYNTAX_REFUSALS.has(check.reason)) return null;
  return check.message.replace(/^url: /, "");
}

export type FilterFromForm =
  { ok: true; filter: Record<string, unknown> } | { ok: false; jsonProblem: string };

/** The filter the form describes, from its rows (read as their fields' types) or its JSON text. */
export function filterFromForm(
  values: Pick<ListenerFormValues, "filterMode" | "rows" | "filterJson">,
  fields: HookFieldsLike = [],
): FilterFromForm {
  if (values.filterMode === "fields") return { ok: true, filter: rowsToFilter(values.rows, fields) };
  const text = values.filterJson.trim();
  if (text === "") return { ok: true, filter: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, jsonProblem: `not valid JSON (${(error as Error).message})` };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return { ok: false, jsonProblem: "a filter must be a JSON object keyed by payload field" };
  }
  return { ok: true, filter: parsed as Record<string, unknown> };
}

/** Header rows as the API's object; rows left blank are ignored. */
export function headersFromRows(rows: readonly HeaderRow[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const { name, value } of rows) {
    if (name.trim() === "" && value === "") continue;
    headers[name.trim()] = value;
  }
  return headers;
}

export function toListenerInput(
  values: ListenerFormValues,
  { fields = [], configForm = [] }: { fields?: HookFieldsLike; configForm?: readonly ConfigOption[] } = {},
): ListenerInput | null {
  const filter = filterFromForm(values, fields);
  if (!filter.ok) return null;
  return {
    name: values.name.trim(),
    url: values.url.trim(),
    filter: filter.filter as Filter,
    description: values.description,
    headers: headersFromRows(values.headers),
    envelope: values.envelope,
    selfHealing: values.selfHealing,
    config: configFromInputs(configForm, values.config),
  };
}

/** The form field a filter error belongs next to: its row, or the JSON editor. */
export function filterErrorTarget(
  values: Pick<ListenerFormValues, "filterMode" | "rows">,
  path: readonly (string | number)[] | string,
): `rows.${number}.value` | "filterJson" {
  if (values.filterMode === "fields") {
    const field = rowFieldOfPath(path);
    const index = values.rows.findIndex((row) => row.field === field);
    if (index >= 0) return `rows.${index}.value`;
  }
  return "filterJson";
}

function addFilterIssues(values: ListenerFormValues, errors: FilterError[], ctx: z.RefinementCtx): void {
  for (const error of errors) {
    const target = filterErrorTarget(values, error.path);
    ctx.addIssue({
      code: "custom",
      path: target.split(".").map((p) => (/^\d+$/.test(p) ? Number(p) : p)),
      message: error.message,
    });
  }
}

function addHeaderIssues(rows: readonly HeaderRow[], ctx: z.RefinementCtx): void {
  rows.forEach((row, index) => {
    if (row.name.trim() === "" && row.value !== "") {
      ctx.addIssue({ code: "custom", path: ["headers", index, "name"], message: "enter the header's name" });
    }
  });
  for (const problem of customHeaderProblems(headersFromRows(rows))) {
    const index = rows.findIndex((row) => row.name.trim() === problem.header);
    const path = problem.header && index >= 0 ? ["headers", index, "name"] : ["headers"];
    ctx.addIssue({ code: "custom", path, message: problem.message.replace(/^headers(\.[^:]*)?: /, "") });
  }
}

function addConfigIssues(
  configForm: readonly ConfigOption[],
  inputs: readonly ConfigInput[],
  ctx: z.RefinementCtx,
): void {
  for (const problem of configProblems(configForm, configFromInputs(configForm, inputs))) {
    const index = configForm.findIndex((option) => option.name === problem.path[0]);
    ctx.addIssue({
      code: "custom",
      path: index >= 0 ? ["config", index, "value"] : ["config"],
      message: problem.message,
    });
  }
}

const operatorSchema = z.custom<OperatorName>((value) => typeof value === "string" && value.startsWith("$"));

/** The form's schema for a hook with these fields (bare names or typed fields) and config options. */
export function listenerFormSchema(fields: HookFieldsLike, configForm: readonly ConfigOption[] = []) {
  return (
    z
      .object({
        filterMode: z.enum(["fields", "json"]),
        rows: z.array(z.object({ field: z.string(), operator: operatorSchema, value: z.string() })),
        filterJson: z.string(),
        name: z.string(),
        url: z.string(),
        description: z.string(),
        headers: z.array(z.object({ name: z.string(), value: z.string() })),
        envelope: z.boolean(),
        selfHealing: z.boolean(),
        config: z.array(z.object({ value: z.union([z.string(), z.boolean()]) })),
      })
      // One refinement for every rule, so each field's problems show whatever state the others are in.
      .superRefine((values, ctx) => {
        const urlShape = listenerUrlSchema.safeParse(values.url.trim());
        const urlProblem = urlShape.success
          ? urlSyntaxProblem(values.url)
          : urlShape.error.issues[0]?.message;
        if (urlProblem) ctx.addIssue({ code: "custom", path: ["url"], message: urlProblem });
        const nameShape = listenerNameSchema.safeParse(values.name);
        if (!nameShape.success) {
          ctx.addIssue({ code: "custom", path: ["name"], message: nameShape.error.issues[0]!.message });
        }
        if (values.description.length > MAX_LISTENER_DESCRIPTION_LENGTH) {
          ctx.addIssue({
            code: "custom",
            path: ["description"],
            message: `at most ${MAX_LISTENER_DESCRIPTION_LENGTH} characters`,
          });
        }

        const filter = filterFromForm(values, fields);
        if (!filter.ok) {
          ctx.addIssue({ code: "custom", path: ["filterJson"], message: filter.jsonProblem });
        } else {
          const result = validateFilter(filter.filter, fields);
          if (!result.ok) addFilterIssues(values, result.errors, ctx);
        }
        addHeaderIssues(values.headers, ctx);
        addConfigIssues(configForm, values.config, ctx);
      })
  );
}

/** Where an API field error (`url`, `filter.name.$like`, `headers.X-Foo`, `config.format`) belongs in the form. */
export function formFieldOfApiPath(
  values: Pick<ListenerFormValues, "filterMode" | "rows" | "headers">,
  path: string,
  configForm: readonly ConfigOption[] = [],
): string | null {
  if (
    path === "name" ||
    path === "url" ||
    path === "description" ||
    path === "envelope" ||
    path === "selfHealing"
  )
    return path;
  if (path === "filter" || path.startsWith("filter.")) return filterErrorTarget(values, path);
  if (path.startsWith("config.")) {
    const index = configForm.findIndex((option) => option.name === path.slice("config.".length));
    return index >= 0 ? `config.${index}.value` : null;
  }
  if (path === "headers" || path.startsWith("headers.")) {
    const name = path.slice("headers.".length);
    const index = values.headers.findIndex((row) => row.name.trim() === name);
    return index >= 0 ? `headers.${index}.name` : "headers";
  }
  return null;
}
