import { createHash, randomBytes } from "node:crypto";
import type { ApiKey, PrismaClient } from "@/generated/prisma/client";
import { getDb } from "@/server/db/client";
import type { CreateApiKey } from "@/contracts/api-keys";
import { NotFoundError } from "./errors";

export const API_KEY_PREFIX = "durian_";
const API_KEY_RANDOM_BYTES = 32;
/** `durian_` and the first characters of the random part: enough to tell keys apart, useless to guess with. */
export const API_KEY_DISPLAY_PREFIX_LENGTH = API_KEY_PREFIX.length + 6;
const API_KEY_PATTERN = /^durian_[A-Za-z0-9_-]{43}$/;
/** lastUsedAt is written at most this often per key, so authentication is not a write per request. */
export const LAST_USED_WRITE_INTERVAL_MS = 60_000;
/**
 * A verified key is trusted from memory for this long. Revoking through this process takes effect at
 * once; another process (a second server) notices within this time.
 */
export const API_KEY_CACHE_TTL_MS = 10_000;
const MAX_CACHED_API_KEYS = 10_000;

export interface ApiKeyRecord {
  id: string;
  name: string;
  prefix: string;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
}

export type CreatedApiKey = ApiKeyRecord & { key: string };

export interface AuthenticatedApiKey {
  apiKeyId: string;
  projectId: string;
}

function toApiKeyRecord(key: ApiKey): ApiKeyRecord {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    lastUsedAt: key.lastUsedAt,
    revokedAt: key.revokedAt,
    createdAt: key.createdAt,
  };
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** Creates a key for the project; the whole key is in the answer and nowhere else, ever. */
export async function createApiKey(
  projectId: string,
  { name }: CreateApiKey,
  db: PrismaClient = getDb(),
): Promise<CreatedApiKey> {
  const key = API_KEY_PREFIX + randomBytes(API_KEY_RANDOM_BYTES).toString("base64url");
  const created = await db.apiKey.create({
    data: { projectId, name, prefix: key.slice(0, API_KEY_DISPLAY_PREFIX_LENGTH), hash: hashApiKey(key) },
  });
  return { ...toApiKeyRecord(created), key };
}

/** The project's keys, newest first, revoked ones included (with revokedAt). */
export async function listApiKeys(
  projectId: string,
  db: PrismaClient = getDb(),
): Promise<{ items: ApiKeyRecord[] }> {
  const keys = await db.apiKey.findMany({
    where: { projectId },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
  });
  return { items: keys.map(toApiKeyRecord) };
}

/** Revokes the key at once; revoking it again is harmless. */
export async function revokeApiKey(projectId: string, id: string, db: PrismaClient = getDb()): Promise<void> {
  const key = await db.apiKey.findFirst({ where: { id, projectId } });
  if (!key) throw new NotFoundError("API key");
  if (!key.revokedAt) await db.apiKey.update({ where: { id }, data: { revokedAt: new Date() } });
  verifiedKeys.delete(key.hash);
}

interface VerifiedKey extends AuthenticatedApiKey {
  verifiedAt: number;
  lastUsedWrittenAt: number;
}

// On globalThis: Next may bundle the routes that revoke keys and those that check them separately,
// and a revocation must reach the one cache of the process.
const processCaches = globalThis as typeof globalThis & {
  __durianVerifiedApiKeys?: Map<string, VerifiedKey>;
};
const verifiedKeys = (processCaches.__durianVerifiedApiKeys ??= new Map<string, VerifiedKey>());

/**
 * The project a presented key belongs to, or null when it is malformed, unknown or revoked. Keeps
 * verified keys in memory briefly (see API_KEY_CACHE_TTL_MS) and writes lastUsedAt at most once a
 * minute per key.
 */
export async function authenticateApiKey(
  presented: string,
  db: PrismaClient = getDb(),
  now: Date = new Date(),
): Promise<AuthenticatedApiKey | null> {
  if (!API_KEY_PATTERN.test(presented)) return null;
  const hash = hashApiKey(presented);
  const nowMs = now.getTime();
  let verified = verifiedKeys.get(hash);
  if (!verified || nowMs - verified.verifiedAt > API_KEY_CACHE_TTL_MS) {
    const key = await db.apiKey.findUnique({ where: { hash } });
    if (!key || key.revokedAt) {
      verifiedKeys.delete(hash);
      return null;
    }
    verified = {
      apiKeyId: key.id,
      projectId: key.projectId,
      verifiedAt: nowMs,
      lastUsedWrittenAt: verified?.lastUsedWrittenAt ?? key.lastUsedAt?.getTime() ?? 0,
    };
    rememberVerifiedKey(hash, verified);
  }
  if (nowMs - verified.lastUsedWrittenAt >= LAST_USED_WRITE_INTERVAL_MS) {
    verified.lastUsedWrittenAt = nowMs;
    await db.apiKey.updateMany({ where: { id: verified.apiKeyId }, data: { lastUsedAt: now } });
  }
  return { apiKeyId: verified.apiKeyId, projectId: verified.projectId };
}

function rememberVerifiedKey(hash: string, verified: VerifiedKey): void {
  if (verifiedKeys.size >= MAX_CACHED_API_KEYS) {
    const oldest = verifiedKeys.keys().next();
    if (!oldest.done) verifiedKeys.delete(oldest.value);
  }
  verifiedKeys.set(hash, verified);
}

/** Forgets every verified key (tests that swap databases between cases). */
export function clearApiKeyCache(): void {
  verifiedKeys.clear();
}
