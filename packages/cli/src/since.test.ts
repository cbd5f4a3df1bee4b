import { describe, expect, it } from "vitest";
import { parseSince } from "./tail";

describe("parseSince (durian tail --since)", () => {
  const now = new Date("2026-12-02T12:00:00Z");

  it("reads durations back from now", () => {
    expect(parseSince("90s", now)).toEqual(new Date("2026-12-02T11:58:30Z"));
    expect(parseSince("10m", now)).toEqual(new Date("2026-12-02T11:50:00Z"));
    expect(parseSince("2h", now)).toEqual(new Date("2026-12-02T10:00:00Z"));
    expect(parseSince("1d", now)).toEqual(new Date("2026-12-01T12:00:00Z"));
  });

  it("reads ISO times, those without an offset (a date alone too) as local time", () => {
    expect(parseSince("2026-12-02T10:00:00Z", now)).toEqual(new Date("2026-12-02T10:00:00Z"));
    expect(parseSince("2026-12-02T10:00:00+02:00", now)).toEqual(new Date("2026-12-02T08:00:00Z"));
    expect(parseSince("2026-12-02T10:00", now)).toEqual(new Date(2026, 11, 2, 10, 0));
    expect(parseSince("2026-12-02", now)).toEqual(new Date(2026, 11, 2));
  });

  it("refuses anything else", () => {
    for (const text of ["yesterday", "10", "10 m", "-5m", "2026-13-45", "2026-12-02T25:00"])
      expect(parseSince(text, now)).toBeNull();
  });
});
