import { describe, expect, it } from "vitest";
import * as coreSigning from "@/core/signing";
import { InvalidSecretError, WebhookVerificationError, verifyWebhook } from "./index";

const SECRET = coreSigning.generateSecret();
const NOW = new Date("2026-03-01T12:00:00Z");
const nowSeconds = Math.floor(NOW.getTime() / 1000);

async function signedRequest(body: string, timestamp = nowSeconds, secret = SECRET) {
  const signature = await coreSigning.signatureHeader([secret], { msgId: "dlv_1", timestamp, body });
  return { "webhook-id": "dlv_1", "webhook-timestamp": String(timestamp), "webhook-signature": signature };
}

describe("verifyWebhook (the core's, re-exported)", () => {
  it("is the core implementation, not a second one", () => {
    expect(verifyWebhook).toBe(coreSigning.verifyWebhook);
    expect(WebhookVerificationError).toBe(coreSigning.WebhookVerificationError);
  });

  it("returns the payload of a correctly signed request (Node headers or Fetch Headers)", async () => {
    const body = JSON.stringify({ name: "Joe" });
    const headers = await signedRequest(body);
    await expect(verifyWebhook({ secret: SECRET, headers, body, now: NOW })).resolves.toEqual({
      name: "Joe",
    });
    await expect(
      verifyWebhook({
        secret: SECRET,
        headers: new Headers(headers),
        body: new TextEncoder().encode(body),
        now: NOW,
      }),
    ).resolves.toEqual({ name: "Joe" });
  });

  it("refuses a tampered body, another secret, and missing headers", async () => {
    const headers = await signedRequest('{"name":"Joe"}');
    await expect(
      verifyWebhook({ secret: SECRET, headers, body: '{"name":"Jo"}', now: NOW }),
    ).rejects.toMatchObject({
      reason: "no-matching-signature",
    });
    await expect(
      verifyWebhook({ secret: coreSigning.generateSecret(), headers, body: '{"name":"Joe"}', now: NOW }),
    ).rejects.toBeInstanceOf(WebhookVerificationError);
    await expect(verifyWebhook({ secret: SECRET, headers: {}, body: "{}", now: NOW })).rejects.toMatchObject({
      reason: "missing-headers",
    });
    await expect(
      verifyWebhook({ secret: "whsec_short", headers, body: "{}", now: NOW }),
    ).rejects.toBeInstanceOf(InvalidSecretError);
  });

  it("accepts timestamps within 5 minutes and refuses older or later ones", async () => {
    const body = "{}";
    const fourMinutes = 4 * 60;
    const sixMinutes = 6 * 60;
    await expect(
      verifyWebhook({
        secret: SECRET,
        headers: await signedRequest(body, nowSeconds - fourMinutes),
        body,
        now: NOW,
      }),
    ).resolves.toEqual({});
    await expect(
      verifyWebhook({
        secret: SECRET,
        headers: await signedRequest(body, nowSeconds - sixMinutes),
        body,
        now: NOW,
      }),
    ).rejects.toMatchObject({ reason: "timestamp-too-old" });
    await expect(
      verifyWebhook({
        secret: SECRET,
        headers: await signedRequest(body, nowSeconds + sixMinutes),
        body,
        now: NOW,
      }),
    ).rejects.toMatchObject({ reason: "timestamp-in-future" });
  });
});
