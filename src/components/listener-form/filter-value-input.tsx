"use client";

import type { UseFormRegisterReturn } from "react-hook-form";
import type { FieldSchema } from "@/core/hook-fields";
import { InputControl, SelectField } from "@/components/ui/form-controls";
import { chosenEnumValues, enumListValue, type ValueInput } from "./filter-rows";

const PLACEHOLDERS: Partial<Record<ValueInput, string>> = {
  json: 'text, or JSON: 42, true, "42"',
  text: "text",
  pattern: "regular expression, e.g. ^J",
  list: "a, b, c",
  number: "a number",
};

/**
 * The value of one filter row, in the input its operator and its field's type call for: a number
 * input for numbers, a date and time (UTC) for timestamps, a select for booleans and enums, text
 * otherwise.
 */
export function FilterValueInput({
  input,
  field,
  schema,
  value,
  registration,
  onChange,
  error,
  hint,
}: {
  input: ValueInput;
  field: string;
  schema: FieldSchema;
  value: string;
  registration: UseFormRegisterReturn;
  /** Sets the row's value (the multiple select, which has no single text value to register). */
  onChange: (value: string) => void;
  error?: string;
  hint?: string;
}) {
  const label = `Value for ${field}`;
  switch (input) {
    case "exists":
      return (
        <SelectField label={label} hideLabel error={error} {...registration}>
          <option value="true">true: the field is sent</option>
          <option value="false">false: the field is not sent</option>
        </SelectField>
      );
    case "boolean":
      return (
        <SelectField label={label} hideLabel error={error} hint={hint} {...registration}>
          <option value="">choose true or false</option>
          <option value="true">true</option>
          <option value="false">false</option>
        </SelectField>
      );
    case "enum":
      return (
        <SelectField label={label} hideLabel error={error} hint={hint} {...registration}>
          <option value="">choose a value</option>
          {schema.enum?.map((option) => (
            <option key={String(option)} value={String(option)}>
              {String(option)}
            </option>
          ))}
        </SelectField>
      );
    case "enum-list":
      return (
        <SelectField
          label={label}
          hideLabel
          multiple
          size={Math.min(5, schema.enum?.length ?? 1)}
          error={error}
          hint={hint ? `${hint} Hold Ctrl or ⌘ to choose several.` : undefined}
          value={chosenEnumValues(value, schema)}
          onChange={(event) =>
            onChange(
              enumListValue(
                [...event.target.selectedOptions].map((option) => option.value),
                schema,
              ),
            )
          }
        >
          {schema.enum?.map((option) => (
            <option key={String(option)} value={String(option)}>
              {String(option)}
            </option>
          ))}
        </SelectField>
      );
    case "datetime":
      return (
        <InputControl
          label={`${label} (UTC)`}
          hideLabel
          type="datetime-local"
          step={1}
          error={error}
          hint={hint ? `${hint} In UTC.` : undefined}
          {...registration}
        />
      );
    case "number":
      return (
        <InputControl
          label={label}
          hideLabel
          type="number"
          step={schema.type === "integer" ? 1 : "any"}
          inputMode="decimal"
          placeholder={PLACEHOLDERS.number}
          error={error}
          hint={hint}
          {...registration}
        />
      );
    case "none":
      return <InputControl label={label} hideLabel disabled placeholder="any value" {...registration} />;
    default:
      return (
        <InputControl
          label={label}
          hideLabel
          placeholder={PLACEHOLDERS[input]}
          error={error}
          hint={hint}
          {...registration}
        />
      );
  }
}
