// ModelHook against a REAL Prisma client generated from its own small schema
// (../test-fixtures/model-hook.prisma) into node_modules/.cache — outside the app's build inputs, and
// where the generated code still resolves @prisma/client — a real database created for this run — a throwaway database on the
// test PostgreSQL server when one is configured (TEST_DATABASE_URL or DATABASE_URL, as for the other
// tests), an in-memory PGlite otherwise — and a real HTTP server standing in for the Durian API.

import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { PrismaClient as ProjectPrismaClient } from "@/generated/prisma/client";
import {
  createEmptyPostgresDatabase,
  dropPostgresDatabase,
  testDatabaseServerUrl,
} from "@/testing/databases";
import { Durian, DurianApiError, Hook, ModelHook, ModelHookSendError, modelHook } from "./index";
import { startFakeDurianApi, type FakeDurianApi } from "../test-support/fake-durian-api";

const REPO_ROOT = path.resolve(import.meta.dirname, "../../..");
const SCHEMA = path.resolve(import.meta.dirname, "../test-fixtures/model-hook.prisma");
const GENERATED_CLIENTS = path.join(REPO_ROOT, "node_modules/.cache/durian-sdk-tests");

/** Generates the fixture's client into a fresh directory (the schema's output is relative to it). */
function generateModelHookClient(): { client: string; directory: string } {
  mkdirSync(GENERATED_CLIENTS, { recursive: true });
  const directory = mkdtempSync(path.join(GENERATED_CLIENTS, "model-hook-"));
  const schema = path.join(directory, "model-hook.prisma");
  copyFileSync(SCHEMA, schema);
  execFileSync(path.join(REPO_ROOT, "node_modules/.bin/prisma"), ["generate", "--schema", schema], {
    cwd: REPO_ROOT,
    stdio: "pipe",
  });
  return { client: path.join(directory, "generated/model-hook-client/client.ts"), directory };
}

const CREATE_TABLES = `
  CREATE TYPE "Role" AS ENUM ('member', 'admin');
  CREATE TABLE "Person" (
    "id" SERIAL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'member',
    "visits" BIGINT NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
  );
  CREATE TABLE "Post" (
    "id" SERIAL PRIMARY KEY,
    "title" TEXT NOT NULL,
    "authorId" INTEGER NOT NULL REFERENCES "Person"("id")
  );`;

// The generated client is imported at run time (it does not exist before the test generates it), so
// its precise types are not visible here; the type check at the bottom uses the project's client.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyPrismaClient = any;

let api: FakeDurianApi;
let durian: Durian;
let base: AnyPrismaClient;
let closeDatabase: () => Promise<void>;
let generatedDirectory: string | undefined;

async function openDatabase(PrismaClient: new (options: { adapter: unknown }) => AnyPrismaClient) {
  const serverUrl = testDatabaseServerUrl();
  if (!serverUrl) {
    const pglite = new PGlite();
    await pglite.exec(CREATE_TABLES);
    const client = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
    const close = async () => {
      await client.$disconnect();
      await pglite.close();
    };
    return { client, close };
  }
  const { url, name } = await createEmptyPostgresDatabase(serverUrl);
  const setup = new pg.Client({ connectionString: url });
  await setup.connect();
  await setup.query(CREATE_TABLES).finally(() => setup.end());
  const client = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
  const close = async () => {
    await client.$disconnect();
    await dropPostgresDatabase(serverUrl, name);
  };
  return { client, close };
}

beforeAll(async () => {
  const generated = generateModelHookClient();
  generatedDirectory = generated.directory;
  const { PrismaClient } = (await import(pathToFileURL(generated.client).href)) as {
    PrismaClient: new (options: { adapter: unknown }) => AnyPrismaClient;
  };
  const database = await openDatabase(PrismaClient);
  base = database.client;
  closeDatabase = database.close;
  api = await startFakeDurianApi();
});

afterAll(async () => {
  await closeDatabase?.();
  await api?.close();
  if (generatedDirectory) rmSync(generatedDirectory, { recursive: true, force: true });
});

