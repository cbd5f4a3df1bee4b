import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_TOLERANCE_SECONDS,
  generateSecret,
  InvalidSecretError,
  previousSecretExpiry,
  SECRET_ROTATION_WINDOW_MS,
  signatureHeader,
  signingSecrets,
  signMessage,
  verifyWebhook,
  WebhookVerificationError,
  type WebhookVerificationReason,
} from "./index";
import { signatureHeaderOnNode } from "./sign-on-node";

// The example published with the Standard Webhooks / Svix reference libraries.
const REFERENCE = {
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  msgId: "msg_p5jXN8AQM9LWM0D4loKWxJek",
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
};

function nodeSignature(secret: string, msgId: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.slice("whsec_".length), "base64");
  return "v1," + createHmac("sha256", key).update(`${msgId}.${timestamp}.${body}`).digest("base64");
}

async function expectRejection(promise: Promise<unknown>, reason: WebhookVerificationReason) {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(WebhookVerificationError);
  expect((error as WebhookVerificationError).reason).toBe(reason);
}

describe("generateSecret", () => {
  it("makes whsec_ secrets of 32 random bytes, different every time", () => {
    const first = generateSecret();
    const second = generateSecret();
    expect(first).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(first.slice(6), "base64")).toHaveLength(32);
    expect(first).not.toBe(second);
  });
});

describe("signMessage", () => {
  it("reproduces the Standard Webhooks reference signature", async () => {
    await expect(signMessage(REFERENCE)).resolves.toBe(REFERENCE.signature);
  });

  it("agrees with node:crypto HMAC for a generated secret and a UTF-8 body", async () => {
    const secret = generateSecret();
    const body = JSON.stringify({ name: "Jürgen 🍈", n: 1 });
    const signature = await signMessage({ secret, msgId: "dlv_1", timestamp: 1_700_000_000, body });
    expect(signature).toBe(nodeSignature(secret, "dlv_1", 1_700_000_000, body));
  });

  it("refuses malformed secrets with a clear error", async () => {
    const content = { msgId: "m", timestamp: 1, body: "{}" };
    await expect(signMessage({ ...content, secret: "whsec_not base64!" })).rejects.toThrow(
      InvalidSecretError,
    );
    await expect(signMessage({ ...content, secret: "whsec_c2hvcnQ=" })).rejects.toThrow(/24–64 bytes, got 5/);
  });
});

describe("signatureHeader", () => {
  it("signs with every secret, space separated, and de-duplicates", async () => {
    const current = generateSecret();
    const previous = generateSecret();
    const content = { msgId: "dlv_1", timestamp: 1_700_000_000, body: "{}" };
    const header = await signatureHeader([current, previous, current], content);
    expect(header.split(" ")).toEqual([
      nodeSignature(current, "dlv_1", 1_700_000_000, "{}"),
      nodeSignature(previous, "dlv_1", 1_700_000_000, "{}"),
    ]);
  });

  it("is made the same by the runner's synchronous signer, for the reference and a rotation", async () => {
    expect(signatureHeaderOnNode([REFERENCE.secret], REFERENCE)).toBe(REFERENCE.signature);
    const secrets = [generateSecret(), generateSecret()];
    const content = { msgId: "dlv_2", timestamp: 1_700_000_001, body: JSON.stringify({ name: "Jürgen 🍈" }) };
    expect(signatureHeaderOnNode(secrets, content)).toBe(await signatureHeader(secrets, content));
    expect(() => signatureHeaderOnNode([], content)).toThrow(/at least one secret/);
  });
});

describe("signingSecrets (rotation window)", () => {
  const rotatedAt = new Date("2026-01-01T00:00:00Z");
  const listener = {
    secret: "new",
    previousSecret: "old",
    previousSecretUntil: previousSecretExpiry(rotatedAt),
  };

  it("signs with both secrets inside the window and only the current one after it", () => {
    expect(signingSecrets(listener, new Date(rotatedAt.getTime() + SECRET_ROTATION_WINDOW_MS - 1))).toEqual([
      "new",
      "old",
    ]);
    expect(signingSecrets(listener, new Date(rotatedAt.getTime() + SECRET_ROTATION_WINDOW_MS))).toEqual([
      "new",
    ]);
    expect(signingSecrets({ secret: "new" }, rotatedAt)).toEqual(["new"]);
  });
});

