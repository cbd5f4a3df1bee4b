import { describe, expect, it } from "vitest";
import { checkDestinationUrl, EMPTY_ALLOWLIST, parseAllowlist } from "@/core/delivery";
import {
  allowlistForDestination,
  isOwnInspectorUrl,
  withoutInspectorTrailingSlash,
} from "./own-inspector-url";

const origins = ["http://localhost:3000", "http://127.0.0.1:3000"];

describe("isOwnInspectorUrl", () => {
  it("accepts the inspector route on the app's own origins", () => {
    expect(isOwnInspectorUrl("http://localhost:3000/api/inspect/ckabc123", origins)).toBe(true);
    expect(isOwnInspectorUrl("http://127.0.0.1:3000/api/inspect/ckabc123/", origins)).toBe(true);
  });

  it("refuses other paths, ports, hosts, credentials and query strings on loopback", () => {
    for (const url of [
      "http://localhost:3000/api/v1/hooks",
      "http://localhost:3000/api/inspect/",
      "http://localhost:3000/api/inspect/a/b",
      "http://localhost:3000/api/inspect/../v1/hooks",
      "http://localhost:3000/api/inspect/%2e%2e/v1",
      "http://localhost:3001/api/inspect/ckabc123",
      "http://127.0.0.2:3000/api/inspect/ckabc123",
      "https://localhost:3000/api/inspect/ckabc123",
      "http://user:pw@localhost:3000/api/inspect/ckabc123",
      "http://localhost:3000/api/inspect/ckabc123?x=1",
      "not a url",
    ]) {
      expect(isOwnInspectorUrl(url, origins), url).toBe(false);
    }
  });
});

describe("withoutInspectorTrailingSlash", () => {
  it("drops the slash Next would answer with a 308, on the app's own inspector only", () => {
    expect(withoutInspectorTrailingSlash("http://localhost:3000/api/inspect/ckabc123/", origins)).toBe(
      "http://localhost:3000/api/inspect/ckabc123",
    );
    for (const url of [
      "http://localhost:3000/api/inspect/ckabc123",
      "https://example.com/hooks/",
      "http://localhost:3001/api/inspect/ckabc123/",
    ]) {
      expect(withoutInspectorTrailingSlash(url, origins), url).toBe(url);
    }
  });
});

describe("allowlistForDestination", () => {
  it("widens the allowlist for the app's own inspector only, so the attempt may connect", () => {
    const inspector = "http://127.0.0.1:3000/api/inspect/ckabc123";
    expect(checkDestinationUrl(inspector, EMPTY_ALLOWLIST).allowed).toBe(false);
    const widened = allowlistForDestination(inspector, EMPTY_ALLOWLIST, origins);
    expect(checkDestinationUrl(inspector, widened).allowed).toBe(true);
    // The same object each time, so pooled connections are shared.
    expect(allowlistForDestination(inspector, EMPTY_ALLOWLIST, origins)).toBe(widened);
  });

  it("leaves every other loopback or private destination blocked", () => {
    for (const url of [
      "http://127.0.0.1:3000/api/v1/hooks",
      "http://127.0.0.1:5432/",
      "http://10.0.0.1/api/inspect/x",
    ]) {
      const allowlist = allowlistForDestination(url, EMPTY_ALLOWLIST, origins);
      expect(allowlist, url).toBe(EMPTY_ALLOWLIST);
      expect(checkDestinationUrl(url, allowlist).allowed, url).toBe(false);
    }
  });

  it("keeps what DURIAN_ALLOWED_HOSTS already allows", () => {
    const configured = parseAllowlist("10.0.0.0/8,internal.example");
    const widened = allowlistForDestination("http://localhost:3000/api/inspect/t", configured, origins);
    expect(checkDestinationUrl("http://10.1.2.3/", widened).allowed).toBe(true);
    expect(checkDestinationUrl("http://internal.example/", widened).allowed).toBe(true);
    expect(checkDestinationUrl("http://localhost:3000/api/inspect/t", widened).allowed).toBe(true);
  });
});
