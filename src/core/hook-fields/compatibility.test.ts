import { describe, expect, it } from "vitest";
import { fieldChanges, isBreakingChange } from "./compatibility";
import { type HookFieldInput, normalizeHookField } from "./field-spec";

const fields = (...inputs: HookFieldInput[]) => inputs.map(normalizeHookField);

const address = (properties: Record<string, object>, required: string[] = []) => ({
  name: "address",
  schema: { type: "object" as const, properties, required },
});

// Each row: the fields before, after, whether that needs a new version, and what the difference says.
const cases: [string, HookFieldInput[], HookFieldInput[], boolean, string[]][] = [
  ["nothing changes", ["name"], ["name"], false, []],
  ["fields are reordered", ["name", "age"], ["age", "name"], false, []],
  ["an optional field is added", ["name"], ["name", "age"], false, ["age: added, optional"]],
  [
    "a required field is added",
    ["name"],
    ["name", { name: "age", required: true }],
    true,
    ["age: added, required"],
  ],
  ["a field is removed", ["name", "age"], ["name"], true, ["age: removed"]],
  [
    "a field's type changes",
    [{ name: "age", schema: { type: "string" } }],
    [{ name: "age", schema: { type: "integer" } }],
    true,
    ["age: type: string → integer"],
  ],
  [
    "an untyped field gets a type",
    ["age"],
    [{ name: "age", schema: { type: "number" } }],
    true,
    ["age: type: none → number"],
  ],
  [
    "an optional field becomes required",
    ["name"],
    [{ name: "name", required: true }],
    true,
    ["name: optional → required"],
  ],
  [
    "a required field becomes optional",
    [{ name: "name", required: true }],
    ["name"],
    true,
    ["name: required → optional"],
  ],
  [
    "an enum is narrowed",
    [{ name: "plan", schema: { enum: ["free", "pro"] } }],
    [{ name: "plan", schema: { enum: ["pro"] } }],
    true,
    ['plan: enum without "free"'],
  ],
  [
    "an enum is widened",
    [{ name: "plan", schema: { enum: ["free", "pro"] } }],
    [{ name: "plan", schema: { enum: ["free", "pro", "team"] } }],
    true,
    ['plan: enum with "team"'],
  ],
  [
    "an enum's values are reordered",
    [{ name: "plan", schema: { enum: ["free", "pro"] } }],
    [{ name: "plan", schema: { enum: ["pro", "free"] } }],
    false,
    [],
  ],
  [
    "a bound changes",
    [{ name: "age", schema: { type: "integer", maximum: 150 } }],
    [{ name: "age", schema: { type: "integer", maximum: 200 } }],
    true,
    ["age: maximum: 150 → 200"],
  ],
  [
    "a timestamp becomes a plain string",
    [{ name: "at", schema: { type: "string", format: "date-time" } }],
    [{ name: "at", schema: { type: "string" } }],
    true,
    ["at: format: date-time → none"],
  ],
  [
    "a description is reworded",
    [{ name: "age", schema: { type: "integer" }, description: "years" }],
    [{ name: "age", schema: { type: "integer" }, description: "whole years" }],
    false,
    ["age: description reworded"],
  ],
  [
    "an optional nested property is added",
    [address({ city: { type: "string" } })],
    [address({ city: { type: "string" }, zip: { type: "string" } })],
    false,
    ["address.zip: added, optional"],
  ],
  [
    "a required nested property is added",
    [address({ city: { type: "string" } })],
    [address({ city: { type: "string" }, zip: { type: "string" } }, ["zip"])],
    true,
    ["address.zip: added, required"],
  ],
  [
    "a nested property is removed",
    [address({ city: { type: "string" }, zip: { type: "string" } })],
    [address({ city: { type: "string" } })],
    true,
    ["address.zip: removed"],
  ],
  [
    "a nested property's type changes",
    [address({ zip: { type: "string" } })],
    [address({ zip: { type: "integer" } })],
    true,
    ["address.zip: type: string → integer"],
  ],
  [
    "a nested property becomes required",
    [address({ zip: { type: "string" } })],
    [address({ zip: { type: "string" } }, ["zip"])],
    true,
    ["address.zip: optional → required"],
  ],
  [
    "an array's item type changes",
    [{ name: "tags", schema: { type: "array", items: { type: "string" } } }],
    [{ name: "tags", schema: { type: "array", items: { type: "integer" } } }],
    true,
    ["tags[]: type: string → integer"],
  ],
  [
    "an optional property is added to an array's objects",
    [{ name: "lines", schema: { type: "array", items: { type: "object", properties: {} } } }],
    [
      {
        name: "lines",
        schema: { type: "array", items: { type: "object", properties: { sku: { type: "string" } } } },
      },
    ],
    false,
    ["lines[].sku: added, optional"],
  ],
];

describe("hook field compatibility", () => {
  it.each(cases)("%s", (_, before, after, breaking, described) => {
    const changes = fieldChanges(fields(...before), fields(...after));
    expect(changes.map((change) => `${change.path}: ${change.detail}`)).toEqual(described);
    expect(isBreakingChange(fields(...before), fields(...after))).toBe(breaking);
  });
});