describe("verifyWebhook", () => {
  const now = new Date(REFERENCE.timestamp * 1000);
  const referenceHeaders = {
    "webhook-id": REFERENCE.msgId,
    "webhook-timestamp": String(REFERENCE.timestamp),
    "webhook-signature": REFERENCE.signature,
  };

  it("returns the parsed payload of a correctly signed request (record or Headers)", async () => {
    const options = { secret: REFERENCE.secret, body: REFERENCE.body, now };
    await expect(verifyWebhook({ ...options, headers: referenceHeaders })).resolves.toEqual({
      test: 2432232314,
    });
    const upperCase = {
      "Webhook-Id": REFERENCE.msgId,
      "WEBHOOK-TIMESTAMP": String(REFERENCE.timestamp),
      "webhook-signature": REFERENCE.signature,
    };
    await expect(verifyWebhook({ ...options, headers: upperCase })).resolves.toEqual({ test: 2432232314 });
    await expect(verifyWebhook({ ...options, headers: new Headers(referenceHeaders) })).resolves.toEqual({
      test: 2432232314,
    });
    await expect(
      verifyWebhook({
        ...options,
        body: new TextEncoder().encode(REFERENCE.body),
        headers: referenceHeaders,
      }),
    ).resolves.toEqual({ test: 2432232314 });
  });

  it("rejects a tampered body, id or timestamp", async () => {
    const base = { secret: REFERENCE.secret, now };
    await expectRejection(
      verifyWebhook({ ...base, headers: referenceHeaders, body: '{"test": 2432232315}' }),
      "no-matching-signature",
    );
    await expectRejection(
      verifyWebhook({
        ...base,
        headers: { ...referenceHeaders, "webhook-id": "msg_other" },
        body: REFERENCE.body,
      }),
      "no-matching-signature",
    );
    await expectRejection(
      verifyWebhook({
        ...base,
        headers: { ...referenceHeaders, "webhook-timestamp": String(REFERENCE.timestamp + 1) },
        body: REFERENCE.body,
      }),
      "no-matching-signature",
    );
  });

  it("rejects the wrong secret and signatures of another version", async () => {
    await expectRejection(
      verifyWebhook({ secret: generateSecret(), headers: referenceHeaders, body: REFERENCE.body, now }),
      "no-matching-signature",
    );
    const otherVersion = {
      ...referenceHeaders,
      "webhook-signature": REFERENCE.signature.replace("v1,", "v2,"),
    };
    await expectRejection(
      verifyWebhook({ secret: REFERENCE.secret, headers: otherVersion, body: REFERENCE.body, now }),
      "no-matching-signature",
    );
  });

  it("enforces the timestamp tolerance both ways, with a 5-minute default", async () => {
    const verifyAt = (offsetSeconds: number, toleranceSeconds?: number) =>
      verifyWebhook({
        secret: REFERENCE.secret,
        headers: referenceHeaders,
        body: REFERENCE.body,
        now: new Date((REFERENCE.timestamp + offsetSeconds) * 1000),
        toleranceSeconds,
      });
    expect(DEFAULT_TOLERANCE_SECONDS).toBe(300);
    await expect(verifyAt(300)).resolves.toBeDefined();
    await expectRejection(verifyAt(301), "timestamp-too-old");
    await expectRejection(verifyAt(-301), "timestamp-in-future");
    await expect(verifyAt(3600, 7200)).resolves.toBeDefined();
  });

  it("reports missing headers and malformed timestamps", async () => {
    const { "webhook-signature": _omitted, ...withoutSignature } = referenceHeaders;
    await expectRejection(
      verifyWebhook({ secret: REFERENCE.secret, headers: withoutSignature, body: REFERENCE.body, now }),
      "missing-headers",
    );
    await expectRejection(
      verifyWebhook({
        secret: REFERENCE.secret,
        headers: { ...referenceHeaders, "webhook-timestamp": "2021-02-25T15:02:10Z" },
        body: REFERENCE.body,
        now,
      }),
      "bad-timestamp",
    );
  });

  it("accepts a rotation header signed by both secrets with either secret, and rejects others", async () => {
    const current = generateSecret();
    const previous = generateSecret();
    const timestamp = 1_700_000_000;
    const body = '{"name":"John"}';
    const headers = {
      "webhook-id": "dlv_rotation",
      "webhook-timestamp": String(timestamp),
      "webhook-signature": await signatureHeader([current, previous], {
        msgId: "dlv_rotation",
        timestamp,
        body,
      }),
    };
    const at = new Date(timestamp * 1000);
    await expect(verifyWebhook({ secret: current, headers, body, now: at })).resolves.toEqual({
      name: "John",
    });
    await expect(verifyWebhook({ secret: previous, headers, body, now: at })).resolves.toEqual({
      name: "John",
    });
    await expect(
      verifyWebhook({ secrets: [generateSecret(), previous], headers, body, now: at }),
    ).resolves.toEqual({
      name: "John",
    });
    await expectRejection(
      verifyWebhook({ secret: generateSecret(), headers, body, now: at }),
      "no-matching-signature",
    );
  });

  it("reports a signed body that is not JSON", async () => {
    const secret = generateSecret();
    const headers = {
      "webhook-id": "m",
      "webhook-timestamp": "100",
      "webhook-signature": await signMessage({ secret, msgId: "m", timestamp: 100, body: "not json" }),
    };
    await expectRejection(
      verifyWebhook({ secret, headers, body: "not json", now: new Date(100_000) }),
      "invalid-json",
    );
  });
});
