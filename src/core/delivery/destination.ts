import { type BlockedAddressKind, blockedAddressKind, isIpAddress } from "./address-ranges";
import {
  allowlistAllowsAddress,
  allowlistAllowsHostname,
  canonicalHostname,
  type DestinationAllowlist,
  effectivePort,
} from "./allowlist";

export type DestinationRefusalReason =
  "invalid-url" | "unsupported-protocol" | "credentials-in-url" | "blocked-hostname" | "blocked-address";

/** An allowed check's `url` is shared by every check of the same URL: read it, never change it. */
export type DestinationCheck =
  { allowed: true; url: URL } | { allowed: false; reason: DestinationRefusalReason; message: string };

/** `checkDestination` can also find that the host name does not resolve. */
export type ResolvedDestinationCheck =
  DestinationCheck | { allowed: false; reason: "unresolvable"; message: string };

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Resolves every address of a host name (A and AAAA). Injectable so tests control DNS. */
export type ResolveHost = (hostname: string) => Promise<ResolvedAddress[]>;

/** Names of cloud instance-metadata services, refused whatever they resolve to. */
const METADATA_HOSTNAMES = new Set([
  "metadata",
  "metadata.google.internal",
  "metadata.goog",
  "instance-data",
  "instance-data.ec2.internal",
]);
/** RFC 6761: these names are loopback by definition; judged as the loopback addresses. */
const LOCALHOST_ADDRESSES = ["127.0.0.1", "::1"];

export class BlockedDestinationError extends Error {
  override name = "BlockedDestinationError";
  /** Lets Node's socket errors and ours be told apart by code alone. */
  readonly code = "EDURIAN_BLOCKED";
  constructor(
    message: string,
    readonly reason: DestinationRefusalReason,
  ) {
    super(message);
  }
}

/**
 * Checks a listener URL without DNS: syntax, http(s) only, no credentials, and literal addresses or
 * special names (localhost, metadata services). Suits inline validation in forms and the API; the
 * address a name resolves to is checked when the delivery connects (see `guardedLookup`).
 */
export function checkDestinationUrl(rawUrl: string, allowlist: DestinationAllowlist): DestinationCheck {
  return remembered(judgedUrls, allowlist, rawUrl, () => judgeUrl(rawUrl, allowlist));
}

// Every attempt judges its URL and the address it connects to, and parsing both was a measurable part
// of a delivery's cost. The answers depend only on the input and the (immutable) allowlist, so they are
// remembered per allowlist, a bounded number of them.
const MAX_REMEMBERED = 10_000;
const judgedUrls = new WeakMap<DestinationAllowlist, Map<string, DestinationCheck>>();
const judgedAddresses = new WeakMap<DestinationAllowlist, Map<string, string | null>>();

function remembered<T>(
  cache: WeakMap<DestinationAllowlist, Map<string, T>>,
  allowlist: DestinationAllowlist,
  key: string,
  judge: () => T,
): T {
  let judged = cache.get(allowlist);
  if (!judged) cache.set(allowlist, (judged = new Map()));
  const known = judged.get(key);
  if (known !== undefined) return known;
  if (judged.size >= MAX_REMEMBERED) judged.clear();
  const answer = judge();
  judged.set(key, answer);
  return answer;
}

function judgeUrl(rawUrl: string, allowlist: DestinationAllowlist): DestinationCheck {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return refuse("invalid-url", `url: "${truncate(rawUrl)}" is not a valid absolute URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return refuse(
      "unsupported-protocol",
      `url: only http and https are supported, not ${url.protocol.slice(0, -1)}`,
    );
  }
  if (url.username !== "" || url.password !== "") {
    return refuse(
      "credentials-in-url",
      "url: credentials in the URL are not supported; use a custom Authorization header",
    );
  }
  const hostname = urlHostname(url);
  const port = effectivePort(url);
  if (allowlistAllowsHostname(allowlist, hostname, port)) return { allowed: true, url };

  if (isIpAddress(hostname)) {
    const refusal = addressRefusal(hostname, port, allowlist);
    return refusal ? refuse("blocked-address", `url: ${refusal}`) : { allowed: true, url };
  }
  if (METADATA_HOSTNAMES.has(hostname)) {
    return refuse("blocked-hostname", `url: ${hostname} is a cloud metadata service`);
  }
  if (hostname === "localhost" || hostname.endsWith(".localhost")) {
    const allowed = LOCALHOST_ADDRESSES.some((address) => allowlistAllowsAddress(allowlist, address, port));
    return allowed
      ? { allowed: true, url }
      : refuse("blocked-address", `url: ${hostname} is a loopback address`);
  }
  return { allowed: true, url };
}

/** The refusal message for an address and port, or null when it may be connected to. */
export function addressRefusal(
  address: string,
  port: number,
  allowlist: DestinationAllowlist,
): string | null {
  return remembered(judgedAddresses, allowlist, `${port} ${address}`, () =>
    judgeAddress(address, port, allowlist),
  );
}

function judgeAddress(address: string, port: number, allowlist: DestinationAllowlist): string | null {
  const kind = blockedAddressKind(address);
  if (kind === null || allowlistAllowsAddress(allowlist, address, port)) return null;
  return `${address} is ${describeKind(kind, port)}`;
}

export function partitionAddresses(
  addresses: ResolvedAddress[],
  port: number,
  allowlist: DestinationAllowlist,
) {
  const allowed: ResolvedAddress[] = [];
  const refusals: string[] = [];
  for (const entry of addresses) {
    const refusal = addressRefusal(entry.address, port, allowlist);
    if (refusal) refusals.push(refusal);
    else allowed.push(entry);
  }
  return { allowed, refusals };
}

const KIND_DESCRIPTIONS: Record<BlockedAddressKind, string> = {
  loopback: "a loopback address",
  private: "a private network address",
  "carrier-grade-nat": "a carrier-grade NAT address (100.64.0.0/10)",
  "link-local": "a link-local address",
  "cloud-metadata": "a cloud metadata service address",
  "unique-local": "a unique local address (fc00::/7)",
  unspecified: "an unspecified address",
  multicast: "a multicast address",
  broadcast: "the broadcast address",
  reserved: "a reserved or special-purpose address",
};

function describeKind(kind: BlockedAddressKind, port: number): string {
  return `${KIND_DESCRIPTIONS[kind]}, blocked unless listed in the allowed hosts for port ${port}`;
}

/** The URL's host without IPv6 brackets or a trailing dot, lower case. */
export function urlHostname(url: URL): string {
  const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  return canonicalHostname(host);
}

function refuse(reason: DestinationRefusalReason, message: string): DestinationCheck {
  return { allowed: false, reason, message };
}

function truncate(text: string): string {
  return text.length > 100 ? `${text.slice(0, 100)}…` : text;
}
