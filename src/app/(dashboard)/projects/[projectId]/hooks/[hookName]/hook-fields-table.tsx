import { Download } from "lucide-react";
import {
  describeFieldType,
  normalizeHookField,
  type FieldSchema,
  type HookFieldInput,
} from "@/core/hook-fields";

interface FieldRow {
  path: string;
  schema: FieldSchema;
  required: boolean;
  description?: string;
  depth: number;
}

/** Each field, and the fields of typed objects under it (`address.city`), in declaration order. */
function fieldRows(providesArgs: readonly HookFieldInput[]): FieldRow[] {
  const rows: FieldRow[] = [];
  const visit = (
    path: string,
    schema: FieldSchema,
    required: boolean,
    depth: number,
    description?: string,
  ) => {
    rows.push({ path, schema, required, depth, description: description ?? schema.description });
    const nestedRequired = new Set(schema.required ?? []);
    for (const [name, property] of Object.entries(schema.properties ?? {}))
      visit(`${path}.${name}`, property, nestedRequired.has(name), depth + 1);
  };
  for (const field of providesArgs.map(normalizeHookField))
    visit(field.name, field.schema, field.required, 0, field.description);
  return rows;
}

function constraints(schema: FieldSchema): string {
  const parts: string[] = [];
  if (schema.minimum !== undefined) parts.push(`≥ ${schema.minimum}`);
  if (schema.maximum !== undefined) parts.push(`≤ ${schema.maximum}`);
  if (schema.minLength !== undefined) parts.push(`at least ${schema.minLength} characters`);
  if (schema.maxLength !== undefined) parts.push(`at most ${schema.maxLength} characters`);
  return parts.join(", ");
}

const downloadLinkClass =
  "inline-flex min-h-9 items-center gap-1.5 rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm font-medium text-zinc-800 hover:bg-zinc-50";

/** The hook page's fields with their types, and the payload's JSON Schema and TypeScript to download. */
export function HookFieldsTable({
  projectId,
  hookName,
  providesArgs,
}: {
  projectId: string;
  hookName: string;
  providesArgs: readonly HookFieldInput[];
}) {
  const rows = fieldRows(providesArgs);
  const api = `/api/v1/hooks/${encodeURIComponent(hookName)}`;
  const query = `?projectId=${encodeURIComponent(projectId)}`;
  return (
    <div className="space-y-3">
      {rows.length === 0 ? (
        <p className="text-zinc-600">no fields</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm" aria-label="Fields and their types">
            <thead className="text-xs text-zinc-600 uppercase">
              <tr>
                <th scope="col" className="py-1 pr-4 font-medium">
                  Field
                </th>
                <th scope="col" className="py-1 pr-4 font-medium">
                  Type
                </th>
                <th scope="col" className="py-1 font-medium">
                  Description
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.path} className="border-t border-zinc-100 align-top">
                  <th scope="row" className="py-1.5 pr-4 font-mono font-medium break-all text-zinc-900">
                    <span style={{ paddingLeft: `${row.depth}rem` }}>{row.path}</span>
                  </th>
                  <td className="py-1.5 pr-4 text-zinc-800">
                    {describeFieldType(row.schema)}
                    {constraints(row.schema) && (
                      <span className="text-zinc-600">, {constraints(row.schema)}</span>
                    )}{" "}
                    {row.required ? (
                      <span className="rounded bg-amber-100 px-1 text-xs text-amber-900">required</span>
                    ) : (
                      <span className="text-xs text-zinc-600">optional</span>
                    )}
                  </td>
                  <td className="py-1.5 text-zinc-700">{row.description}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="flex flex-wrap gap-2">
        <a href={`${api}/schema${query}`} download={`${hookName}.schema.json`} className={downloadLinkClass}>
          <Download aria-hidden className="size-4" />
          JSON Schema
        </a>
        <a href={`${api}/types${query}`} download={`${hookName}.ts`} className={downloadLinkClass}>
          <Download aria-hidden className="size-4" />
          TypeScript types
        </a>
      </div>
    </div>
  );
}
