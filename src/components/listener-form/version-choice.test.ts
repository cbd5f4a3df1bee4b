import { describe, expect, it } from "vitest";
import { normalizeHookField } from "@/core/hook-fields";
import { emptyRows, type FilterRow } from "./filter-rows";
import { listenerFormSchema } from "./form-schema";
import { filterForFields, versionLabel } from "./version-choice";

// An order hook whose version 2 dropped `email`, added `currency` and made `total` an integer.
const VERSION_1 = ["id", { name: "total", schema: { type: "string" as const } }, "email"].map(
  normalizeHookField,
);
const VERSION_2 = ["id", { name: "total", schema: { type: "integer" as const } }, "currency"].map(
  normalizeHookField,
);

function rowsOf(fields: typeof VERSION_1, conditions: Record<string, [FilterRow["operator"], string]>) {
  return emptyRows(fields).map((row) => {
    const condition = conditions[row.field];
    return condition ? { ...row, operator: condition[0], value: condition[1] } : row;
  });
}

describe("versionLabel", () => {
  it("says the number, and which version is the latest", () => {
    expect(versionLabel(2, 2)).toBe("Version 2 (latest)");
    expect(versionLabel(1, 2)).toBe("Version 1");
  });
});

describe("filterForFields", () => {
  it("gives one row per field of the chosen version, keeping conditions on the fields both have", () => {
    const chosen = filterForFields(
      { filterMode: "fields", rows: rowsOf(VERSION_2, { id: ["$startswith", "ord_"] }), filterJson: "" },
      VERSION_2,
      VERSION_1,
    );
    expect(chosen).toEqual({
      filterMode: "fields",
      rows: [
        { field: "id", operator: "$startswith", value: "ord_" },
        { field: "total", operator: "$any", value: "" },
        { field: "email", operator: "$any", value: "" },
      ],
      filterJson: "",
    });
  });

  it("shows a condition on a field the chosen version lacks as JSON, which the form refuses naming the field", () => {
    const chosen = filterForFields(
      {
        filterMode: "fields",
        rows: rowsOf(VERSION_1, { email: ["$contains", "@vandelay"] }),
        filterJson: "",
      },
      VERSION_1,
      VERSION_2,
    );
    expect(chosen).toEqual({
      filterMode: "json",
      rows: emptyRows(VERSION_2),
      filterJson: JSON.stringify({ email: { $contains: "@vandelay" } }, null, 2),
    });
    const checked = listenerFormSchema(VERSION_2).safeParse({
      ...chosen,
      name: "",
      url: "https://example.com/orders",
      description: "",
      headers: [],
      envelope: false,
      selfHealing: false,
      config: [],
    });
    expect(checked.error?.issues).toEqual([
      expect.objectContaining({
        path: ["filterJson"],
        message: expect.stringMatching(/^email: the hook does not provide "email"/),
      }),
    ]);
  });

  it("shows a condition its field's new type cannot hold as JSON", () => {
    const chosen = filterForFields(
      { filterMode: "fields", rows: rowsOf(VERSION_1, { total: ["$startswith", "4"] }), filterJson: "" },
      VERSION_1,
      VERSION_2,
    );
    expect(chosen.filterMode).toBe("json");
    expect(JSON.parse(chosen.filterJson)).toEqual({ total: { $startswith: "4" } });
  });

  it("keeps a filter edited as JSON as typed, with rows of the chosen version's fields", () => {
    const typed = '{"email": {"$exists": true}}';
    expect(
      filterForFields({ filterMode: "json", rows: [], filterJson: typed }, VERSION_1, VERSION_2),
    ).toEqual({
      filterMode: "json",
      rows: emptyRows(VERSION_2),
      filterJson: typed,
    });
  });
});
