import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import { afterEach, describe, expect, it } from "vitest";
import { applyMigrations } from "./migrate";
import { DEFAULT_MIGRATIONS_DIR, DEFAULT_SCHEMA_PATH } from "./migration-files";
import { createMigration, diffSchemaAgainstMigrations } from "./new-migration";

const scratchDirs: string[] = [];
function scratchDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "durian-new-migration-"));
  scratchDirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of scratchDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Each diff starts an in-memory PGlite (initdb, seconds on a loaded machine). */
const PGLITE_TEST_TIMEOUT_MS = 120_000;

describe("new migrations", () => {
  it(
    "finds the committed migrations in step with prisma/schema.prisma",
    async () => {
      // Fails when the schema changed without `npm run db:migration:new -- <name>`.
      expect(await diffSchemaAgainstMigrations()).toBeNull();
    },
    PGLITE_TEST_TIMEOUT_MS,
  );

  it(
    "writes a migration for a schema change, which then applies and leaves nothing to diff",
    async () => {
      const dir = scratchDir();
      const migrationsDir = path.join(dir, "migrations");
      cpSync(DEFAULT_MIGRATIONS_DIR, migrationsDir, { recursive: true });
      const schemaPath = path.join(dir, "schema.prisma");
      writeFileSync(
        schemaPath,
        `${readFileSync(DEFAULT_SCHEMA_PATH, "utf8")}\nmodel Extra {\n  id    String @id\n  label String @unique\n}\n`,
      );

      const created = await createMigration("Add extra table", { migrationsDir, schemaPath });

      expect(created?.name).toMatch(/^\d{14}_add_extra_table$/);
      const sql = readFileSync(created?.file ?? "", "utf8");
      expect(sql).toContain('CREATE TABLE "Extra"');
      expect(sql).toContain('CREATE UNIQUE INDEX "Extra_label_key"');
      expect(sql).not.toContain('CREATE TABLE "Project"');
      expect(await createMigration("again", { migrationsDir, schemaPath })).toBeNull();

      const pglite = new PGlite();
      try {
        const { applied } = await applyMigrations(pglite, { migrationsDir });
        expect(applied.at(-1)).toBe(created?.name);
        expect((await pglite.query(`SELECT count(*)::int AS n FROM "Extra"`)).rows).toEqual([{ n: 0 }]);
      } finally {
        await pglite.close();
      }
    },
    PGLITE_TEST_TIMEOUT_MS,
  );

  it("rejects a name without letters or digits", async () => {
    await expect(createMigration(" -- ", { migrationsDir: scratchDir() })).rejects.toThrow(
      /Migration name " -- " must contain letters or digits/,
    );
  });

  it(
    "npm run db:migration:new reports no changes and writes nothing",
    async () => {
      const before = readdirSync(DEFAULT_MIGRATIONS_DIR);
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [path.resolve("node_modules/tsx/dist/cli.mjs"), "scripts/new-migration.ts", "nothing_to_do"],
        { encoding: "utf8" },
      );
      expect(stdout).toMatch(/^No changes/);
      expect(readdirSync(DEFAULT_MIGRATIONS_DIR)).toEqual(before);
    },
    PGLITE_TEST_TIMEOUT_MS,
  );
});
