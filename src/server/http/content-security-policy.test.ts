import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, newNonce } from "./content-security-policy";

describe("contentSecurityPolicy", () => {
  it("lets scripts and styles run only from this origin or with the nonce, and forbids framing", () => {
    const policy = contentSecurityPolicy("abc123==");
    expect(policy).toContain("script-src 'self' 'nonce-abc123==' 'strict-dynamic'");
    expect(policy).toContain("style-src 'self' 'nonce-abc123=='");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).toContain("style-src-attr 'unsafe-inline'");
    expect(policy.replace("style-src-attr 'unsafe-inline'", "")).not.toMatch(/unsafe-inline|unsafe-eval/);
  });

  it("lets the listed origins frame a page (the customer portal) and show its logo", () => {
    const policy = contentSecurityPolicy("n", {
      frameAncestors: ["https://app.example.com", "http://127.0.0.1:3225"],
      imageOrigins: ["https://cdn.example.com"],
    });
    expect(policy).toContain("frame-ancestors https://app.example.com http://127.0.0.1:3225");
    expect(policy).toContain("img-src 'self' blob: data: https://cdn.example.com");
    expect(contentSecurityPolicy("n", { frameAncestors: [] })).toContain("frame-ancestors 'none'");
  });

  it("allows eval only in development, where React needs it", () => {
    expect(contentSecurityPolicy("n", { development: true })).toContain("'unsafe-eval'");
  });
});

describe("newNonce", () => {
  it("is 128 random bits in base64, fresh each time", () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(Buffer.from(nonce, "base64")).toHaveLength(16);
  });
});
