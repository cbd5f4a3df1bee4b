import { compilePayloadValidator } from "../../../src/core/hook-fields/validate-payload";
import type { HookFieldInput, JsonValue, Payload } from "./api-types";

/**
 * A hook's fields as an app declares them: a bare name (any JSON value, optional) or a typed field,
 * written as the JSON Schema subset the server takes. Declared inline (`new Hook({ providesArgs: [...] })`)
 * they type `send()`'s payload; `as const` does the same for a list declared apart.
 *
 *     const member = new Hook({
 *       name: "member.joined",
 *       providesArgs: [
 *         "note",
 *         { name: "email", schema: { type: "string" }, required: true },
 *         { name: "plan", schema: { enum: ["free", "pro"] } },
 *       ],
 *     });
 *     await member.send(null, { email: "a@b.c", plan: "pro" }); // { email: string; plan?: "free" | "pro"; note?: JsonValue }
 */

export type EnumValue = string | number | boolean;

/** The server's FieldSchema with read-only members, so `as const` and inferred declarations fit it. */
export interface FieldSchemaDeclaration {
  readonly type?: "string" | "number" | "integer" | "boolean" | "object" | "array";
  readonly description?: string;
  readonly enum?: readonly EnumValue[];
  readonly format?: "date-time";
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly properties?: { readonly [name: string]: FieldSchemaDeclaration };
  readonly required?: readonly string[];
  readonly items?: FieldSchemaDeclaration;
}

export type HookFieldDeclaration =
  | string
  | {
      readonly name: string;
      readonly schema?: FieldSchemaDeclaration;
      readonly required?: boolean;
      readonly description?: string;
    };

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The TypeScript type of a value of this schema. */
export type TypeOfSchema<S> = S extends { readonly enum: readonly (infer V)[] }
  ? V
  : S extends { readonly type: "string" }
    ? string
    : S extends { readonly type: "number" | "integer" }
      ? number
      : S extends { readonly type: "boolean" }
        ? boolean
        : S extends { readonly type: "array"; readonly items: infer Item }
          ? TypeOfSchema<Item>[]
          : S extends { readonly type: "array" }
            ? JsonValue[]
            : S extends { readonly type: "object"; readonly properties: infer Properties }
              ? ObjectOf<Properties, S extends { readonly required: readonly (infer R)[] } ? R : never>
              : S extends { readonly type: "object" }
                ? { [key: string]: JsonValue }
                : JsonValue;

type ObjectOf<Properties, Required> = Simplify<
  { -readonly [K in keyof Properties & Required]: TypeOfSchema<Properties[K]> } & {
    -readonly [K in Exclude<keyof Properties, Required>]?: TypeOfSchema<Properties[K]>;
  }
>;

type NameOf<Field> = Field extends string
  ? Field
  : Field extends { readonly name: infer N extends string }
    ? N
    : never;
type ValueOf<Field> = Field extends { readonly schema: infer S } ? TypeOfSchema<S> : JsonValue;
type RequiredField<Fields extends readonly HookFieldDeclaration[]> = Extract<
  Fields[number],
  { readonly required: true }
>;
type OptionalField<Fields extends readonly HookFieldDeclaration[]> = Exclude<
  Fields[number],
  RequiredField<Fields>
>;

/** Whether any field carries a type or is required; hooks of bare names keep the loose `Payload`. */
type HasTypedField<Fields extends readonly HookFieldDeclaration[]> = [
  Extract<Fields[number], { readonly schema: object } | { readonly required: true }>,
] extends [never]
  ? false
  : true;

/** What `send()` takes for a hook with these fields. */
export type PayloadOf<Fields extends readonly HookFieldDeclaration[]> =
  HasTypedField<Fields> extends true
    ? Simplify<
        { [F in RequiredField<Fields> as NameOf<F>]: ValueOf<F> } & {
          [F in OptionalField<Fields> as NameOf<F>]?: ValueOf<F>;
        }
      >
    : Payload;

/** The names of the fields, in order. */
export function fieldNames(fields: readonly HookFieldDeclaration[]): string[] {
  return fields.map((field) => (typeof field === "string" ? field : field.name));
}

/** The fields as the API takes them (plain copies: the server's schema does not take read-only lists). */
export function fieldInputs(fields: readonly HookFieldDeclaration[]): HookFieldInput[] {
  return fields.map((field) =>
    typeof field === "string" ? field : (structuredClone(field) as HookFieldInput),
  );
}

/** The server's own payload check (src/core/hook-fields), run before sending so a bad payload never leaves. */
export function payloadValidatorFor(fields: readonly HookFieldDeclaration[]) {
  return compilePayloadValidator(
    fieldInputs(fields).map((field) =>
      typeof field === "string"
        ? { name: field, schema: {}, required: false }
        : { name: field.name, schema: field.schema ?? {}, required: field.required ?? false },
    ),
  );
}
