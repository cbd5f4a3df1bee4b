import { describe, expect, it } from "vitest";
import {
  type ConfigOption,
  configFormSchema,
  configHeaderValue,
  configProblems,
  effectiveConfig,
} from "./config-form";

const options: ConfigOption[] = configFormSchema.parse([
  { name: "format", schema: { enum: ["json", "xml"] }, default: "json" },
  { name: "include_address", schema: { type: "boolean" }, default: false },
  { name: "batch", schema: { type: "integer", minimum: 1, maximum: 100 } },
  { name: "team", schema: { type: "string" }, required: true },
]);

describe("config forms", () => {
  it("accepts scalar options only, with defaults of their type, each named once", () => {
    const refused = configFormSchema.safeParse([
      { name: "address", schema: { type: "object", properties: {} } },
      { name: "format", schema: { enum: ["json"] }, default: "xml" },
      { name: "format", schema: { type: "string" } },
    ]);
    expect(refused.error?.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`)).toEqual([
      '0.schema: an option is a "string", "number", "integer" or "boolean", or has an "enum"',
      '1.default: must be one of "json"',
      '2.name: repeats "format"',
    ]);
  });

  it("names each unknown, mistyped or missing option", () => {
    expect(configProblems(options, { format: "csv", batch: 1.5, colour: "red" })).toEqual([
      { path: ["format"], message: 'must be one of "json", "xml"' },
      { path: ["batch"], message: "must be an integer, got number 1.5" },
      {
        path: ["colour"],
        message: 'the hook has no option "colour" (it offers format, include_address, batch, team)',
      },
      { path: ["team"], message: "is required" },
    ]);
    expect(configProblems(options, { team: "ops", batch: 100, include_address: true })).toEqual([]);
  });

  it("delivers today's options: the listener's values, else the defaults", () => {
    expect(effectiveConfig(options, { team: "ops", gone: "x" })).toEqual({
      format: "json",
      include_address: false,
      team: "ops",
    });
  });

  it("writes the header as ASCII JSON that parses back to the same config", () => {
    const config = { team: "équipe 😀", note: 'say "hi"\n' };
    const header = configHeaderValue(config);
    expect(header).toMatch(/^[\x20-\x7e]+$/);
    expect(JSON.parse(header)).toEqual(config);
  });
});
