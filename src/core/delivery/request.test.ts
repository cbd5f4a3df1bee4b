import { describe, expect, it } from "vitest";
import { generateSecret } from "../signing/secret";
import { verifyWebhook } from "../signing/verify";
import { customHeaderProblems, MAX_CUSTOM_HEADERS, usableCustomHeaders } from "./custom-headers";
import { buildDeliveryRequest, REDACTED_HEADER_VALUE, recordableHeaders } from "./request";
import { USER_AGENT } from "./user-agent";

const base = {
  deliveryId: "dlv_123",
  eventId: "evt_456",
  hookName: "person.created",
  hookVersion: 2,
  payload: { name: "John", address: "Main St 1" },
  eventCreatedAt: new Date("2026-03-01T12:00:00.000Z"),
  envelope: false,
  attemptAt: new Date("2026-03-02T08:00:00.500Z"),
};

describe("buildDeliveryRequest", () => {
  it("sends the projected payload itself with the Standard Webhooks and Durian headers", async () => {
    const secret = generateSecret();
    const request = await buildDeliveryRequest({ ...base, secrets: [secret] });
    expect(JSON.parse(request.body)).toEqual(base.payload);
    expect(request.headers).toMatchObject({
      "content-type": "application/json",
      "user-agent": USER_AGENT,
      "webhook-id": "dlv_123",
      "webhook-timestamp": String(Math.floor(base.attemptAt.getTime() / 1000)),
      "durian-hook": "person.created",
      "durian-event-id": "evt_456",
      "durian-hook-version": "2",
    });
    expect(request.headers).not.toHaveProperty("durian-listener-config");
    expect(USER_AGENT).toMatch(/^Durian\/\d+\.\d+\.\d+/);
    const payload = await verifyWebhook({
      secret,
      headers: request.headers,
      body: request.body,
      now: base.attemptAt,
    });
    expect(payload).toEqual(base.payload);
  });

  it("wraps the payload in an envelope when the listener asks, stable across attempts", async () => {
    const secrets = [generateSecret()];
    const first = await buildDeliveryRequest({ ...base, envelope: true, secrets });
    const retry = await buildDeliveryRequest({
      ...base,
      envelope: true,
      secrets,
      attemptAt: new Date("2026-03-03T00:00:00Z"),
    });
    expect(JSON.parse(first.body)).toEqual({
      type: "person.created",
      version: 2,
      timestamp: "2026-03-01T12:00:00.000Z",
      data: base.payload,
    });
    expect(retry.body).toBe(first.body);
    expect(retry.headers["webhook-id"]).toBe(first.headers["webhook-id"]);
    expect(retry.headers["webhook-timestamp"]).not.toBe(first.headers["webhook-timestamp"]);
  });

  it("carries the listener's config in the envelope and, as ASCII JSON, in a header", async () => {
    const config = { format: "xml", team: "équipe", include_address: true };
    const request = await buildDeliveryRequest({
      ...base,
      envelope: true,
      config,
      secrets: [generateSecret()],
    });
    expect(JSON.parse(request.body)).toMatchObject({ version: 2, config });
    expect(request.headers["durian-listener-config"]).toBe(
      '{"format":"xml","team":"\\u00e9quipe","include_address":true}',
    );
    expect(JSON.parse(request.headers["durian-listener-config"]!)).toEqual(config);
  });

  it("signs with both secrets during a rotation", async () => {
    const [current, previous] = [generateSecret(), generateSecret()];
    const request = await buildDeliveryRequest({ ...base, secrets: [current, previous] });
    expect(request.headers["webhook-signature"]?.split(" ")).toHaveLength(2);
    for (const secret of [current, previous]) {
      await expect(
        verifyWebhook({ secret, headers: request.headers, body: request.body, now: base.attemptAt }),
      ).resolves.toEqual(base.payload);
    }
  });

  it("adds custom headers but never lets them override Durian's, whatever their case", async () => {
    const request = await buildDeliveryRequest({
      ...base,
      secrets: [generateSecret()],
      customHeaders: {
        "X-Team": "payments",
        "Webhook-Id": "spoofed",
        "Content-Type": "text/plain",
        Host: "evil.example",
      },
    });
    expect(request.headers["x-team"]).toBe("payments");
    expect(request.headers["webhook-id"]).toBe("dlv_123");
    expect(request.headers["content-type"]).toBe("application/json");
    expect(Object.keys(request.headers).filter((name) => name.toLowerCase() === "webhook-id")).toHaveLength(
      1,
    );
    expect(Object.keys(request.headers).some((name) => name.toLowerCase() === "host")).toBe(false);
    expect(request.droppedHeaders.map((problem) => problem.header).sort()).toEqual([
      "Content-Type",
      "Host",
      "Webhook-Id",
    ]);
  });

  it("records headers without credentials but with the signature", async () => {
    const request = await buildDeliveryRequest({
      ...base,
      secrets: [generateSecret()],
      customHeaders: { Authorization: "Bearer s3cr3t", "X-Api-Key": "k", "X-Team": "payments" },
    });
    expect(request.headers.authorization).toBe("Bearer s3cr3t");
    expect(request.recordedHeaders).toMatchObject({
      authorization: REDACTED_HEADER_VALUE,
      "x-api-key": REDACTED_HEADER_VALUE,
      "x-team": "payments",
      "webhook-signature": request.headers["webhook-signature"],
    });
    expect(JSON.stringify(request.recordedHeaders)).not.toContain("s3cr3t");
    expect(recordableHeaders({ Cookie: "a=b", "X-Session-Token": "t" })).toEqual({
      Cookie: REDACTED_HEADER_VALUE,
      "X-Session-Token": REDACTED_HEADER_VALUE,
    });
  });
});

