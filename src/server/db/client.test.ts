import { PGlite } from "@electric-sql/pglite";
import { describe, expect, it, vi } from "vitest";

describe("plainQueryFor", () => {
  it("finds a client's plain queries from another copy of the module, as Next's route bundles have", async () => {
    const opening = await import("./client");
    vi.resetModules();
    const another = await import("./client");
    expect(another.plainQueryFor).not.toBe(opening.plainQueryFor);

    const pglite = new PGlite();
    const db = opening.createPrismaClient(pglite);
    try {
      // Without the registration, each call would make a new Prisma fallback.
      expect(another.plainQueryFor(db)).toBe(opening.plainQueryFor(db));
      const { Prisma } = await import("@/generated/prisma/client");
      expect(await another.plainQueryFor(db)<{ one: number }>(Prisma.sql`SELECT 1 AS one`)).toEqual([
        { one: 1 },
      ]);
    } finally {
      await db.$disconnect();
      await pglite.close();
    }
  });
});
