import ipaddr from "ipaddr.js";

/** Why an address is not a public destination. */
export type BlockedAddressKind =
  | "loopback"
  | "private"
  | "carrier-grade-nat"
  | "link-local"
  | "cloud-metadata"
  | "unique-local"
  | "unspecified"
  | "multicast"
  | "broadcast"
  | "reserved";

/** Instance-metadata endpoints; most also fall in a blocked range, named here so refusals say why. */
const CLOUD_METADATA_ADDRESSES = new Set([
  "169.254.169.254", // AWS, GCP, Azure, DigitalOcean, OpenStack…
  "169.254.170.2", // AWS ECS task metadata
  "100.100.100.200", // Alibaba Cloud
  "192.0.0.192", // Oracle Cloud
  "fd00:ec2::254", // AWS IMDS over IPv6
]);

const IPV4_KINDS: Partial<Record<string, BlockedAddressKind>> = {
  loopback: "loopback",
  private: "private",
  carrierGradeNat: "carrier-grade-nat",
  linkLocal: "link-local",
  unspecified: "unspecified",
  multicast: "multicast",
  broadcast: "broadcast",
};

const IPV6_KINDS: Partial<Record<string, BlockedAddressKind>> = {
  loopback: "loopback",
  linkLocal: "link-local",
  uniqueLocal: "unique-local",
  deprecatedSiteLocal: "private",
  unspecified: "unspecified",
  multicast: "multicast",
};

export function isIpAddress(text: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(text) || ipaddr.IPv6.isValid(text);
}

/**
 * Classifies a literal IP address (as DNS returns it or as a URL host holds it, brackets removed):
 * null for a public unicast address, otherwise the kind of address it is. Addresses that embed an
 * IPv4 address (IPv4-mapped, NAT64, 6to4) are judged by the embedded address.
 */
export function blockedAddressKind(address: string): BlockedAddressKind | null {
  const parsed = parseAddress(address);
  if (CLOUD_METADATA_ADDRESSES.has(withoutZone(parsed).toString())) return "cloud-metadata";
  if (parsed.kind() === "ipv4") {
    const range = parsed.range();
    return range === "unicast" ? null : (IPV4_KINDS[range] ?? "reserved");
  }
  const embedded = embeddedIPv4(parsed as ipaddr.IPv6);
  if (embedded !== undefined) return embedded === null ? "reserved" : blockedAddressKind(embedded.toString());
  const range = parsed.range();
  return range === "unicast" ? null : (IPV6_KINDS[range] ?? "reserved");
}

/**
 * The IPv4 address an IPv6 address stands for, null when it embeds one in a way that is never a
 * valid destination, undefined when it embeds none.
 */
function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 | null | undefined {
  const parts = address.parts;
  const lastTwo = (high: number, low: number) =>
    new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
  const range = address.range();
  if (range === "ipv4Mapped" || range === "rfc6145") return lastTwo(parts[6]!, parts[7]!);
  if (range === "rfc6052") {
    // 64:ff9b::/96 is the well-known NAT64 prefix; 64:ff9b:1::/48 is for local use only.
    return parts[2] === 0 ? lastTwo(parts[6]!, parts[7]!) : null;
  }
  if (range === "6to4") return lastTwo(parts[1]!, parts[2]!);
  // Deprecated IPv4-compatible addresses (::a.b.c.d) and Teredo tunnels are never legitimate targets.
  if (range === "teredo") return null;
  const isIPv4Compatible = parts.slice(0, 6).every((part) => part === 0) && range === "unicast";
  return isIPv4Compatible ? null : undefined;
}

function parseAddress(address: string): ipaddr.IPv4 | ipaddr.IPv6 {
  const bare = address.startsWith("[") && address.endsWith("]") ? address.slice(1, -1) : address;
  if (ipaddr.IPv4.isValidFourPartDecimal(bare)) return ipaddr.IPv4.parse(bare);
  if (ipaddr.IPv6.isValid(bare)) return ipaddr.IPv6.parse(bare);
  throw new RangeError(`address: "${address}" is not an IP address`);
}

function withoutZone(address: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  return address.kind() === "ipv6" ? new ipaddr.IPv6((address as ipaddr.IPv6).parts) : address;
}

/** Parses an IP for range matching, with IPv4-mapped IPv6 turned into IPv4. */
export function normalizedAddress(address: string): ipaddr.IPv4 | ipaddr.IPv6 {
  const parsed = parseAddress(address);
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    return (parsed as ipaddr.IPv6).toIPv4Address();
  }
  return withoutZone(parsed);
}