beforeEach(async () => {
  await base.$executeRawUnsafe(`TRUNCATE "Post", "Person" RESTART IDENTITY`);
  api.requests.length = 0;
  api.hooks.clear();
  durian = new Durian({ url: api.url, apiKey: api.apiKey });
});
afterEach(() => durian.hooks.clear());

const events = () => api.requests.filter((request) => request.path.endsWith("/events"));

async function extendedClient(
  options: Omit<Parameters<typeof modelHook>[0], "durian"> = { model: "Person" },
) {
  const prisma = base.$extends(modelHook({ durian, ...options }));
  await durian.hooks.sync();
  api.requests.length = 0;
  return prisma;
}

describe("modelHook", () => {
  it("defaults providesArgs to the model's value fields minus its id, read from the Prisma client", async () => {
    await extendedClient();
    const hook = durian.hooks.get("person");
    expect(hook).toBeInstanceOf(ModelHook);
    expect(hook?.providesArgs).toEqual(["name", "address", "secret", "role", "visits", "createdAt"]);
    expect(api.hooks.get("person")).toMatchObject({
      kind: "model",
      providesArgs: ["name", "address", "secret", "role", "visits", "createdAt"],
    });
  });

  it("sends the created record, as JSON, with the model as sender", async () => {
    const prisma = await extendedClient();
    const person = await prisma.person.create({
      data: {
        name: "George Constanza",
        address: "New York City",
        secret: "bosco",
        visits: 9007199254740993n,
      },
    });

    const [request] = events();
    expect(request).toMatchObject({ method: "POST", path: "/api/v1/hooks/person/events" });
    expect(request?.body).toEqual({
      payload: {
        name: "George Constanza",
        address: "New York City",
        secret: "bosco",
        role: "member",
        visits: "9007199254740993",
        createdAt: (person.createdAt as Date).toISOString(),
      },
      sender: "Person",
      version: 1,
    });
    // The query's own result is untouched.
    expect(typeof person.visits).toBe("bigint");
  });

  it("sends only the providesArgs it was given (durian's example), never the secret", async () => {
    const prisma = await extendedClient({
      model: "Person",
      hook: "person.saved",
      providesArgs: ["name", "address"],
    });
    await prisma.person.create({ data: { name: "Joe", address: "Queens", secret: "hunter2" } });
    expect(events()[0]?.path).toBe("/api/v1/hooks/person.saved/events");
    expect(events()[0]?.body).toEqual({
      payload: { name: "Joe", address: "Queens" },
      sender: "Person",
      version: 1,
    });
    expect(events()[0]?.rawBody).not.toContain("hunter2");
  });

  it("passes each record through the preparePayload option before projecting it", async () => {
    const prisma = await extendedClient({
      model: "Person",
      providesArgs: ["name", "visitor"],
      preparePayload: (sender, record) => ({ ...record, visitor: `${sender}:${String(record.visits)}` }),
    });
    await prisma.person.create({ data: { name: "Joe", address: "Queens", secret: "hunter2", visits: 3n } });
    expect(events()[0]?.body).toEqual({
      payload: { name: "Joe", visitor: "Person:3" },
      sender: "Person",
      version: 1,
    });
  });

  it("sends after update, upsert and createManyAndReturn; not after reads, counts-only writes or delete", async () => {
    const prisma = await extendedClient({ model: "Person", providesArgs: ["name"] });
    const joe = await prisma.person.create({ data: { name: "Joe", address: "a", secret: "s" } });
    await prisma.person.update({ where: { id: joe.id }, data: { name: "Joseph" } });
    await prisma.person.upsert({
      where: { id: 999 },
      create: { name: "Upserted", address: "b", secret: "s" },
      update: {},
    });
    await prisma.person.createManyAndReturn({
      data: [
        { name: "Many 1", address: "c", secret: "s" },
        { name: "Many 2", address: "d", secret: "s" },
      ],
    });
    await prisma.person.findMany();
    await prisma.person.createMany({ data: [{ name: "Counted", address: "e", secret: "s" }] });
    await prisma.person.updateMany({ data: { address: "z" } });
    await prisma.person.delete({ where: { id: joe.id } });

    expect(events().map((request) => (request.body as { payload: { name: string } }).payload.name)).toEqual([
      "Joe",
      "Joseph",
      "Upserted",
      "Many 1",
      "Many 2",
    ]);
    expect(await base.person.count()).toBe(4);
  });

  it("sends the deleted record when onDelete is set", async () => {
    const prisma = await extendedClient({ model: "Person", providesArgs: ["name"], onDelete: true });
    const joe = await prisma.person.create({ data: { name: "Joe", address: "a", secret: "s" } });
    await prisma.person.delete({ where: { id: joe.id } });
    expect(events().map((request) => request.body)).toEqual([
      { payload: { name: "Joe" }, sender: "Person", version: 1 },
      { payload: { name: "Joe" }, sender: "Person", version: 1 },
    ]);
  });

  it("leaves other models alone", async () => {
    const prisma = await extendedClient({ model: "Person", providesArgs: ["name"] });
    const joe = await prisma.person.create({ data: { name: "Joe", address: "a", secret: "s" } });
    await prisma.post.create({ data: { title: "Hello", authorId: joe.id } });
    expect(events()).toHaveLength(1);
  });

  it("sends only the provided fields a select returned", async () => {
    const prisma = await extendedClient({ model: "Person", providesArgs: ["name", "address"] });
    const created = await prisma.person.create({
      data: { name: "Joe", address: "a", secret: "s" },
      select: { id: true, name: true },
    });
    expect(created).toEqual({ id: 1, name: "Joe" });
    expect(events()[0]?.body).toEqual({ payload: { name: "Joe" }, sender: "Person", version: 1 });
  });

  it("sends through an existing Hook and sender of the app's choosing", async () => {
    const hook = new Hook({ name: "people", providesArgs: ["name"] });
    const prisma = await extendedClient({ model: "Person", hook, sender: "crm" });
    expect(durian.hooks.get("people")).toBe(hook);
    await prisma.person.create({ data: { name: "Joe", address: "a", secret: "s" } });
    expect(events()[0]?.body).toEqual({ payload: { name: "Joe" }, sender: "crm", version: 1 });
  });

  it("reuses its hook when the extension is applied to a second client", async () => {
    const extension = modelHook({ durian, model: "Person", providesArgs: ["name"] });
    base.$extends(extension);
    const second = base.$extends(extension);
    expect(durian.hooks.size).toBe(1);
    await durian.hooks.sync();
    await second.person.create({ data: { name: "Joe", address: "a", secret: "s" } });
    expect(events()).toHaveLength(1);
  });

  it("throws ModelHookSendError after the write when the event cannot be sent", async () => {
    const prisma = await extendedClient({ model: "Person", providesArgs: ["name"] });
    api.respondNext({
      status: 503,
      headers: { "content-type": "application/problem+json" },
      body: { title: "Unavailable", status: 503, detail: "down" },
    });
    const error = await prisma.person
      .create({ data: { name: "Joe", address: "a", secret: "s" } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelHookSendError);
    expect((error as ModelHookSendError).record).toMatchObject({ name: "Joe" });
    expect((error as ModelHookSendError).cause).toBeInstanceOf(DurianApiError);
    expect(await base.person.count()).toBe(1);
  });

  it("hands send failures to onSendError instead, and the query resolves", async () => {
    const failures: ModelHookSendError[] = [];
    const prisma = await extendedClient({
      model: "Person",
      providesArgs: ["name"],
      onSendError: (error) => failures.push(error),
    });
    api.respondNext({ status: 500, body: "boom" });
    const joe = await prisma.person.create({ data: { name: "Joe", address: "a", secret: "s" } });
    expect(joe.name).toBe("Joe");
    expect(failures).toHaveLength(1);
    expect(failures[0]?.hookName).toBe("person");
  });

  it("names the models it knows when the model is not in the client", () => {
    expect(() => base.$extends(modelHook({ durian, model: "Persn" }))).toThrow(
      'the Prisma client has no model "Persn" (models: Person, Post)',
    );
  });
});

// Compile-time only: with a generated client's real types, the extended client keeps its typed delegates.
export function extendedClientKeepsItsTypes(prisma: ProjectPrismaClient, client: Durian) {
  const extended = prisma.$extends(modelHook({ durian: client, model: "Hook" }));
  const hooks: Promise<{ name: string }[]> = extended.hook.findMany();
  return hooks;
}
