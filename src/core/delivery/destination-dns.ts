import { lookup as dnsLookup } from "node:dns";
import type { LookupFunction } from "node:net";
import { isIpAddress } from "./address-ranges";
import { allowlistAllowsHostname, type DestinationAllowlist, effectivePort } from "./allowlist";
import {
  BlockedDestinationError,
  checkDestinationUrl,
  partitionAddresses,
  type ResolvedAddress,
  type ResolvedDestinationCheck,
  type ResolveHost,
  urlHostname,
} from "./destination";

// The Node half of destination safety: DNS, and the lookup that pins a connection to a checked address.

/**
 * `checkDestinationUrl` plus DNS: every address the host resolves to is judged. Used for up-front
 * checks; a delivery itself relies on `guardedLookup`, which judges the addresses it connects to.
 * A name that does not resolve is not a refusal: it is reported as `unresolvable`.
 */
export async function checkDestination(
  rawUrl: string,
  allowlist: DestinationAllowlist,
  resolveHost: ResolveHost = resolveWithSystemDns,
): Promise<ResolvedDestinationCheck> {
  const check = checkDestinationUrl(rawUrl, allowlist);
  if (!check.allowed) return check;
  const hostname = urlHostname(check.url);
  const port = effectivePort(check.url);
  if (isIpAddress(hostname) || allowlistAllowsHostname(allowlist, hostname, port)) return check;
  let addresses: ResolvedAddress[];
  try {
    addresses = await resolveHost(hostname);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    return { allowed: false, reason: "unresolvable", message: `url: ${hostname} does not resolve (${code})` };
  }
  const { allowed, refusals } = partitionAddresses(addresses, port, allowlist);
  if (allowed.length === 0) {
    return {
      allowed: false,
      reason: "blocked-address",
      message: `url: ${hostname} resolves to ${refusals[0] ?? "no address"}`,
    };
  }
  return check;
}

/**
 * A `lookup` for `node:http(s)` requests to `port` that resolves the host and keeps only allowed
 * addresses, so the address checked is the address connected to (no DNS-rebinding window). Fails with
 * a `BlockedDestinationError` when no address is allowed. IP-literal hosts never reach a lookup, so
 * callers must also run `checkDestinationUrl` first. A lookup is not told the port it connects to,
 * hence one lookup per request.
 */
export function guardedLookup(
  allowlist: DestinationAllowlist,
  port: number,
  resolveHost: ResolveHost = resolveWithSystemDns,
): LookupFunction {
  return (hostname, options, callback) => {
    const trustedByName = allowlistAllowsHostname(allowlist, hostname, port);
    resolveHost(hostname).then(
      (resolved) => {
        const wantedFamily = options.family === 4 || options.family === 6 ? options.family : undefined;
        const candidates = resolved.filter(
          (entry) => wantedFamily === undefined || entry.family === wantedFamily,
        );
        const { allowed, refusals } = trustedByName
          ? { allowed: candidates, refusals: [] }
          : partitionAddresses(candidates, port, allowlist);
        const first = allowed[0];
        if (!first) {
          const why = refusals[0] ?? `no IPv${wantedFamily ?? ""} address`;
          callback(new BlockedDestinationError(`${hostname} resolves to ${why}`, "blocked-address"), "", 0);
        } else if (options.all) {
          (callback as unknown as (error: null, addresses: ResolvedAddress[]) => void)(null, allowed);
        } else {
          callback(null, first.address, first.family);
        }
      },
      (error: NodeJS.ErrnoException) => callback(error, "", 0),
    );
  };
}

export function resolveWithSystemDns(hostname: string): Promise<ResolvedAddress[]> {
  return new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses)));
  });
}
