import { describe, expect, it } from "vitest";
import { blockedAddressKind } from "./address-ranges";

describe("blockedAddressKind", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["10.0.0.1", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["100.64.0.1", "carrier-grade-nat"],
    ["100.127.255.255", "carrier-grade-nat"],
    ["169.254.1.1", "link-local"],
    ["169.254.169.254", "cloud-metadata"],
    ["100.100.100.200", "cloud-metadata"],
    ["192.0.0.192", "cloud-metadata"],
    ["0.0.0.0", "unspecified"],
    ["255.255.255.255", "broadcast"],
    ["224.0.0.1", "multicast"],
    ["240.0.0.1", "reserved"],
    ["192.0.2.10", "reserved"],
  ])("refuses IPv4 %s as %s", (address, kind) => {
    expect(blockedAddressKind(address)).toBe(kind);
  });

  it.each([
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fe80::1", "link-local"],
    ["fe80::1%eth0", "link-local"],
    ["febf::1", "link-local"],
    ["fc00::1", "unique-local"],
    ["fd12:3456::1", "unique-local"],
    ["fd00:ec2::254", "cloud-metadata"],
    ["ff02::1", "multicast"],
    ["2001:db8::1", "reserved"],
    ["[::1]", "loopback"],
  ])("refuses IPv6 %s as %s", (address, kind) => {
    expect(blockedAddressKind(address)).toBe(kind);
  });

  it.each([
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:10.1.2.3", "private"],
    ["::ffff:169.254.169.254", "cloud-metadata"],
    ["::ffff:0:a9fe:a9fe", "cloud-metadata"],
    ["64:ff9b::7f00:1", "loopback"],
    ["64:ff9b:1::1", "reserved"],
    ["2002:c0a8:0101::1", "private"],
    ["::7f00:1", "reserved"],
    ["2001:0:4136:e378:8000:63bf:3fff:fdd2", "reserved"],
  ])("judges %s by the IPv4 address it embeds (%s)", (address, kind) => {
    expect(blockedAddressKind(address)).toBe(kind);
  });

  it.each([
    "8.8.8.8",
    "1.1.1.1",
    "172.32.0.1",
    "100.128.0.1",
    "2606:4700:4700::1111",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",
    "2002:808:808::1",
  ])("allows public %s", (address) => {
    expect(blockedAddressKind(address)).toBeNull();
  });

  it("refuses to classify something that is not an IP address", () => {
    expect(() => blockedAddressKind("example.com")).toThrow(/not an IP address/);
    expect(() => blockedAddressKind("0x7f.1")).toThrow(/not an IP address/);
  });
});
