import { base64ToBytes, bytesToBase64 } from "./base64";

export const SECRET_PREFIX = "whsec_";
/** Standard Webhooks asks for 24 to 64 bytes; 32 bytes matches the HMAC-SHA256 output size. */
export const SECRET_BYTES = 32;
const MIN_SECRET_BYTES = 24;
const MAX_SECRET_BYTES = 64;

export class InvalidSecretError extends Error {
  override name = "InvalidSecretError";
}

/** A new listener signing secret: `whsec_<base64 of 32 random bytes>`. */
export function generateSecret(): string {
  const bytes = new Uint8Array(SECRET_BYTES);
  globalThis.crypto.getRandomValues(bytes);
  return SECRET_PREFIX + bytesToBase64(bytes);
}

/**
 * The HMAC key of a `whsec_` secret. The prefix is optional, as in the Standard Webhooks reference
 * libraries, so a receiver may paste either form.
 */
export function secretKeyBytes(secret: string): Uint8Array<ArrayBuffer> {
  if (typeof secret !== "string" || secret.length === 0) {
    throw new InvalidSecretError("secret: expected a non-empty `whsec_…` string");
  }
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const bytes = base64ToBytes(encoded);
  if (bytes === null) {
    throw new InvalidSecretError("secret: the part after `whsec_` is not valid base64");
  }
  if (bytes.length < MIN_SECRET_BYTES || bytes.length > MAX_SECRET_BYTES) {
    throw new InvalidSecretError(
      `secret: must decode to ${MIN_SECRET_BYTES}–${MAX_SECRET_BYTES} bytes, got ${bytes.length}`,
    );
  }
  return bytes;
}
