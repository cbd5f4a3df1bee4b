import { bytesToBase64 } from "./base64";
import { secretKeyBytes } from "./secret";

export const SIGNATURE_VERSION = "v1";

export interface SignedContent {
  /** The `webhook-id`: the delivery's id, stable across its retries. */
  msgId: string;
  /** The `webhook-timestamp`: unix seconds of this attempt. */
  timestamp: number;
  /** The exact request body that is sent. */
  body: string | Uint8Array;
}

const textEncoder = new TextEncoder();

/** `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">` (Standard Webhooks). */
export async function signMessage(input: SignedContent & { secret: string }): Promise<string> {
  const digest = await hmacSha256(secretKeyBytes(input.secret), signedContent(input));
  return `${SIGNATURE_VERSION},${bytesToBase64(digest)}`;
}

/**
 * The `webhook-signature` header: one signature per secret, space separated, so receivers holding
 * either the current or the previous secret accept the request during a rotation.
 */
export async function signatureHeader(secrets: readonly string[], content: SignedContent): Promise<string> {
  const signatures = await Promise.all(
    distinctSigningSecrets(secrets).map((secret) => signMessage({ ...content, secret })),
  );
  return signatures.join(" ");
}

export function distinctSigningSecrets(secrets: readonly string[]): string[] {
  const distinct = [...new Set(secrets)];
  if (distinct.length === 0) throw new RangeError("secrets: at least one secret is needed to sign");
  return distinct;
}

export function signedContent({ msgId, timestamp, body }: SignedContent): Uint8Array<ArrayBuffer> {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new RangeError(`timestamp: expected whole unix seconds, got ${timestamp}`);
  }
  if (msgId.length === 0) throw new RangeError("msgId: must not be empty");
  const prefix = textEncoder.encode(`${msgId}.${timestamp}.`);
  const bodyBytes = typeof body === "string" ? textEncoder.encode(body) : body;
  const content = new Uint8Array(prefix.length + bodyBytes.length);
  content.set(prefix, 0);
  content.set(bodyBytes, prefix.length);
  return content;
}

export async function hmacSha256(
  key: Uint8Array<ArrayBuffer>,
  data: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array> {
  const cryptoKey = await globalThis.crypto.subtle.importKey(
    "raw",
    key,
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return new Uint8Array(await globalThis.crypto.subtle.sign("HMAC", cryptoKey, data));
}
