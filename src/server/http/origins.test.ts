import { describe, expect, it } from "vitest";
import { originForBrowser } from "./origins";

const unconfigured = { publicUrl: undefined, fallback: "http://localhost:3000" };

describe("originForBrowser", () => {
  it("is the configured public URL when there is one, whatever host the browser used", () => {
    expect(
      originForBrowser(
        { host: "127.0.0.1:3000", forwardedProto: null },
        { publicUrl: "https://hooks.example.com/", fallback: "http://localhost:3000" },
      ),
    ).toBe("https://hooks.example.com");
  });

  it("is the host the browser is on without a public URL: 127.0.0.1 stays 127.0.0.1", () => {
    expect(originForBrowser({ host: "127.0.0.1:3000", forwardedProto: null }, unconfigured)).toBe(
      "http://127.0.0.1:3000",
    );
    expect(originForBrowser({ host: "[::1]:3000", forwardedProto: null }, unconfigured)).toBe(
      "http://[::1]:3000",
    );
  });

  it("says https when a proxy in front says the browser used it", () => {
    expect(originForBrowser({ host: "durian.lan", forwardedProto: "https, http" }, unconfigured)).toBe(
      "https://durian.lan",
    );
  });

  it("falls back to the public origin without a host, or with one that is not a plain host", () => {
    expect(originForBrowser({ host: null, forwardedProto: null }, unconfigured)).toBe(
      "http://localhost:3000",
    );
    expect(originForBrowser({ host: "evil.test/<script>", forwardedProto: null }, unconfigured)).toBe(
      "http://localhost:3000",
    );
    expect(originForBrowser({ host: "a@b:1", forwardedProto: null }, unconfigured)).toBe(
      "http://localhost:3000",
    );
  });
});
