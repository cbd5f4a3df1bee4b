import { describe, expect, it } from "vitest";
import { configFormSchema } from "@/core/hook-fields";
import { configFromInputs, initialConfigInputs } from "./config-values";

const options = configFormSchema.parse([
  { name: "format", schema: { enum: ["json", "xml"] }, default: "json" },
  { name: "include.address", schema: { type: "boolean" }, default: true },
  { name: "batch", schema: { type: "integer" } },
  { name: "level", schema: { enum: [1, 2] } },
]);

describe("config inputs", () => {
  it("start from the stored config, with checkboxes at their default and other inputs empty", () => {
    expect(initialConfigInputs(options)).toEqual([
      { value: "" },
      { value: true },
      { value: "" },
      { value: "" },
    ]);
    expect(initialConfigInputs(options, { format: "xml", batch: 5, "include.address": false })).toEqual([
      { value: "xml" },
      { value: false },
      { value: "5" },
      { value: "" },
    ]);
  });

  it("save each input as its option's type, leaving empty ones to their defaults", () => {
    expect(
      configFromInputs(options, [{ value: "" }, { value: false }, { value: "12" }, { value: "2" }]),
    ).toEqual({ "include.address": false, batch: 12, level: 2 });
    expect(
      configFromInputs(options, [{ value: "xml" }, { value: true }, { value: "twelve" }, { value: "" }]),
    ).toEqual({
      format: "xml",
      "include.address": true,
      batch: "twelve",
    });
  });
});
