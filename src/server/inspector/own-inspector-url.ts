import type { DestinationAllowlist } from "@/core/delivery/allowlist";
import { canonicalHostname, effectivePort } from "@/core/delivery/allowlist";
import { ownOrigins, publicOrigin } from "@/server/http/origins";

/**
 * The app's own request inspector lives at `<public origin>/api/inspect/<token>`. Self-hosted, that
 * origin is usually loopback, which destination safety refuses; this module is the one narrow
 * exception: exactly the app's own origins, exactly the inspector's route, nothing else on that host.
 */

export const INSPECTOR_PATH_PREFIX = "/api/inspect/";
/** One path segment after the prefix (the token), optionally a trailing slash; no query, no fragment. */
const INSPECTOR_PATH = /^\/api\/inspect\/[A-Za-z0-9_-]+\/?$/;

export function inspectorUrl(token: string, origin: string = publicOrigin()): string {
  return `${origin}${INSPECTOR_PATH_PREFIX}${encodeURIComponent(token)}`;
}

/** True only for `<one of the app's origins>/api/inspect/<token>`, after URL normalisation. */
export function isOwnInspectorUrl(rawUrl: string | URL, origins: readonly string[] = ownOrigins()): boolean {
  let url: URL;
  try {
    url = typeof rawUrl === "string" ? new URL(rawUrl) : rawUrl;
  } catch {
    return false;
  }
  if (url.username !== "" || url.password !== "" || url.search !== "" || url.hash !== "") return false;
  return origins.includes(url.origin) && INSPECTOR_PATH.test(url.pathname);
}

/**
 * The app's own inspector URL as its route answers it. Next answers `…/api/inspect/<token>/` with a
 * 308 to the URL without the slash, and deliveries never follow redirects, so every delivery to the
 * slashed form would fail: it is stored without the slash. Any other URL is returned as given.
 */
export function withoutInspectorTrailingSlash(
  url: string,
  origins: readonly string[] = ownOrigins(),
): string {
  if (!url.endsWith("/") || !isOwnInspectorUrl(url, origins)) return url;
  const parsed = new URL(url);
  parsed.pathname = parsed.pathname.replace(/\/$/, "");
  return parsed.href;
}

const exemptAllowlists = new WeakMap<DestinationAllowlist, Map<string, DestinationAllowlist>>();

/**
 * The allowlist one delivery attempt to `url` runs under: `allowlist` itself, or, when `url` is the
 * app's own inspector, `allowlist` plus that URL's host name and port. The widened allowlist is only
 * ever handed to attempts at inspector URLs. It is cached per host and port so its pooled connections
 * are reused.
 */
export function allowlistForDestination(
  url: string,
  allowlist: DestinationAllowlist,
  origins: readonly string[] = ownOrigins(),
): DestinationAllowlist {
  if (!isOwnInspectorUrl(url, origins)) return allowlist;
  const parsed = new URL(url);
  const own = {
    hostname: canonicalHostname(parsed.hostname.replace(/^\[|\]$/g, "")),
    port: effectivePort(parsed),
  };
  const key = `${own.hostname} ${own.port}`;
  let byHost = exemptAllowlists.get(allowlist);
  if (!byHost) exemptAllowlists.set(allowlist, (byHost = new Map()));
  let exempt = byHost.get(key);
  if (!exempt) {
    exempt = Object.freeze({ hostnames: [...allowlist.hostnames, own], ranges: allowlist.ranges });
    byHost.set(key, exempt);
  }
  return exempt;
}
