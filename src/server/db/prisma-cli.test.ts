import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { applyMigrations } from "./migrate";
import { readMigrations } from "./migration-files";
import {
  createEmptyPostgresDatabase,
  dropPostgresDatabase,
  testDatabaseServerUrl,
} from "@/testing/databases";

/**
 * The stock Prisma CLI, running the WebAssembly stand-in for its native engine
 * (scripts/prisma-schema-engine.mjs), must read and write the same migration history as
 * applyMigrations: this is what lets a user with internet access switch to the native engine, and it
 * fails loudly when a Prisma upgrade changes the CLI's undocumented engine protocol.
 */

const PRISMA_CLI = path.resolve("node_modules/prisma/build/index.js");
/** Every CLI run starts Node, the CLI and the WebAssembly engine: seconds each on a loaded machine. */
const CLI_TEST_TIMEOUT_MS = 180_000;

interface CliResult {
  exitCode: number;
  output: string;
}

async function prisma(args: string[], databaseUrl: string): Promise<CliResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [PRISMA_CLI, ...args], {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        CHECKPOINT_DISABLE: "1",
        PRISMA_HIDE_UPDATE_MESSAGE: "1",
      },
      encoding: "utf8",
    });
    return { exitCode: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return {
      exitCode: typeof failed.code === "number" ? failed.code : -1,
      output: `${failed.stdout}${failed.stderr}`,
    };
  }
}

const serverUrl = testDatabaseServerUrl();

describe.skipIf(!serverUrl)(
  "prisma CLI with the WebAssembly engine, on PostgreSQL",
  { timeout: CLI_TEST_TIMEOUT_MS },
  () => {
    async function withEmptyDatabase(work: (url: string) => Promise<void>): Promise<void> {
      const { url, name } = await createEmptyPostgresDatabase(serverUrl ?? "");
      try {
        await work(url);
      } finally {
        await dropPostgresDatabase(serverUrl ?? "", name);
      }
    }

    it("prisma migrate status sees pending migrations, then accepts the history applyMigrations wrote", async () => {
      await withEmptyDatabase(async (url) => {
        const names = readMigrations().map((migration) => migration.name);

        const before = await prisma(["migrate", "status"], url);
        expect(before.exitCode, before.output).toBe(1);
        expect(before.output).toContain("Following migrations have not yet been applied");
        for (const name of names) expect(before.output).toContain(name);

        await applyMigrations(url);

        const after = await prisma(["migrate", "status"], url);
        expect(after.exitCode, after.output).toBe(0);
        expect(after.output).toContain(`${names.length} migration${names.length === 1 ? "" : "s"} found`);
        expect(after.output).toContain("Database schema is up to date!");
      });
    });

    it("prisma migrate deploy writes a history applyMigrations accepts as current", async () => {
      await withEmptyDatabase(async (url) => {
        const deploy = await prisma(["migrate", "deploy"], url);
        expect(deploy.exitCode, deploy.output).toBe(0);
        expect(deploy.output).toContain("All migrations have been successfully applied");

        expect((await applyMigrations(url)).applied).toEqual([]);
      });
    });
  },
);
