import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listenerIndexKey } from "@/core/filter";
import type { PrismaClient } from "@/generated/prisma/client";
import { createTestDatabase, type TestDatabase } from "@/testing/databases";
import { RecordingRunner } from "@/testing/api-harness";
import { sendEvent } from "./events/send-event";
import { hookDefinitionSchema } from "@/contracts/hooks";
import { putHook } from "./hooks";
import { FAN_OUT_PAGE_SIZE } from "@/server/fan-out/fan-outs";

// Every change below is written straight to the database, as another server (or the delivery runner
// disabling a failing listener) would: no in-process forgetting can explain what the next event sees.

let database: TestDatabase;
let db: PrismaClient;
let projectId: string;
const runner = new RecordingRunner(() => db);

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  projectId = (await db.project.create({ data: { name: "plans" } })).id;
});
afterAll(() => database?.drop());

async function newHook(name: string, providesArgs = ["name"]): Promise<string> {
  return (await putHook(projectId, name, hookDefinitionSchema.parse({ providesArgs }), db)).hook.id;
}

async function addListener(hookId: string, label: string, filter: object = {}): Promise<string> {
  const listener = await db.listener.create({
    data: {
      projectId,
      hookId,
      url: `https://example.com/${label}`,
      filter,
      ...listenerIndexKey(filter),
      secret: "whsec_test",
    },
  });
  return listener.id;
}

/** The listener ids the event got a delivery for. */
async function send(hook: string, payload: Record<string, unknown>): Promise<string[]> {
  const { result } = await sendEvent(projectId, hook, { payload }, {}, { db, runner });
  const deliveries = await db.delivery.findMany({ where: { eventId: result.eventId } });
  return deliveries.map((delivery) => delivery.listenerId).sort();
}

async function versionOf(hookId: string): Promise<number> {
  return (await db.hook.findUniqueOrThrow({ where: { id: hookId } })).ingestVersion;
}

describe("ingest plans", () => {
  it("see listeners added, disabled, refiltered and deleted by anyone, from the next event on", async () => {
    const hookId = await newHook("plan.listeners");
    const joe = await addListener(hookId, "joe", { name: "Joe" });
    expect(await send("plan.listeners", { name: "Joe" })).toEqual([joe]);

    const everyone = await addListener(hookId, "everyone");
    expect(await send("plan.listeners", { name: "Joe" })).toEqual([joe, everyone].sort());

    await db.listener.update({ where: { id: joe }, data: { enabled: false } });
    expect(await send("plan.listeners", { name: "Joe" })).toEqual([everyone]);

    await db.listener.update({ where: { id: joe }, data: { enabled: true } });
    await db.listener.update({
      where: { id: everyone },
      data: { filter: { name: "Ann" }, ...listenerIndexKey({ name: "Ann" }) },
    });
    expect(await send("plan.listeners", { name: "Joe" })).toEqual([joe]);
    expect(await send("plan.listeners", { name: "Ann" })).toEqual([everyone]);

    await db.listener.delete({ where: { id: joe } });
    expect(await send("plan.listeners", { name: "Joe" })).toEqual([]);
  });

  it("see a hook's new fields and its disabling from the next event on", async () => {
    const hookId = await newHook("plan.hook", ["name"]);
    const everyone = await addListener(hookId, "everyone");
    await expect(send("plan.hook", { name: "Joe", email: "j@example.com" })).rejects.toThrow(/email/);

    await db.hook.update({ where: { id: hookId }, data: { providesArgs: ["name", "email"] } });
    expect(await send("plan.hook", { name: "Joe", email: "j@example.com" })).toEqual([everyone]);

    await db.hook.update({ where: { id: hookId }, data: { enabled: false } });
    expect(await send("plan.hook", { name: "Joe" })).toEqual([]);
  });

  it("answers not found once the hook is deleted, cascading to its listeners", async () => {
    const hookId = await newHook("plan.deleted");
    await addListener(hookId, "everyone");
    expect(await send("plan.deleted", { name: "Joe" })).toHaveLength(1);
    await db.hook.delete({ where: { id: hookId } });
    await expect(send("plan.deleted", { name: "Joe" })).rejects.toThrow(/not found/i);
    expect(await db.listener.count({ where: { hookId } })).toBe(0);
  });

  it("is bumped by what matching reads, and only by that", async () => {
    const hookId = await newHook("plan.version");
    let version = await versionOf(hookId);
    const bumped = async () => {
      const now = await versionOf(hookId);
      const changed = now !== version;
      version = now;
      return changed;
    };

    const listenerId = await addListener(hookId, "a");
    expect(await bumped()).toBe(true);
    await db.listener.update({
      where: { id: listenerId },
      data: { consecutiveFailures: 3, secret: "other" },
    });
    expect(await bumped()).toBe(false);
    await db.listener.update({ where: { id: listenerId }, data: { filter: {} } });
    expect(await bumped()).toBe(false);
    await db.listener.update({ where: { id: listenerId }, data: { filter: { name: "Joe" } } });
    expect(await bumped()).toBe(true);
    await db.listener.update({ where: { id: listenerId }, data: { enabled: false } });
    expect(await bumped()).toBe(true);
    await db.hook.update({ where: { id: hookId }, data: { description: "cosmetic", verboseName: "V" } });
    expect(await bumped()).toBe(false);
    await db.hook.update({ where: { id: hookId }, data: { providesArgs: ["name", "city"] } });
    expect(await bumped()).toBe(true);

    const otherHookId = await newHook("plan.version.other");
    const otherVersion = await versionOf(otherHookId);
    await db.listener.update({ where: { id: listenerId }, data: { hookId: otherHookId } });
    expect(await bumped()).toBe(true);
    expect(await versionOf(otherHookId)).toBe(otherVersion + 1);
    await db.listener.delete({ where: { id: listenerId } });
    expect(await versionOf(otherHookId)).toBe(otherVersion + 2);
  });

  it("matches a hook with more listeners than a fan-out page, finding matches on every page", async () => {
    const large = await newHook("plan.large");
    const count = FAN_OUT_PAGE_SIZE + 500;
    await db.listener.createMany({
      data: Array.from({ length: count }, (_, index) => ({
        projectId,
        hookId: large,
        url: `https://example.com/${index}`,
        filter: { name: `name-${index % 2}` },
        ...listenerIndexKey({ name: `name-${index % 2}` }),
        secret: "whsec_test",
      })),
    });
    expect(await send("plan.large", { name: "name-1" })).toHaveLength(count / 2);
    const latecomer = await addListener(large, "late", { name: "nobody-else" });
    expect(await send("plan.large", { name: "nobody-else" })).toEqual([latecomer]);
  });
});
