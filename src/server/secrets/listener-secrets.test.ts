import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseAllowlist } from "@/core/delivery";
import { startReceiver, type TestReceiver } from "@/testing/receiver";
import { sealingKey } from "@/core/encryption";
import { generateSecret, signatureHeader, verifyWebhook } from "@/core/signing";
import { createTestDatabase, type TestDatabase } from "@/testing/databases";
import { runDeliveryAttempt } from "@/server/delivery";
import { seedEvent, seedHook, type SeededHook } from "@/testing/seed";
import { claimDueDeliveries } from "@/server/delivery/lifecycle";
import { createInspectorListener, recordInspectorRequest } from "@/server/services/inspector";
import { createListenerSchema } from "@/contracts/listeners";
import { createListener, getListener, rotateListenerSecret } from "@/server/services/listeners";
import {
  assertListenerSecretKeysKnown,
  prepareListenerSecrets,
  resealListenerSecrets,
  SECRET_KEY_FILE,
  SecretKeyError,
  secretKeyring,
  secretKeyringFrom,
  setSecretKeyringForTesting,
  type SecretKeyring,
} from "./index";

const KEY_A = "key A: at least thirty-two characters of text";
const KEY_B = "key B: at least thirty-two characters of text";
const KEY_C = "key C: never used to encrypt anything here at all";
const allowlist = parseAllowlist("127.0.0.1");

let database: TestDatabase;
let receiver: TestReceiver;

beforeAll(async () => {
  database = await createTestDatabase();
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
  await database.drop();
});
afterEach(() => {
  setSecretKeyringForTesting(undefined);
});

function useKeys(current: string, ...previous: string[]): SecretKeyring {
  const keyring = secretKeyringFrom(current, previous);
  setSecretKeyringForTesting(keyring);
  return keyring;
}

/** What is really in the table, read past Prisma and the services. */
async function storedSecrets(listenerId: string) {
  const [row] = await database.db.$queryRaw<{ secret: string; previousSecret: string | null }[]>`
    SELECT secret, "previousSecret" FROM "Listener" WHERE id = ${listenerId}`;
  return row!;
}

/** A listener made by the service (so its secret is written as in production), delivering to `receiver`. */
async function serviceListener(hook: SeededHook) {
  const listener = await createListener(
    hook.projectId,
    createListenerSchema.parse({ hook: hook.hookName, url: "https://example.test/hooks" }),
    database.db,
  );
  await database.db.listener.update({ where: { id: listener.id }, data: { url: `${receiver.url}/hooks` } });
  return listener;
}

/** Sends one event to the listener and returns the request it received. */
async function deliverOnce(hook: SeededHook, listenerId: string) {
  const { deliveryIds } = await seedEvent(database.db, hook, [listenerId]);
  const before = receiver.requests.length;
  const outcome = await runDeliveryAttempt(database.db, deliveryIds[0]!, { allowlist });
  expect(outcome).toMatchObject({ kind: "attempted", status: "succeeded" });
  expect(receiver.requests).toHaveLength(before + 1);
  return receiver.requests.at(-1)!;
}

const verifies = (secret: string, request: { headers: Record<string, unknown>; body: string }) =>
  verifyWebhook({ secret, headers: request.headers as Record<string, string>, body: request.body }).then(
    () => true,
    () => false,
  );

