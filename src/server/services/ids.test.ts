import { describe, expect, it } from "vitest";
import { newId } from "./ids";

describe("newId", () => {
  it("makes 25-character cuid-shaped ids that never repeat and grow with time", () => {
    const ids = Array.from({ length: 5000 }, () => newId());
    for (const id of ids.slice(0, 50)) expect(id).toMatch(/^c[0-9a-z]{24}$/);
    expect(new Set(ids).size).toBe(ids.length);
    const earlier = newId();
    const later = `c${(Date.now() + 1000).toString(36).padStart(8, "0")}`;
    expect(earlier < later).toBe(true);
  });
});
