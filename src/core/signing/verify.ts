import { base64ToBytes } from "./base64";
import { hmacSha256, SIGNATURE_VERSION, signedContent } from "./sign";
import { secretKeyBytes } from "./secret";

/** Standard Webhooks' recommended replay window. */
export const DEFAULT_TOLERANCE_SECONDS = 5 * 60;

export type WebhookVerificationReason =
  | "missing-headers"
  | "bad-timestamp"
  | "timestamp-too-old"
  | "timestamp-in-future"
  | "no-matching-signature"
  | "invalid-json";

export class WebhookVerificationError extends Error {
  override name = "WebhookVerificationError";
  constructor(
    readonly reason: WebhookVerificationReason,
    message: string,
  ) {
    super(message);
  }
}

/** A Fetch `Headers` object or Node's `IncomingHttpHeaders`-style record. */
export type WebhookHeaders =
  { get(name: string): string | null } | Readonly<Record<string, string | readonly string[] | undefined>>;

export type VerifyWebhookOptions = (
  { secret: string; secrets?: never } | { secrets: readonly string[]; secret?: never }
) & {
  headers: WebhookHeaders;
  /** The raw request body, exactly as received (not re-serialised JSON). */
  body: string | Uint8Array;
  toleranceSeconds?: number;
  now?: Date;
};

/**
 * Checks a request's Standard Webhooks signature and timestamp and returns its parsed JSON payload.
 * Throws `WebhookVerificationError` (with a `reason`) for a request that must be rejected, and
 * `InvalidSecretError` when the secret itself is malformed (a configuration error, not a bad request).
 */
export async function verifyWebhook<Payload = unknown>(options: VerifyWebhookOptions): Promise<Payload> {
  const secrets = options.secrets ?? [options.secret];
  if (secrets.length === 0) throw new RangeError("secrets: at least one secret is needed to verify");
  const keys = secrets.map((secret) => secretKeyBytes(secret));

  const msgId = readHeader(options.headers, "webhook-id");
  const timestampText = readHeader(options.headers, "webhook-timestamp");
  const signatureText = readHeader(options.headers, "webhook-signature");
  if (!msgId || !timestampText || !signatureText) {
    throw new WebhookVerificationError(
      "missing-headers",
      "webhook-id, webhook-timestamp and webhook-signature headers are all required",
    );
  }

  const timestamp = parseTimestamp(timestampText);
  const toleranceSeconds = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (nowSeconds - timestamp > toleranceSeconds) {
    throw new WebhookVerificationError("timestamp-too-old", "webhook-timestamp is older than the tolerance");
  }
  if (timestamp - nowSeconds > toleranceSeconds) {
    throw new WebhookVerificationError("timestamp-in-future", "webhook-timestamp is too far in the future");
  }

  const content = signedContent({ msgId, timestamp, body: options.body });
  const expectedSignatures = await Promise.all(keys.map((key) => hmacSha256(key, content)));
  const receivedSignatures = parseSignatures(signatureText);
  // Every pair is compared, without stopping at the first match, so timing says nothing about which matched.
  let matched = false;
  for (const received of receivedSignatures) {
    for (const expected of expectedSignatures) {
      if (constantTimeEqual(received, expected)) matched = true;
    }
  }
  if (!matched) {
    throw new WebhookVerificationError("no-matching-signature", "no webhook-signature matches the secret");
  }

  const bodyText = typeof options.body === "string" ? options.body : new TextDecoder().decode(options.body);
  try {
    return JSON.parse(bodyText) as Payload;
  } catch {
    throw new WebhookVerificationError("invalid-json", "the signed body is not valid JSON");
  }
}

function parseTimestamp(text: string): number {
  const timestamp = /^\d{1,15}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!Number.isSafeInteger(timestamp)) {
    throw new WebhookVerificationError("bad-timestamp", "webhook-timestamp must be whole unix seconds");
  }
  return timestamp;
}

/** `v1,<base64>` entries, space separated; other versions (e.g. asymmetric `v1a`) are ignored. */
function parseSignatures(header: string): Uint8Array[] {
  const signatures: Uint8Array[] = [];
  for (const entry of header.split(" ")) {
    const comma = entry.indexOf(",");
    if (comma < 0 || entry.slice(0, comma) !== SIGNATURE_VERSION) continue;
    const bytes = base64ToBytes(entry.slice(comma + 1));
    if (bytes) signatures.push(bytes);
  }
  return signatures;
}

function constantTimeEqual(left: Uint8Array, right: Uint8Array): boolean {
  if (left.length !== right.length) return false;
  let difference = 0;
  for (let index = 0; index < left.length; index++) difference |= left[index]! ^ right[index]!;
  return difference === 0;
}

function readHeader(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof headers.get === "function") {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  for (const [key, value] of Object.entries(
    headers as Record<string, string | readonly string[] | undefined>,
  )) {
    if (key.toLowerCase() !== name || value === undefined) continue;
    return typeof value === "string" ? value : value.join(" ");
  }
  return undefined;
}
