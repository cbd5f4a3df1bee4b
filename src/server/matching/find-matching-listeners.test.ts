import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileFilter, listenerIndexKey, MAX_INDEXED_PREFIX_LENGTH, type Filter } from "@/core/filter";
import {
  createTestDatabase,
  testDatabaseServerUrl,
  type TestDatabase,
  type TestDatabaseKind,
} from "@/testing/databases";
import { CompiledFilterCache } from "./compiled-filter-cache";
import { findCandidateListeners, findMatchingListeners } from "./find-matching-listeners";

const kinds: TestDatabaseKind[] = testDatabaseServerUrl() ? ["pglite", "postgres"] : ["pglite"];
// Dozens of queries; the embedded database answers each in tens of milliseconds.
const SLOW_DATABASE_TEST_TIMEOUT_MS = 120_000;
const PROVIDES = ["name", "email", "age", "customer"];
const LONG = "L".repeat(MAX_INDEXED_PREFIX_LENGTH + 3);
// Cutting this prefix to the indexed length splits the emoji's surrogate pair in half.
const SPLIT_PAIR_PREFIX = `${"L".repeat(MAX_INDEXED_PREFIX_LENGTH - 1)}😀`;

const values: unknown[] = [
  "Joe",
  "Jo",
  "Jerry",
  "Simon",
  "",
  "😀 smile",
  "\ud83d",
  "a\u0000b",
  LONG,
  `${LONG}x`,
  "Zoë",
  `${SPLIT_PAIR_PREFIX}!`,
  `${"L".repeat(MAX_INDEXED_PREFIX_LENGTH - 1)}😁`,
  1,
  0,
  -1,
  2.5,
  true,
  false,
  null,
  ["Joe"],
  { name: "Joe" },
];
const conditions: unknown[] = [
  "Joe",
  1,
  true,
  null,
  "",
  LONG,
  ["Joe"],
  { $is: "Joe" },
  { $is: 1 },
  { $is: { name: "Joe" } },
  { $startswith: "J" },
  { $startswith: "Jo" },
  { $startswith: "😀" },
  { $startswith: SPLIT_PAIR_PREFIX },
  { $startswith: LONG },
  { $startswith: `${LONG}x` },
  { $endswith: "e" },
  { $contains: "o" },
  { $like: "^J.*y$" },
  { $like: "(a+)+$" },
  { $in: ["Joe", 1, null] },
  { $not: "Joe" },
  { $not: { $startswith: "J" } },
  { $exists: true },
  { $exists: false },
  { $any: true },
  { $gt: 0 },
  { $gte: 1, $lt: 3 },
  { $lte: 0 },
  { $is: "Joe", $startswith: "J" },
  { $startswith: "J", $endswith: "y" },
  { name: "Joe" },
  { name: { $startswith: "J" } },
];

function corpusFilters(): Filter[] {
  const filters: Filter[] = [{}];
  for (const condition of conditions) {
    filters.push(
      { name: condition } as Filter,
      { age: condition } as Filter,
      { "customer.name": condition } as Filter,
    );
  }
  let seed = 7;
  const pick = <T>(list: readonly T[]): T => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return list[seed % list.length]!;
  };
  for (let i = 0; i < 100; i++) {
    filters.push({
      name: pick(conditions),
      [pick(["age", "email", "customer"])]: pick(conditions),
    } as Filter);
  }
  return filters;
}

function corpusPayloads(): Record<string, unknown>[] {
  const payloads: Record<string, unknown>[] = [{}];
  for (const value of values) payloads.push({ name: value }, { age: value }, { customer: { name: value } });
  payloads.push({ name: "Joe", age: 1, email: "joe@example.com", customer: { name: "Joe" } });
  payloads.push({ name: "Jerry", age: 2, email: "", customer: "Jerry" });
  return payloads;
}

