import type { FieldSchema, HookField } from "./field-spec";

/**
 * A hook's payload as TypeScript declarations, printed from the field types. The subset has no
 * references, unions of schemas or patterns, so a small printer covers it and runs anywhere (the
 * dashboard builds the same file in the browser); json-schema-to-typescript would bring prettier,
 * lodash and a reference resolver, and only works asynchronously.
 */

const INDENT = "  ";
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `person.created` → `PersonCreatedPayload`. */
export function payloadTypeName(hookName: string): string {
  const words = hookName.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const pascal = words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join("");
  return `${/^[A-Za-z_]/.test(pascal) ? pascal : `Hook${pascal}`}Payload`;
}

function propertyKey(name: string): string {
  return IDENTIFIER.test(name) ? name : JSON.stringify(name);
}

function docComment(text: string | undefined, indent: string): string[] {
  if (!text) return [];
  const lines = text.replace(/\*\//g, "*\\/").split("\n");
  if (lines.length === 1) return [`${indent}/** ${lines[0]} */`];
  return [`${indent}/**`, ...lines.map((line) => `${indent} * ${line}`.trimEnd()), `${indent} */`];
}

/** Any JSON value: what a field without a type may carry. */
const JSON_VALUE_TYPE = "JsonValue";
const JSON_VALUE_DECLARATION =
  "export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };";

function typeOf(schema: FieldSchema, indent: string): string {
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(" | ");
  switch (schema.type) {
    case undefined:
      return JSON_VALUE_TYPE;
    case "string":
      return "string";
    case "number":
    case "integer":
      return "number";
    case "boolean":
      return "boolean";
    case "array": {
      const item = schema.items ? typeOf(schema.items, indent) : JSON_VALUE_TYPE;
      return /^[\w$]+$/.test(item) ? `${item}[]` : `Array<${item}>`;
    }
    case "object":
      return schema.properties
        ? objectType(schema.properties, new Set(schema.required ?? []), indent)
        : `{ [key: string]: ${JSON_VALUE_TYPE} }`;
  }
}

interface Member {
  name: string;
  schema: FieldSchema;
  required: boolean;
  description?: string;
}

function members(list: readonly Member[], indent: string): string[] {
  const inner = indent + INDENT;
  return list.flatMap((member) => [
    ...docComment(memberDoc(member), inner),
    `${inner}${propertyKey(member.name)}${member.required ? "" : "?"}: ${typeOf(member.schema, inner)};`,
  ]);
}

function memberDoc({ schema, description }: Member): string | undefined {
  const notes = [description ?? schema.description];
  if (schema.format === "date-time") notes.push("RFC 3339 date-time");
  if (schema.type === "integer") notes.push("An integer");
  return notes.filter(Boolean).join(". ") || undefined;
}

function objectType(properties: Record<string, FieldSchema>, required: Set<string>, indent: string): string {
  const list = Object.entries(properties).map(([name, schema]) => ({
    name,
    schema,
    required: required.has(name),
  }));
  if (list.length === 0) return "{}";
  return ["{", ...members(list, indent), `${indent}}`].join("\n");
}

function usesJsonValue(fields: readonly HookField[]): boolean {
  const walk = (schema: FieldSchema): boolean =>
    (!schema.enum && schema.type === undefined) ||
    (schema.type === "array" && (!schema.items || walk(schema.items))) ||
    (schema.type === "object" && (!schema.properties || Object.values(schema.properties).some(walk)));
  return fields.some((field) => walk(field.schema));
}

/** The declarations of a hook's payload: `export interface <Name>Payload { … }`. */
export function hookTypeScript(
  hook: { name: string; verboseName?: string; description?: string },
  fields: readonly HookField[],
): string {
  const lines = [
    `// The payload of Durian's hook ${JSON.stringify(hook.name)}, as delivered (generated from its field types).`,
    "",
  ];
  if (usesJsonValue(fields)) lines.push(JSON_VALUE_DECLARATION, "");
  lines.push(...docComment(hook.description || hook.verboseName, ""));
  lines.push(`export interface ${payloadTypeName(hook.name)} {`, ...members(fields, ""), "}", "");
  return lines.join("\n");
}
