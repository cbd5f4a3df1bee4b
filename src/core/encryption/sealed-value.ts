import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";

/**
 * Values sealed at rest with AES-256-GCM, in a self-describing text form:
 *
 *     enc:v1:<key id>:<iv>:<ciphertext + tag>      (iv and ciphertext in base64url)
 *
 * The key id says which key sealed a value, so several keys can be readable at once (a key rotation)
 * and a value sealed with a key nobody configured is named as such instead of failing as "corrupt".
 */

export const SEALED_PREFIX = "enc:";
const FORMAT = "enc:v1";
/** Key text shorter than this is refused: it should carry at least 32 random bytes' worth of text. */
export const MIN_KEY_TEXT_LENGTH = 32;
const KEY_BYTES = 32;
/** Hex key ids (no LIKE wildcards, no separators); 48 bits tell a handful of keys apart. */
const KEY_ID_BYTES = 6;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HKDF_INFO = "durian sealed values v1";

export interface SealingKey {
  readonly id: string;
  readonly bytes: Buffer;
}

export type SealedValueProblem = "malformed" | "unknown-key" | "authentication-failed";

export class SealedValueError extends Error {
  override name = "SealedValueError";
  constructor(
    readonly problem: SealedValueProblem,
    /** The key id the value names, when it could be read. */
    readonly keyId: string | null,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The AES-256 key for configured key text (e.g. `openssl rand -base64 32`). HKDF turns any long
 * enough text into exactly 32 bytes, so operators need not produce raw key bytes in one encoding.
 */
export function sealingKey(keyText: string): SealingKey {
  if (keyText.length < MIN_KEY_TEXT_LENGTH) {
    throw new RangeError(`key: expected at least ${MIN_KEY_TEXT_LENGTH} characters, got ${keyText.length}`);
  }
  const bytes = Buffer.from(hkdfSync("sha256", keyText, "", HKDF_INFO, KEY_BYTES));
  const id = createHash("sha256")
    .update(bytes)
    .digest("hex")
    .slice(0, KEY_ID_BYTES * 2);
  return { id, bytes };
}

export function isSealed(value: string): boolean {
  return value.startsWith(SEALED_PREFIX);
}

/** The prefix every value sealed with `key` starts with. */
export function sealedPrefix(key: Pick<SealingKey, "id">): string {
  return `${FORMAT}:${key.id}:`;
}

export function seal(plaintext: string, key: SealingKey): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key.bytes, iv);
  // The header is authenticated too: a value cannot be relabelled with another key id or version.
  cipher.setAAD(Buffer.from(`${FORMAT}:${key.id}`));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `${sealedPrefix(key)}${iv.toString("base64url")}:${ciphertext.toString("base64url")}`;
}

const SEALED_V1 = /^enc:v1:([0-9a-f]+):([A-Za-z0-9_-]+):([A-Za-z0-9_-]+)$/;

/** The key id a sealed value names, or null when it is not a well-formed sealed value. */
export function sealedKeyId(value: string): string | null {
  return SEALED_V1.exec(value)?.[1] ?? null;
}

/** Opens a sealed value with whichever of `keys` sealed it; throws `SealedValueError` otherwise. */
export function unseal(value: string, keys: readonly SealingKey[]): string {
  const match = SEALED_V1.exec(value);
  if (!match) {
    const version = value.split(":")[1] ?? "";
    throw new SealedValueError(
      "malformed",
      null,
      isSealed(value) && version !== "v1"
        ? `sealed value: unknown format version "${version}"`
        : "sealed value: expected enc:v1:<key id>:<iv>:<ciphertext>",
    );
  }
  const [, keyId, ivText, ciphertextText] = match as unknown as [string, string, string, string];
  const key = keys.find((candidate) => candidate.id === keyId);
  if (!key)
    throw new SealedValueError("unknown-key", keyId, `sealed value: sealed with unknown key ${keyId}`);
  const iv = Buffer.from(ivText, "base64url");
  const sealed = Buffer.from(ciphertextText, "base64url");
  if (iv.length !== IV_BYTES || sealed.length < TAG_BYTES) {
    throw new SealedValueError("malformed", keyId, "sealed value: the iv or the ciphertext is truncated");
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", key.bytes, iv);
    decipher.setAAD(Buffer.from(`${FORMAT}:${keyId}`));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)),
      decipher.final(),
    ]).toString("utf8");
  } catch {
    throw new SealedValueError(
      "authentication-failed",
      keyId,
      `sealed value: does not authenticate with key ${keyId} (altered, or another key with the same id)`,
    );
  }
}
