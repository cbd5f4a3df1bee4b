"use client";

import type { FieldErrors, UseFormRegister } from "react-hook-form";
import { describeSchema } from "@/components/hooks/describe-field";
import { CheckboxField, InputControl, SelectField } from "@/components/ui/form-controls";
import type { ConfigOption } from "@/core/hook-fields";
import { isCheckbox } from "./config-values";
import type { ListenerFormValues } from "./form-schema";

/**
 * durian's config_form: one input per option the hook offers, by its type (a checkbox for a boolean,
 * a select for an enum, a number input for numbers, text otherwise). Left empty, an option takes its
 * default.
 */
export function ConfigOptions({
  options,
  register,
  errors,
}: {
  options: readonly ConfigOption[];
  register: UseFormRegister<ListenerFormValues>;
  errors: FieldErrors<ListenerFormValues>;
}) {
  if (options.length === 0) return null;
  return (
    <fieldset className="space-y-4 rounded-lg border border-zinc-200 bg-white p-4">
      <legend className="px-1 text-base font-semibold">Options</legend>
      <p className="text-sm text-zinc-700">
        This hook lets each listener choose these; they arrive with every delivery in the{" "}
        <code className="font-mono">durian-listener-config</code> header (and the envelope&apos;s{" "}
        <code className="font-mono">config</code>).
      </p>
      {options.map((option, index) => {
        const label =
          option.required && option.default === undefined ? option.name : `${option.name} (optional)`;
        const error = errors.config?.[index]?.value?.message;
        const hint = option.description;
        const field = register(`config.${index}.value`);
        if (isCheckbox(option))
          return <CheckboxField key={option.name} label={option.name} hint={hint} {...field} />;
        if (option.schema.enum)
          return (
            <SelectField key={option.name} label={label} hint={hint} error={error} {...field}>
              <option value="">
                {option.default === undefined ? "choose…" : `default (${String(option.default)})`}
              </option>
              {option.schema.enum.map((value) => (
                <option key={String(value)} value={String(value)}>
                  {String(value)}
                </option>
              ))}
            </SelectField>
          );
        const numeric = option.schema.type === "number" || option.schema.type === "integer";
        return (
          <InputControl
            key={option.name}
            label={label}
            hint={hint ?? describeSchema(option.schema)}
            error={error}
            type={numeric ? "number" : "text"}
            step={option.schema.type === "integer" ? 1 : "any"}
            autoComplete="off"
            placeholder={option.default === undefined ? undefined : `default: ${String(option.default)}`}
            {...field}
          />
        );
      })}
    </fieldset>
  );
}
