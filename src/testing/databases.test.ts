import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { Prisma } from "@/generated/prisma/client";
import { readMigrations } from "@/server/db/migration-files";
import {
  createEmptyPostgresDatabase,
  createTestDatabase,
  dropPostgresDatabase,
  dropStaleTestDatabases,
  STALE_TEST_DATABASE_AGE_MS,
  staleTestDatabaseNames,
  testDatabaseServerUrl,
  type TestDatabase,
  type TestDatabaseKind,
} from "./databases";

const kinds: TestDatabaseKind[] = testDatabaseServerUrl() ? ["pglite", "postgres"] : ["pglite"];

/** PGlite is PostgreSQL in WebAssembly: seconds per database on a loaded machine. */
const DATABASE_TEST_TIMEOUT_MS = 120_000;

describe.each(kinds)("createTestDatabase (%s)", { timeout: DATABASE_TEST_TIMEOUT_MS }, (kind) => {
  const opened: TestDatabase[] = [];
  async function open(): Promise<TestDatabase> {
    const database = await createTestDatabase({ kind });
    opened.push(database);
    return database;
  }
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((database) => database.drop()));
  });

  it("returns a database with every migration applied", async () => {
    const { db, url, pglite } = await open();
    const rows = await db.$queryRaw<{ migration_name: string }[]>`
      SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name`;
    expect(rows.map((row) => row.migration_name)).toEqual(
      readMigrations().map((migration) => migration.name),
    );
    if (kind === "postgres") expect(url).toMatch(/\/durian_test_[0-9a-z]+_[0-9a-f]{8}$/);
    else expect(pglite).toBeDefined();
  });

  it("writes and reads back related rows", async () => {
    const { db } = await open();
    const user = await db.user.create({ data: { id: "u1", name: "Ada", email: "ada@example.test" } });
    await db.project.create({
      data: { name: "Default", members: { create: { userId: user.id, role: "owner" } } },
    });

    const projects = await db.project.findMany({ include: { members: { include: { user: true } } } });

    expect(projects).toHaveLength(1);
    expect(projects[0]?.name).toBe("Default");
    expect(projects[0]?.members.map((member) => [member.role, member.user.email])).toEqual([
      ["owner", "ada@example.test"],
    ]);
  });

  it("surfaces a unique-constraint violation as P2002", async () => {
    const { db } = await open();
    await db.user.create({ data: { id: "u1", name: "Ada", email: "same@example.test" } });

    const duplicate = db.user.create({ data: { id: "u2", name: "Bob", email: "same@example.test" } });

    await expect(duplicate).rejects.toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
    await expect(duplicate).rejects.toMatchObject({ code: "P2002" });
    expect(await db.user.count()).toBe(1);
  });

  it("gives every call a database of its own", async () => {
    const first = await open();
    const second = await open();
    await first.db.project.create({ data: { name: "only in the first" } });
    expect(await second.db.project.count()).toBe(0);
  });
});

describe("setDbForTesting", { timeout: DATABASE_TEST_TIMEOUT_MS }, () => {
  it("makes getDb() return the given client until closeDb()", async () => {
    const { getDb, setDbForTesting, closeDb } = await import("@/server/db/client");
    const database = await createTestDatabase({ kind: "pglite" });
    try {
      setDbForTesting(database.db);
      expect(getDb()).toBe(database.db);
      await closeDb();
      // closeDb() forgot the client without disconnecting it: it is still usable by its owner.
      expect(await database.db.project.count()).toBe(0);
    } finally {
      await database.drop();
    }
  });
});

describe("stale test databases", () => {
  it("are test databases created longer ago than the limit, and nothing else", () => {
    const now = Date.now();
    const name = (createdAt: number) => `durian_test_${createdAt.toString(36)}_0123abcd`;
    const old = name(now - STALE_TEST_DATABASE_AGE_MS - 1000);
    const young = name(now - 1000);

    expect(
      staleTestDatabaseNames([old, young, "durian_test_0123456789ab", "durian", "postgres"], now),
    ).toEqual([old]);
  });

  it.skipIf(!testDatabaseServerUrl())("are swept without touching a database in use", async () => {
    const serverUrl = testDatabaseServerUrl() ?? "";
    const database = await createEmptyPostgresDatabase(serverUrl);
    try {
      expect(await dropStaleTestDatabases(serverUrl)).not.toContain(database.name);
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      await client.end();
    } finally {
      await dropPostgresDatabase(serverUrl, database.name);
    }
  });
});