describe.each(kinds)("findMatchingListeners (%s)", (kind) => {
  let database: TestDatabase;
  let projectId: string;
  let hookId: string;
  let otherHookId: string;

  async function addListener(
    filter: unknown,
    data: { hookId?: string; enabled?: boolean; url?: string } = {},
  ) {
    return database.db.listener.create({
      data: {
        projectId,
        hookId: data.hookId ?? hookId,
        url: data.url ?? "http://127.0.0.1:9/hook",
        secret: "whsec_test",
        enabled: data.enabled ?? true,
        filter: filter as object,
        ...listenerIndexKey(filter),
      },
    });
  }

  async function matchingUrls(payload: Record<string, unknown>, onHook = hookId): Promise<string[]> {
    return (await findMatchingListeners(database.db, { hookId: onHook, hookVersion: 1 }, payload))
      .map((listener) => listener.url)
      .sort();
  }

  beforeAll(async () => {
    database = await createTestDatabase({ kind });
    const project = await database.db.project.create({ data: { name: "matching" } });
    projectId = project.id;
    hookId = (await database.db.hook.create({ data: { projectId, name: "person", providesArgs: PROVIDES } }))
      .id;
    otherHookId = (
      await database.db.hook.create({ data: { projectId, name: "order", providesArgs: PROVIDES } })
    ).id;
  });

  afterAll(async () => {
    await database?.drop();
  });

  it("durian's cases: Joe, Startswith J, and the unfiltered listener", async () => {
    const hook = (
      await database.db.hook.create({ data: { projectId, name: "durian", providesArgs: ["name"] } })
    ).id;
    await addListener({ name: "Joe" }, { hookId: hook, url: "http://joe" });
    await addListener({ name: { $startswith: "J" } }, { hookId: hook, url: "http://j" });
    await addListener({}, { hookId: hook, url: "http://all" });

    expect(await matchingUrls({ name: "Joe" }, hook)).toEqual(["http://all", "http://j", "http://joe"]);
    expect(await matchingUrls({ name: "Jerry" }, hook)).toEqual(["http://all", "http://j"]);
    expect(await matchingUrls({ name: "Simon" }, hook)).toEqual(["http://all"]);
  });

  it(
    "finds exactly the listeners the naive filter finds, for every operator mix",
    async () => {
      const filters = corpusFilters();
      await database.db.listener.createMany({
        data: filters.map((filter, i) => ({
          projectId,
          hookId,
          url: `http://127.0.0.1:9/${i}`,
          secret: "whsec_test",
          filter: filter as object,
          ...listenerIndexKey(filter),
        })),
      });
      const disabled = await addListener({}, { enabled: false, url: "http://disabled" });
      await addListener({}, { hookId: otherHookId, url: "http://other-hook" });
      const stored = await database.db.listener.findMany({ where: { hookId, enabled: true } });
      const indexKinds = new Set(stored.map((listener) => listener.indexKind));
      expect(indexKinds).toEqual(new Set(["exact", "prefix", "scan"]));

      const naive = stored.map((listener) => ({ id: listener.id, matches: compileFilter(listener.filter) }));
      let matches = 0;
      for (const payload of corpusPayloads()) {
        const expected = naive
          .filter((listener) => listener.matches(payload))
          .map((l) => l.id)
          .sort();
        const found = (await findMatchingListeners(database.db, { hookId, hookVersion: 1 }, payload))
          .map((l) => l.id)
          .sort();
        expect(found, JSON.stringify(payload)).toEqual(expected);
        expect(found).not.toContain(disabled.id);
        matches += found.length;
      }
      expect(matches).toBeGreaterThan(200);
    },
    SLOW_DATABASE_TEST_TIMEOUT_MS,
  );

  it("narrows candidates in the database instead of reading every listener", async () => {
    const hook = (
      await database.db.hook.create({ data: { projectId, name: "narrow", providesArgs: ["name"] } })
    ).id;
    for (let i = 0; i < 50; i++) await addListener({ name: `user-${i}` }, { hookId: hook });
    await addListener({ name: { $startswith: "user-1" } }, { hookId: hook, url: "http://prefix" });
    await addListener({ name: { $endswith: "7" } }, { hookId: hook, url: "http://scan" });

    const candidates = await findCandidateListeners(
      database.db,
      { hookId: hook, hookVersion: 1 },
      { name: "user-17" },
    );
    expect(candidates).toHaveLength(3); // its exact listener, the prefix listener, the scanning one
    expect(
      (await findMatchingListeners(database.db, { hookId: hook, hookVersion: 1 }, { name: "user-17" }))
        .length,
    ).toBe(3);
    expect(
      (await findMatchingListeners(database.db, { hookId: hook, hookVersion: 1 }, { name: "user-21" }))
        .length,
    ).toBe(1);
  });

  it("returns each matching listener's id, URL and filter", async () => {
    const hook = (
      await database.db.hook.create({ data: { projectId, name: "rows", providesArgs: ["name"] } })
    ).id;
    const created = await addListener({ name: "Joe" }, { hookId: hook });
    const [found] = await findMatchingListeners(
      database.db,
      { hookId: hook, hookVersion: 1 },
      { name: "Joe" },
    );
    expect(found).toMatchObject({ id: created.id, url: created.url, filter: { name: "Joe" } });
    expect(found?.updatedAt).toBeInstanceOf(Date);
  });

  it("recompiles a listener's filter after it changes", async () => {
    const hook = (
      await database.db.hook.create({ data: { projectId, name: "edited", providesArgs: ["name"] } })
    ).id;
    const listener = await addListener({ name: "Joe" }, { hookId: hook });
    const cache = new CompiledFilterCache();
    expect(
      await findMatchingListeners(database.db, { hookId: hook, hookVersion: 1 }, { name: "Joe" }, { cache }),
    ).toHaveLength(1);

    const filter = { name: { $startswith: "Si" } };
    await database.db.listener.update({
      where: { id: listener.id },
      data: { filter, ...listenerIndexKey(filter), updatedAt: new Date(listener.updatedAt.getTime() + 1000) },
    });
    expect(
      await findMatchingListeners(database.db, { hookId: hook, hookVersion: 1 }, { name: "Joe" }, { cache }),
    ).toHaveLength(0);
    expect(
      await findMatchingListeners(
        database.db,
        { hookId: hook, hookVersion: 1 },
        { name: "Simon" },
        { cache },
      ),
    ).toHaveLength(1);
  });

  it("skips a listener whose stored filter is invalid, and says so", async () => {
    const hook = (
      await database.db.hook.create({ data: { projectId, name: "broken", providesArgs: ["name"] } })
    ).id;
    const broken = await database.db.listener.create({
      data: { projectId, hookId: hook, url: "http://broken", secret: "s", filter: { name: { $nope: 1 } } },
    });
    await addListener({}, { hookId: hook, url: "http://fine" });
    const reported: string[] = [];
    const found = await findMatchingListeners(
      database.db,
      { hookId: hook, hookVersion: 1 },
      { name: "Joe" },
      {
        onInvalidFilter: (listener) => reported.push(listener.id),
      },
    );
    expect(found.map((listener) => listener.url)).toEqual(["http://fine"]);
    expect(reported).toEqual([broken.id]);
  });
});
