import ipaddr from "ipaddr.js";
import { isIpAddress, normalizedAddress } from "./address-ranges";

/** A port an entry is limited to, or null when the entry allows every port. */
export type AllowedPort = number | null;

export interface AllowedHostname {
  readonly hostname: string;
  readonly port: AllowedPort;
}

export interface AllowedRange {
  readonly network: ipaddr.IPv4 | ipaddr.IPv6;
  readonly prefix: number;
  readonly port: AllowedPort;
}

/**
 * Destinations exempt from the address checks, parsed from `DURIAN_ALLOWED_HOSTS`-style text:
 * comma-separated host names (exact), IP addresses and CIDR ranges, e.g. `127.0.0.1,localhost,10.0.0.0/8`.
 * A host name or address may name one port (`localhost:4000`, `127.0.0.1:4000`, `[::1]:4000`); without
 * one, every port of it is allowed.
 */
export interface DestinationAllowlist {
  readonly hostnames: readonly AllowedHostname[];
  readonly ranges: readonly AllowedRange[];
}

export const EMPTY_ALLOWLIST: DestinationAllowlist = Object.freeze({ hostnames: [], ranges: [] });

export class AllowlistParseError extends Error {
  override name = "AllowlistParseError";
}

const HOSTNAME_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const BRACKETED_HOST = /^\[([^\]]*)\](?::(.*))?$/;
const MAX_PORT = 65535;

/** Accepts the raw comma-separated text or its entries already split; throws `AllowlistParseError`. */
export function parseAllowlist(entries: string | readonly string[] | null | undefined): DestinationAllowlist {
  const hostnames: AllowedHostname[] = [];
  const ranges: AllowedRange[] = [];
  const rawEntries = typeof entries === "string" ? entries.split(",") : (entries ?? []);
  for (const rawEntry of rawEntries) {
    const entry = rawEntry.trim();
    if (entry === "") continue;
    const { host, port } = splitPort(entry);
    if (host.includes("/")) {
      if (port !== null)
        throw new AllowlistParseError(`allowed hosts: "${entry}" is a range; ranges take no port`);
      ranges.push(parseRange(entry, host));
    } else if (isIpAddress(host)) {
      const network = normalizedAddress(host);
      ranges.push({ network, prefix: network.kind() === "ipv4" ? 32 : 128, port });
    } else {
      hostnames.push({ hostname: parseHostname(entry, host), port });
    }
  }
  return { hostnames, ranges };
}

/**
 * `host:port`, `[ipv6]:port`, `[ipv6]` or a bare host. A bare IPv6 address has several colons and no
 * port: a port after an IPv6 address needs the brackets, as in a URL.
 */
function splitPort(entry: string): { host: string; port: AllowedPort } {
  const bracketed = BRACKETED_HOST.exec(entry);
  if (bracketed) {
    const [, host = "", port] = bracketed;
    return { host, port: port === undefined ? null : parsePort(entry, port) };
  }
  const colons = entry.split(":").length - 1;
  if (colons !== 1) return { host: entry, port: null };
  const [host = "", port = ""] = entry.split(":");
  return { host, port: parsePort(entry, port) };
}

function parsePort(entry: string, text: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 1 && port <= MAX_PORT)) {
    throw new AllowlistParseError(`allowed hosts: "${entry}" has an invalid port; expected 1 to ${MAX_PORT}`);
  }
  return port;
}

function parseRange(entry: string, bare: string): AllowedRange {
  const [network = "", prefix = ""] = bare.split("/");
  const valid =
    /^\d{1,3}$/.test(prefix) &&
    (ipaddr.IPv4.isValidFourPartDecimal(network) || ipaddr.IPv6.isValid(network)) &&
    ipaddr.isValidCIDR(bare);
  if (!valid) throw new AllowlistParseError(`allowed hosts: "${entry}" is not a valid CIDR range`);
  const [address, bits] = ipaddr.parseCIDR(bare);
  return { network: address, prefix: bits, port: null };
}

function parseHostname(entry: string, host: string): string {
  if (host.includes("*")) {
    throw new AllowlistParseError(`allowed hosts: "${entry}" uses a wildcard; list each host name`);
  }
  const hostname = canonicalHostname(host);
  if (hostname.length > 253 || !hostname.split(".").every((label) => HOSTNAME_LABEL.test(label))) {
    throw new AllowlistParseError(`allowed hosts: "${entry}" is not a host name, IP address or CIDR range`);
  }
  return hostname;
}

/** Lower case, without the trailing dot of a fully qualified name. */
export function canonicalHostname(hostname: string): string {
  return hostname.toLowerCase().replace(/\.$/, "");
}

/** The port a URL connects to: its own, or its scheme's default. */
export function effectivePort(url: URL): number {
  if (url.port !== "") return Number(url.port);
  return url.protocol === "https:" ? 443 : 80;
}

function portAllowed(allowed: AllowedPort, port: number): boolean {
  return allowed === null || allowed === port;
}

export function allowlistAllowsHostname(
  allowlist: DestinationAllowlist,
  hostname: string,
  port: number,
): boolean {
  const wanted = canonicalHostname(hostname);
  return allowlist.hostnames.some((entry) => entry.hostname === wanted && portAllowed(entry.port, port));
}

export function allowlistAllowsAddress(
  allowlist: DestinationAllowlist,
  address: string,
  port: number,
): boolean {
  if (allowlist.ranges.length === 0) return false;
  const normalized = normalizedAddress(address);
  return allowlist.ranges.some(
    (range) =>
      range.network.kind() === normalized.kind() &&
      normalized.match(range.network, range.prefix) &&
      portAllowed(range.port, port),
  );
}