describe("listener secrets at rest", () => {
  it("are stored encrypted, shown decrypted, and sign deliveries", async () => {
    const keyring = useKeys(KEY_A);
    const hook = await seedHook(database.db);
    const listener = await serviceListener(hook);

    expect(listener.secret).toMatch(/^whsec_/);
    const stored = await storedSecrets(listener.id);
    expect(stored.secret).toMatch(new RegExp(`^enc:v1:${keyring.current.id}:`));
    const plain = await database.db.$queryRaw<{ id: string }[]>`
      SELECT id FROM "Listener"
      WHERE strpos(secret, 'whsec_') > 0 OR strpos(coalesce("previousSecret", ''), 'whsec_') > 0`;
    expect(plain).toEqual([]);
    expect((await getListener(hook.projectId, listener.id, database.db)).secret).toBe(listener.secret);

    expect(await verifies(listener.secret, await deliverOnce(hook, listener.id))).toBe(true);
  });

  it("hands the embedded runner's claims decrypted secrets", async () => {
    useKeys(KEY_A);
    const hook = await seedHook(database.db, { name: "runner.claim" });
    const listener = await serviceListener(hook);
    await seedEvent(database.db, hook, [listener.id]);
    const { claimed } = await claimDueDeliveries(database.db, {
      limit: 100,
      listeners: { inFlight: new Map(), limit: 5 },
      projects: { inFlight: new Map(), limit: 100 },
      now: new Date(),
    });
    const mine = claimed.find((context) => context.listenerId === listener.id);
    expect(mine).toMatchObject({ secret: listener.secret, previousSecret: null });
  });

  it("keep signing with the previous secret during a listener's secret rotation", async () => {
    useKeys(KEY_A);
    const hook = await seedHook(database.db);
    const listener = await serviceListener(hook);
    const rotated = await rotateListenerSecret(hook.projectId, listener.id, database.db);

    const stored = await storedSecrets(listener.id);
    expect(stored.previousSecret).toMatch(/^enc:v1:/);
    expect(`${stored.secret} ${stored.previousSecret}`).not.toContain("whsec_");

    const request = await deliverOnce(hook, listener.id);
    expect(await verifies(rotated.secret, request)).toBe(true);
    expect(await verifies(listener.secret, request)).toBe(true);
    expect(await verifies(generateSecret(), request)).toBe(false);
  });

  it("still verify after a key rotation, before and after secrets:rotate re-encrypts them", async () => {
    useKeys(KEY_A);
    const hook = await seedHook(database.db);
    const listener = await serviceListener(hook);
    const rotated = await rotateListenerSecret(hook.projectId, listener.id, database.db);

    // The operator moves to key B and keeps A as the previous key.
    const keyring = useKeys(KEY_B, KEY_A);
    const during = await deliverOnce(hook, listener.id);
    expect(await verifies(rotated.secret, during)).toBe(true);
    expect(await verifies(listener.secret, during)).toBe(true);

    const resealed = await resealListenerSecrets(database.db, { scope: "stale" });
    expect(resealed).toBeGreaterThanOrEqual(1);
    const stored = await storedSecrets(listener.id);
    expect(stored.secret.startsWith(`enc:v1:${keyring.current.id}:`)).toBe(true);
    expect(stored.previousSecret!.startsWith(`enc:v1:${keyring.current.id}:`)).toBe(true);

    // A is dropped: everything still decrypts and signs with B alone.
    useKeys(KEY_B);
    await assertListenerSecretKeysKnown(database.db);
    const after = await deliverOnce(hook, listener.id);
    expect(await verifies(rotated.secret, after)).toBe(true);
    expect(await verifies(listener.secret, after)).toBe(true);
    expect(await resealListenerSecrets(database.db, { scope: "stale" })).toBe(0);
  });

  it("re-encrypt in batches of the given size", async () => {
    useKeys(KEY_A);
    const hook = await seedHook(database.db);
    for (let index = 0; index < 5; index++) await serviceListener(hook);
    useKeys(KEY_B, KEY_A);
    const batches: number[] = [];
    const resealed = await resealListenerSecrets(database.db, {
      scope: "stale",
      batchSize: 2,
      onBatch: (soFar) => batches.push(soFar),
    });
    expect(resealed).toBeGreaterThanOrEqual(5);
    expect(batches.length).toBe(Math.ceil(resealed / 2));
    expect(batches.at(-1)).toBe(resealed);
  });

  it("fail with an error naming DURIAN_SECRET_KEY when the key is wrong or missing", async () => {
    useKeys(KEY_A);
    const hook = await seedHook(database.db);
    const listener = await serviceListener(hook);
    const { deliveryIds } = await seedEvent(database.db, hook, [listener.id]);

    useKeys(KEY_C);
    await expect(getListener(hook.projectId, listener.id, database.db)).rejects.toThrow(SecretKeyError);
    await expect(getListener(hook.projectId, listener.id, database.db)).rejects.toThrow(
      new RegExp(`encrypted with key ${sealingKey(KEY_A).id}.*Set DURIAN_SECRET_KEY`),
    );
    await expect(runDeliveryAttempt(database.db, deliveryIds[0]!, { allowlist })).rejects.toThrow(
      /DURIAN_SECRET_KEY/,
    );
    await expect(assertListenerSecretKeysKnown(database.db)).rejects.toThrow(
      new RegExp(`with key ${sealingKey(KEY_A).id}.*Set DURIAN_SECRET_KEY`),
    );
    await expect(prepareListenerSecrets(database.db)).rejects.toThrow(SecretKeyError);
  });

  it("names an altered stored secret as such", async () => {
    useKeys(KEY_A);
    const hook = await seedHook(database.db);
    const listener = await serviceListener(hook);
    const { secret } = await storedSecrets(listener.id);
    const altered = secret.slice(0, -3) + (secret.endsWith("AAA") ? "BBB" : "AAA");
    await database.db.listener.update({ where: { id: listener.id }, data: { secret: altered } });
    await expect(getListener(hook.projectId, listener.id, database.db)).rejects.toThrow(
      /does not decrypt with DURIAN_SECRET_KEY .*altered/,
    );
    await database.db.listener.update({ where: { id: listener.id }, data: { secret } });
  });
});

