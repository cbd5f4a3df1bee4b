import { describe, expect, it } from "vitest";
import {
  AllowlistParseError,
  allowlistAllowsAddress,
  allowlistAllowsHostname,
  parseAllowlist,
} from "./allowlist";

describe("parseAllowlist", () => {
  it("reads host names, IPs and CIDR ranges from comma-separated text or a list", () => {
    const allowlist = parseAllowlist(" 127.0.0.1, Receiver.Internal. ,10.0.0.0/8, [::1], fd00::/8 ,,");
    expect(allowlistAllowsHostname(allowlist, "receiver.internal")).toBe(true);
    expect(allowlistAllowsHostname(allowlist, "RECEIVER.internal.")).toBe(true);
    expect(allowlistAllowsHostname(allowlist, "other.internal")).toBe(false);
    expect(allowlistAllowsAddress(allowlist, "127.0.0.1")).toBe(true);
    expect(allowlistAllowsAddress(allowlist, "127.0.0.2")).toBe(false);
    expect(allowlistAllowsAddress(allowlist, "10.200.3.4")).toBe(true);
    expect(allowlistAllowsAddress(allowlist, "::1")).toBe(true);
    expect(allowlistAllowsAddress(allowlist, "fd12::1")).toBe(true);
    expect(allowlistAllowsAddress(allowlist, "fe80::1")).toBe(false);
    expect(allowlistAllowsAddress(parseAllowlist(["192.168.0.0/16"]), "192.168.4.5")).toBe(true);
  });

  it("matches IPv4-mapped IPv6 addresses against IPv4 entries", () => {
    const allowlist = parseAllowlist("127.0.0.1,::ffff:10.0.0.5");
    expect(allowlistAllowsAddress(allowlist, "::ffff:127.0.0.1")).toBe(true);
    expect(allowlistAllowsAddress(allowlist, "10.0.0.5")).toBe(true);
  });

  it("is empty for empty or missing text", () => {
    for (const empty of [undefined, null, "", " , "]) {
      const allowlist = parseAllowlist(empty);
      expect(allowlist.hostnames.size).toBe(0);
      expect(allowlist.ranges).toHaveLength(0);
    }
  });

  it.each([
    ["10.0.0.0/33", /not a valid CIDR/],
    ["10.0.0/8", /not a valid CIDR/],
    ["localhost:3000", /without ports/],
    ["*.example.com", /wildcard/],
    ["exa mple.com", /not a host name/],
    ["-bad-.com", /not a host name/],
  ])("rejects %s, naming the entry", (entry, message) => {
    expect(() => parseAllowlist(`127.0.0.1,${entry}`)).toThrow(AllowlistParseError);
    expect(() => parseAllowlist(`127.0.0.1,${entry}`)).toThrow(message);
    expect(() => parseAllowlist(entry)).toThrow(entry);
  });
});