describe("customHeaderProblems", () => {
  it("accepts ordinary headers and nothing at all", () => {
    expect(customHeaderProblems({ Authorization: "Bearer x", "X-Custom_1": "a b\tc" })).toEqual([]);
    expect(customHeaderProblems(undefined)).toEqual([]);
    expect(customHeaderProblems({})).toEqual([]);
  });

  it.each([
    ["webhook-signature", "v1,forged", /set by Durian/],
    ["USER-AGENT", "curl", /set by Durian/],
    ["durian-anything", "x", /reserved for Durian/],
    ["Webhook-Future", "x", /reserved for Durian/],
    ["Host", "internal", /connection-level/],
    ["content-length", "0", /connection-level/],
    ["Transfer-Encoding", "chunked", /connection-level/],
    ["Connection", "close", /connection-level/],
    ["Proxy-Authorization", "x", /connection-level/],
    ["bad header", "x", /not a valid header name/],
    ["x-newline", "a\r\nX-Injected: 1", /printable ASCII/],
    ["x-unicode", "café", /printable ASCII/],
    ["x-long", "a".repeat(5000), /longer than/],
    ["x-number", 5, /must be a string/],
  ])("refuses %s, naming the header", (name, value, message) => {
    const problems = customHeaderProblems({ [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.header).toBe(name);
    expect(problems[0]?.message).toMatch(message);
    expect(problems[0]?.message.startsWith(`headers.${name}: `)).toBe(true);
  });

  it("refuses duplicates differing in case, too many headers and non-objects", () => {
    expect(customHeaderProblems({ "X-A": "1", "x-a": "2" })[0]?.message).toMatch(/appears twice/);
    const many = Object.fromEntries(
      Array.from({ length: MAX_CUSTOM_HEADERS + 1 }, (_, index) => [`x-h${index}`, "v"]),
    );
    expect(customHeaderProblems(many)[0]?.message).toMatch(/at most 20/);
    expect(customHeaderProblems(["x"])[0]?.message).toMatch(/expected an object/);
    expect(customHeaderProblems("x-a: 1")[0]?.message).toMatch(/expected an object/);
  });

  it("drops what it refuses and lower-cases the rest", () => {
    expect(usableCustomHeaders({ "X-Team": "a", host: "b" })).toEqual({
      headers: { "x-team": "a" },
      dropped: [{ header: "host", message: expect.stringMatching(/connection-level/) }],
    });
  });
});
