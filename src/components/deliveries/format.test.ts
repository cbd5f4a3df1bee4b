import { describe, expect, it } from "vitest";
import { formatBytes, formatDuration, jsonPreview, prettyBody } from "./format";

describe("prettyBody", () => {
  it("indents JSON that parses", () => {
    expect(prettyBody('{"a":1,"b":[true]}')).toEqual({
      text: '{\n  "a": 1,\n  "b": [\n    true\n  ]\n}',
      json: true,
    });
  });

  it("leaves other text, and broken JSON, as received", () => {
    expect(prettyBody("ok")).toEqual({ text: "ok", json: false });
    expect(prettyBody('{"a":')).toEqual({ text: '{"a":', json: false });
  });
});

describe("formatting", () => {
  it("formats durations, sizes and previews", () => {
    expect(formatDuration(42)).toBe("42 ms");
    expect(formatDuration(1234)).toBe("1.23 s");
    expect(formatDuration(12_345)).toBe("12.3 s");
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(2048)).toBe("2.0 KB");
    expect(jsonPreview({ name: "x".repeat(200) }, 20)).toHaveLength(20);
  });
});
