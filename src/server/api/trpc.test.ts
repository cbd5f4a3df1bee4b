import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDbForTesting } from "@/server/db/client";
import { createTestDatabase, type TestDatabase } from "@/testing/databases";
import { createCaller } from "./root";

let database: TestDatabase;
const user = { id: "origin-user", email: "origin@example.test", name: "Origin" };

beforeAll(async () => {
  database = await createTestDatabase();
  setDbForTesting(database.db);
  await database.db.user.create({ data: user });
});
afterAll(async () => {
  setDbForTesting(undefined);
  await database?.drop();
});

function callerFrom(origin: string | null) {
  const headers = new Headers(origin === null ? {} : { origin });
  return createCaller({ headers, user });
}

describe("dashboard procedures", () => {
  it("refuse a signed-in write that does not come from the app's own pages", async () => {
    for (const origin of [null, "https://evil.example"]) {
      await expect(callerFrom(origin).project.create({ name: "Forged" })).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
    }
    expect(await database.db.project.count({ where: { name: "Forged" } })).toBe(0);
  });

  it("accept the same write from the app's origin, and reads from anywhere", async () => {
    const project = await callerFrom("http://localhost:3000").project.create({ name: "Genuine" });
    expect(project.name).toBe("Genuine");
    const listed = await callerFrom(null).project.list();
    expect(listed.map((p) => p.id)).toContain(project.id);
  });

  it("refuse everything without a session", async () => {
    await expect(
      createCaller({ headers: new Headers({ origin: "http://localhost:3000" }), user: null }).project.list(),
    ).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});