describe("listener secrets from before encryption", () => {
  it("keep working in plain text and are encrypted by the start-time data step", async () => {
    // B too: earlier tests in this database left secrets encrypted with it.
    const keyring = useKeys(KEY_A, KEY_B);
    const hook = await seedHook(database.db);
    const secret = generateSecret();
    const previousSecret = generateSecret();
    const legacy = await database.db.listener.create({
      data: {
        projectId: hook.projectId,
        hookId: hook.hookId,
        url: `${receiver.url}/hooks`,
        secret,
        previousSecret,
        previousSecretUntil: new Date(Date.now() + 60_000),
      },
    });
    expect((await getListener(hook.projectId, legacy.id, database.db)).secret).toBe(secret);
    expect(await verifies(previousSecret, await deliverOnce(hook, legacy.id))).toBe(true);

    const logged: string[] = [];
    await prepareListenerSecrets(database.db, { log: (line) => logged.push(line) });
    expect(logged.join("\n")).toMatch(/Encrypted the signing secrets of \d+ listener\(s\)/);
    const stored = await storedSecrets(legacy.id);
    expect(stored.secret.startsWith(`enc:v1:${keyring.current.id}:`)).toBe(true);
    expect(stored.previousSecret!.startsWith(`enc:v1:${keyring.current.id}:`)).toBe(true);

    const request = await deliverOnce(hook, legacy.id);
    expect(await verifies(secret, request)).toBe(true);
    expect(await verifies(previousSecret, request)).toBe(true);
  });

  it("are encrypted when the listener's secret is rotated", async () => {
    useKeys(KEY_A);
    const hook = await seedHook(database.db);
    const secret = generateSecret();
    const legacy = await database.db.listener.create({
      data: { projectId: hook.projectId, hookId: hook.hookId, url: `${receiver.url}/hooks`, secret },
    });
    await rotateListenerSecret(hook.projectId, legacy.id, database.db);
    const stored = await storedSecrets(legacy.id);
    expect(stored.previousSecret).toMatch(/^enc:v1:/);
    expect(await verifies(secret, await deliverOnce(hook, legacy.id))).toBe(true);
  });
});

describe("the inspector's signature check", () => {
  it("decrypts the secrets of listeners pointing at it, the previous one too", async () => {
    useKeys(KEY_A);
    const hook = await seedHook(database.db, { name: "inspected", providesArgs: ["name"] });
    const project = await database.db.project.findUniqueOrThrow({ where: { id: hook.projectId } });
    const listener = await createInspectorListener(hook.projectId, hook.hookName, database.db);
    const rotated = await rotateListenerSecret(hook.projectId, listener.id, database.db);
    const now = new Date();
    const body = JSON.stringify({ name: "Ada" });
    for (const [secret, expected] of [
      [rotated.secret, true],
      [listener.secret, true],
      [generateSecret(), false],
    ] as const) {
      const timestamp = Math.floor(now.getTime() / 1000);
      const headers = new Headers({
        "webhook-id": "msg_1",
        "webhook-timestamp": String(timestamp),
        "webhook-signature": await signatureHeader([secret], { msgId: "msg_1", timestamp, body }),
      });
      const recorded = await recordInspectorRequest(
        project.inspectorToken,
        { method: "POST", headers, body: new TextEncoder().encode(body), bodyTooLarge: false },
        database.db,
        now,
      );
      expect(recorded.signatureVerified).toBe(expected);
    }
  });
});

describe("the key with DURIAN_SECRET_KEY unset", () => {
  it("is generated once into DURIAN_DATA_DIR and kept", () => {
    const keyring = secretKeyring();
    const file = path.resolve(process.env.DURIAN_DATA_DIR!, SECRET_KEY_FILE);
    expect(keyring.current.id).toBe(sealingKey(readFileSync(file, "utf8").trim()).id);
    expect(secretKeyring().current.id).toBe(keyring.current.id);
  });
});
