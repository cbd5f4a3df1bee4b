import { SEALED_PREFIX, sealedPrefix } from "@/core/encryption";
import { Prisma, type PrismaClient } from "@/generated/prisma/client";
import { openListenerSecret, sealListenerSecret } from "./listener-secrets";
import { SecretKeyError, secretKeyring, type SecretKeyring } from "./secret-keyring";

/** Listeners re-encrypted per UPDATE: small enough not to hold row locks for long. */
export const RESEAL_BATCH_SIZE = 500;

export interface ResealOptions {
  /**
   * `plain`: only secrets stored in plain text (rows from before encryption).
   * `stale`: every secret not encrypted with the current key (after a key rotation), plain ones too.
   */
  scope: "plain" | "stale";
  batchSize?: number;
  keyring?: SecretKeyring;
  /** Called after each batch with the number re-encrypted so far. */
  onBatch?: (resealed: number) => void;
}

/**
 * Re-encrypts listener secrets (current and previous) with the current key, one UPDATE per batch in
 * id order. Returns the number of listeners re-encrypted.
 */
export async function resealListenerSecrets(db: PrismaClient, options: ResealOptions): Promise<number> {
  const keyring = options.keyring ?? secretKeyring();
  const batchSize = options.batchSize ?? RESEAL_BATCH_SIZE;
  const goodPrefix = options.scope === "plain" ? SEALED_PREFIX : sealedPrefix(keyring.current);
  const needsReseal: Prisma.ListenerWhereInput = {
    OR: [
      { NOT: { secret: { startsWith: goodPrefix } } },
      { previousSecret: { not: null }, NOT: { previousSecret: { startsWith: goodPrefix } } },
    ],
  };
  const reseal = (stored: string) => sealListenerSecret(openListenerSecret(stored, keyring), keyring);
  let resealed = 0;
  let afterId: string | undefined;
  for (;;) {
    const rows = await db.listener.findMany({
      where: { ...needsReseal, ...(afterId !== undefined && { id: { gt: afterId } }) },
      select: { id: true, secret: true, previousSecret: true },
      orderBy: { id: "asc" },
      take: batchSize,
    });
    if (rows.length === 0) return resealed;
    resealed += await db.$executeRaw`
      -- Only rows still holding what was read: a secret rotated meanwhile is left as the rotation wrote it.
      UPDATE "Listener" l SET secret = v.new_secret, "previousSecret" = v.new_previous
      FROM unnest(
        ${rows.map((row) => row.id)}::text[],
        ${rows.map((row) => row.secret)}::text[],
        ${rows.map((row) => row.previousSecret)}::text[],
        ${rows.map((row) => reseal(row.secret))}::text[],
        ${rows.map((row) => row.previousSecret && reseal(row.previousSecret))}::text[]
      ) AS v(id, old_secret, old_previous, new_secret, new_previous)
      WHERE l.id = v.id AND l.secret = v.old_secret AND l."previousSecret" IS NOT DISTINCT FROM v.old_previous`;
    options.onBatch?.(resealed);
    afterId = rows.at(-1)!.id;
  }
}

/**
 * Fails with a `SecretKeyError` naming DURIAN_SECRET_KEY when a stored listener secret is encrypted
 * with a key this process does not have, so a wrong or lost key stops the start instead of every
 * delivery of the listeners concerned.
 */
export async function assertListenerSecretKeysKnown(
  db: PrismaClient,
  keyring: SecretKeyring = secretKeyring(),
): Promise<void> {
  const rows = await db.$queryRaw<{ keyId: string; listeners: number }[]>`
    SELECT split_part(value, ':', 3) AS "keyId", count(*)::int AS listeners
    FROM (
      SELECT secret AS value FROM "Listener"
      UNION ALL SELECT "previousSecret" FROM "Listener" WHERE "previousSecret" IS NOT NULL
    ) stored
    WHERE value LIKE 'enc:%'
    GROUP BY 1`;
  const known = new Set(keyring.readable.map((key) => key.id));
  const unknown = rows.filter((row) => !known.has(row.keyId));
  if (unknown.length === 0) return;
  const described = unknown.map((row) => `${row.listeners} with key ${row.keyId || "(none)"}`).join(", ");
  throw new SecretKeyError(
    `Listener secrets are encrypted with keys not configured here (${described}); DURIAN_SECRET_KEY is key ` +
      `${keyring.current.id}. Set DURIAN_SECRET_KEY to the key they were encrypted with, or add it to ` +
      `DURIAN_SECRET_KEY_PREVIOUS (when DURIAN_SECRET_KEY was unset, it is DURIAN_DATA_DIR/secret-key of the ` +
      `machine that wrote them).`,
  );
}

/**
 * The start-time data step (run by `npm start` and `npm run db:migrate` after the schema migrations):
 * encrypts secrets still stored in plain text, then checks every stored secret can be decrypted.
 */
export async function prepareListenerSecrets(
  db: PrismaClient,
  options: { log?: (line: string) => void; keyring?: SecretKeyring } = {},
): Promise<void> {
  const keyring = options.keyring ?? secretKeyring();
  const encrypted = await resealListenerSecrets(db, { scope: "plain", keyring });
  if (encrypted > 0) options.log?.(`Encrypted the signing secrets of ${encrypted} listener(s)`);
  await assertListenerSecretKeysKnown(db, keyring);
}
