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
    expect(allowlistAllowsHostname(allowlist, "receiver.internal", 443)).toBe(true);
    expect(allowlistAllowsHostname(allowlist, "RECEIVER.internal.", 443)).toBe(true);
    expect(allowlistAllowsHostname(allowlist, "other.internal", 443)).toBe(false);
    expect(allowlistAllowsAddress(allowlist, "127.0.0.1", 443)).toBe(true);
    expect(allowlistAllowsAddress(allowlist, "127.0.0.2", 443)).toBe(false);
    expect(allowlistAllowsAddress(allowlist, "10.200.3.4", 443)).toBe(true);
    expect(allowlistAllowsAddress(allowlist, "::1", 443)).toBe(true);
    expect(allowlistAllowsAddress(allowlist, "fd12::1", 443)).toBe(true);
    expect(allowlistAllowsAddress(allowlist, "fe80::1", 443)).toBe(false);
    expect(allowlistAllowsAddress(parseAllowlist(["192.168.0.0/16"]), "192.168.4.5", 443)).toBe(true);
  });

  it("matches IPv4-mapped IPv6 addresses against IPv4 entries", () => {
    const allowlist = parseAllowlist("127.0.0.1,::ffff:10.0.0.5");
    expect(allowlistAllowsAddress(allowlist, "::ffff:127.0.0.1", 443)).toBe(true);
    expect(allowlistAllowsAddress(allowlist, "10.0.0.5", 443)).toBe(true);
  });

  it("limits an entry that names a port to that port", () => {
    const allowlist = parseAllowlist("127.0.0.1:4000, localhost:4000, [::1]:4000, Receiver.Internal.:8443");
    expect(allowlistAllowsAddress(allowlist, "127.0.0.1", 4000)).toBe(true);
    expect(allowlistAllowsAddress(allowlist, "127.0.0.1", 5432)).toBe(false);
    expect(allowlistAllowsAddress(allowlist, "::ffff:127.0.0.1", 4000)).toBe(true);
    expect(allowlistAllowsAddress(allowlist, "::1", 4000)).toBe(true);
    expect(allowlistAllowsAddress(allowlist, "::1", 4001)).toBe(false);
    expect(allowlistAllowsHostname(allowlist, "localhost", 4000)).toBe(true);
    expect(allowlistAllowsHostname(allowlist, "localhost", 80)).toBe(false);
    expect(allowlistAllowsHostname(allowlist, "receiver.internal", 8443)).toBe(true);
    expect(allowlistAllowsHostname(allowlist, "receiver.internal", 443)).toBe(false);
  });

  it("allows every port of an entry without one, beside a narrower entry for the same host", () => {
    const allowlist = parseAllowlist("127.0.0.1:4000,127.0.0.1,10.0.0.0/8,[fd00::/8],localhost");
    for (const port of [1, 80, 4000, 5432, 65535]) {
      expect(allowlistAllowsAddress(allowlist, "127.0.0.1", port)).toBe(true);
      expect(allowlistAllowsAddress(allowlist, "10.1.2.3", port)).toBe(true);
      expect(allowlistAllowsAddress(allowlist, "fd00::9", port)).toBe(true);
      expect(allowlistAllowsHostname(allowlist, "localhost", port)).toBe(true);
    }
  });

  it("reads a bare IPv6 address as an address, not as host and port", () => {
    const allowlist = parseAllowlist("::1,::ffff:10.0.0.5");
    expect(allowlistAllowsAddress(allowlist, "::1", 5432)).toBe(true);
    expect(allowlistAllowsAddress(allowlist, "10.0.0.5", 5432)).toBe(true);
  });

  it("is empty for empty or missing text", () => {
    for (const empty of [undefined, null, "", " , "]) {
      const allowlist = parseAllowlist(empty);
      expect(allowlist.hostnames).toHaveLength(0);
      expect(allowlist.ranges).toHaveLength(0);
    }
  });

  it.each([
    ["10.0.0.0/33", /not a valid CIDR/],
    ["10.0.0/8", /not a valid CIDR/],
    ["localhost:", /invalid port/],
    ["localhost:0", /invalid port/],
    ["localhost:65536", /invalid port/],
    ["127.0.0.1:http", /invalid port/],
    ["[::1]:-1", /invalid port/],
    ["10.0.0.0/8:80", /ranges take no port/],
    ["[fd00::/8]:80", /ranges take no port/],
    ["exa mple.com:80", /not a host name/],
    ["*.example.com", /wildcard/],
    ["exa mple.com", /not a host name/],
    ["-bad-.com", /not a host name/],
  ])("rejects %s, naming the entry", (entry, message) => {
    expect(() => parseAllowlist(`127.0.0.1,${entry}`)).toThrow(AllowlistParseError);
    expect(() => parseAllowlist(`127.0.0.1,${entry}`)).toThrow(message);
    expect(() => parseAllowlist(entry)).toThrow(entry);
  });
});
