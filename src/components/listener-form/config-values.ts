import type { ConfigOption, ConfigValue, ListenerConfig } from "@/core/hook-fields";

/**
 * The listener form's inputs for the hook's configForm, one per option in order (by index, since an
 * option's name may hold characters a form path cannot): a checkbox's boolean, or the text of a text,
 * number or select input, where "" leaves the option to its default.
 */
export interface ConfigInput {
  value: string | boolean;
}

export function isCheckbox(option: ConfigOption): boolean {
  return option.schema.type === "boolean" && !option.schema.enum;
}

/** The inputs for a new listener (defaults shown as placeholders, checkboxes set to theirs) or an edited one. */
export function initialConfigInputs(
  options: readonly ConfigOption[],
  stored: ListenerConfig = {},
): ConfigInput[] {
  return options.map((option) => {
    const value = Object.hasOwn(stored, option.name) ? stored[option.name] : undefined;
    if (isCheckbox(option)) return { value: Boolean(value ?? option.default ?? false) };
    return { value: value === undefined ? "" : String(value) };
  });
}

/** The config to save: each input as its option's type; an empty input is left out (its default applies). */
export function configFromInputs(
  options: readonly ConfigOption[],
  inputs: readonly ConfigInput[],
): ListenerConfig {
  const config: ListenerConfig = {};
  options.forEach((option, index) => {
    const value = inputs[index]?.value;
    if (value === undefined || value === "") return;
    config[option.name] = typed(option, value);
  });
  return config;
}

function typed(option: ConfigOption, value: string | boolean): ConfigValue {
  if (typeof value === "boolean") return value;
  const listed = option.schema.enum?.find((candidate) => String(candidate) === value);
  if (listed !== undefined) return listed;
  const { type } = option.schema;
  if ((type === "number" || type === "integer") && value.trim() !== "" && Number.isFinite(Number(value)))
    return Number(value);
  // Left as typed: validation names what is wrong with it.
  return value;
}
