import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDbForTesting } from "@/server/db/client";
import { createTestDatabase, type TestDatabase } from "@/testing/databases";
import { ValidationError } from "@/server/services/errors";
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

describe("procedure inputs", () => {
  it("are refused by the contracts' schemas, each bad field named as the REST API names it", async () => {
    const caller = callerFrom("http://localhost:3000");
    const { id: projectId } = await caller.project.create({ name: "Validated" });
    const refusal = async (call: Promise<unknown>) => {
      const error = await call.then(
        () => null,
        (caught: unknown) => caught as { code?: string; cause?: unknown },
      );
      expect(error?.code).toBe("BAD_REQUEST");
      expect(error?.cause).toBeInstanceOf(ValidationError);
      return (error!.cause as ValidationError).fieldErrors.map((fieldError) => fieldError.path);
    };

    expect(
      await refusal(caller.delivery.changes({ projectId, since: "yesterday", changedSince: new Date() })),
    ).toEqual(["since"]);
    expect(
      await refusal(
        caller.listener.create({ projectId, hook: "person", url: "", filter: { name: { $nope: 1 } } }),
      ),
    ).toEqual(["url", "filter.name.$nope"]);
  });
});
