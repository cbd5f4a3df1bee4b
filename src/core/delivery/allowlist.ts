import ipaddr from "ipaddr.js";
import { isIpAddress, normalizedAddress } from "./address-ranges";

/**
 * Destinations exempt from the address checks, parsed from `DURIAN_ALLOWED_HOSTS`-style text:
 * comma-separated host names (exact), IP addresses and CIDR ranges, e.g. `127.0.0.1,localhost,10.0.0.0/8`.
 */
export interface DestinationAllowlist {
  readonly hostnames: ReadonlySet<string>;
  readonly ranges: readonly (readonly [ipaddr.IPv4 | ipaddr.IPv6, number])[];
}

export const EMPTY_ALLOWLIST: DestinationAllowlist = Object.freeze({
  hostnames: new Set<string>(),
  ranges: [],
});

export class AllowlistParseError extends Error {
  override name = "AllowlistParseError";
}

const HOSTNAME_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Accepts the raw comma-separated text or its entries already split; throws `AllowlistParseError`. */
export function parseAllowlist(entries: string | readonly string[] | null | undefined): DestinationAllowlist {
  const hostnames = new Set<string>();
  const ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [];
  const rawEntries = typeof entries === "string" ? entries.split(",") : (entries ?? []);
  for (const rawEntry of rawEntries) {
    const entry = rawEntry.trim();
    if (entry === "") continue;
    const bare = entry.startsWith("[") && entry.endsWith("]") ? entry.slice(1, -1) : entry;
    if (bare.includes("/")) {
      ranges.push(parseRange(entry, bare));
    } else if (isIpAddress(bare)) {
      const address = normalizedAddress(bare);
      ranges.push([address, address.kind() === "ipv4" ? 32 : 128]);
    } else {
      hostnames.add(parseHostname(entry));
    }
  }
  return { hostnames, ranges };
}

function parseRange(entry: string, bare: string): [ipaddr.IPv4 | ipaddr.IPv6, number] {
  const [network = "", prefix = ""] = bare.split("/");
  const valid =
    /^\d{1,3}$/.test(prefix) &&
    (ipaddr.IPv4.isValidFourPartDecimal(network) || ipaddr.IPv6.isValid(network)) &&
    ipaddr.isValidCIDR(bare);
  if (!valid) throw new AllowlistParseError(`allowed hosts: "${entry}" is not a valid CIDR range`);
  return ipaddr.parseCIDR(bare);
}

function parseHostname(entry: string): string {
  if (entry.includes(":")) {
    throw new AllowlistParseError(
      `allowed hosts: "${entry}" has a port or is not a valid address; list host names without ports`,
    );
  }
  if (entry.includes("*")) {
    throw new AllowlistParseError(`allowed hosts: "${entry}" uses a wildcard; list each host name`);
  }
  const hostname = canonicalHostname(entry);
  if (hostname.length > 253 || !hostname.split(".").every((label) => HOSTNAME_LABEL.test(label))) {
    throw new AllowlistParseError(`allowed hosts: "${entry}" is not a host name, IP address or CIDR range`);
  }
  return hostname;
}

/** Lower case, without the trailing dot of a fully qualified name. */
export function canonicalHostname(hostname: string): string {
  return hostname.toLowerCase().replace(/\.$/, "");
}

export function allowlistAllowsHostname(allowlist: DestinationAllowlist, hostname: string): boolean {
  return allowlist.hostnames.has(canonicalHostname(hostname));
}

export function allowlistAllowsAddress(allowlist: DestinationAllowlist, address: string): boolean {
  if (allowlist.ranges.length === 0) return false;
  const normalized = normalizedAddress(address);
  return allowlist.ranges.some(
    ([network, prefix]) => network.kind() === normalized.kind() && normalized.match(network, prefix),
  );
}
