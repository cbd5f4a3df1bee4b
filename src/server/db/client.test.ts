import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { describe, expect, it, vi } from "vitest";
import { Prisma } from "@/generated/prisma/client";
import {
  createEmptyPostgresDatabase,
  dropPostgresDatabase,
  testDatabaseServerUrl,
} from "@/testing/databases";
import { createPrismaClient, MAX_PREPARED_STATEMENTS, plainQueryFor, preparedQueryFor } from "./client";

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

describe("prepared queries", () => {
  const serverUrl = testDatabaseServerUrl();

  it.skipIf(!serverUrl)(
    "run on PostgreSQL as statements prepared once per connection, with each call's values",
    async () => {
      const { url, name } = await createEmptyPostgresDatabase(serverUrl!);
      const db = createPrismaClient(url);
      // Prisma ends the pool on $disconnect only once it has connected.
      await db.$connect();
      try {
        const prepared = preparedQueryFor(db);
        for (const value of [1, 2, 3]) {
          // One at a time, so the pool hands the same idle connection back each time.
          expect(
            await prepared<{ doubled: number }>(Prisma.sql`SELECT ${value}::int * 2 AS doubled`),
          ).toEqual([{ doubled: value * 2 }]);
        }
        const statements = await plainQueryFor(db)<{ statement: string }>(
          Prisma.sql`SELECT statement FROM pg_prepared_statements`,
        );
        expect(statements).toEqual([{ statement: "SELECT $1::int * 2 AS doubled" }]);
      } finally {
        await db.$disconnect();
        await dropPostgresDatabase(serverUrl!, name);
      }
    },
  );

  it.skipIf(!serverUrl)(
    `run unprepared past ${MAX_PREPARED_STATEMENTS} distinct texts, and still answer`,
    async () => {
      const { url, name } = await createEmptyPostgresDatabase(serverUrl!);
      const db = createPrismaClient(url);
      await db.$connect();
      const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
      try {
        const prepared = preparedQueryFor(db);
        for (let index = 0; index <= MAX_PREPARED_STATEMENTS; index++) {
          expect(await prepared<{ n: number }>(Prisma.raw(`SELECT ${index}::int AS n`))).toEqual([
            { n: index },
          ]);
        }
        const [row] = await plainQueryFor(db)<{ count: number }>(
          Prisma.sql`SELECT count(*)::int AS count FROM pg_prepared_statements`,
        );
        expect(row?.count).toBe(MAX_PREPARED_STATEMENTS);
        expect(warn).toHaveBeenCalledTimes(1);
      } finally {
        warn.mockRestore();
        await db.$disconnect();
        await dropPostgresDatabase(serverUrl!, name);
      }
    },
  );

  it("go through the embedded database's own query on PGlite", async () => {
    const pglite = new PGlite();
    const db = createPrismaClient(pglite);
    try {
      expect(await preparedQueryFor(db)<{ one: number }>(Prisma.sql`SELECT ${1}::int AS one`)).toEqual([
        { one: 1 },
      ]);
    } finally {
      await db.$disconnect();
      await pglite.close();
    }
  });
});

describe("getBackgroundDb", () => {
  const serverUrl = testDatabaseServerUrl();

  /** A fresh copy of this module (and of the environment it read), with `variables` set. */
  async function clientModuleWith(variables: Record<string, string>) {
    for (const [name, value] of Object.entries(variables)) vi.stubEnv(name, value);
    vi.resetModules();
    return import("./client");
  }

  it.skipIf(!serverUrl)(
    "on PostgreSQL is a client of its own, on connections of its own to the same database, closed with getDb's",
    async () => {
      const { url, name } = await createEmptyPostgresDatabase(serverUrl!);
      const client = await clientModuleWith({ DATABASE_URL: url });
      try {
        const db = client.getDb();
        const background = client.getBackgroundDb();
        expect(background).not.toBe(db);
        expect(client.getBackgroundDb()).toBe(background);
        type Session = { database: string; pid: number };
        const session = (on: typeof db) =>
          on.$queryRaw<Session[]>`SELECT current_database() AS database, pg_backend_pid() AS pid`;
        const [served] = await session(db);
        const [working] = await session(background);
        expect([served!.database, working!.database]).toEqual([name, name]);
        expect(working!.pid).not.toBe(served!.pid);

        await client.closeDb();
        // Both pools are ended (a client that was never used would end its pool only when it idles).
        for (const closed of [db, background])
          await expect(client.plainQueryFor(closed)(Prisma.sql`SELECT 1`)).rejects.toThrow(/end on the pool/);
      } finally {
        await client.closeDb();
        vi.unstubAllEnvs();
        await dropPostgresDatabase(serverUrl!, name);
      }
    },
  );

  it("on the embedded database is getDb's client (it has one connection)", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "durian-background-db-"));
    const client = await clientModuleWith({ DATABASE_URL: "", DURIAN_DATA_DIR: dataDir });
    try {
      expect(client.getBackgroundDb()).toBe(client.getDb());
    } finally {
      await client.closeDb();
      vi.unstubAllEnvs();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
