import { describe, expect, it } from "vitest";
import { newRecordId } from "./record-id";

describe("newRecordId", () => {
  it("makes distinct cuid-shaped ids, past any refill of its random bytes", () => {
    const ids = Array.from({ length: 5_000 }, () => newRecordId());
    for (const id of ids) expect(id).toMatch(/^c[0-9a-z]{24}$/);
    expect(new Set(ids).size).toBe(ids.length);
    // The random part differs between neighbours, not just the counter.
    expect(new Set(ids.map((id) => id.slice(-12))).size).toBe(ids.length);
  });
});
