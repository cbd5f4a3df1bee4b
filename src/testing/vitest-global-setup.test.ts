import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

describe("the test environment (vitest-global-setup)", () => {
  it("points the data directory at a temporary one, never the project's .data", () => {
    const dataDir = path.resolve(process.env.DURIAN_DATA_DIR ?? ".data");
    expect(dataDir.startsWith(path.join(os.tmpdir(), "durian-test-data-"))).toBe(true);
  });

  it("leaves no DATABASE_URL for code that would open the process-wide database", () => {
    expect(process.env.DATABASE_URL).toBeUndefined();
  });
});
