import { env } from "@/server/env";

/** The app's public origin: DURIAN_PUBLIC_URL, or localhost on PORT. */
export function publicOrigin(): string {
  return env().DURIAN_PUBLIC_URL?.replace(/\/$/, "") ?? `http://localhost:${env().PORT}`;
}

/**
 * The origins this app answers on as itself: the public origin and, without DURIAN_PUBLIC_URL,
 * 127.0.0.1:PORT. Cookie-authenticated writes must come from one of them; deliveries to the app's own
 * request inspector there are exempt from the address checks.
 */
export function ownOrigins(): string[] {
  const origin = publicOrigin();
  return env().DURIAN_PUBLIC_URL ? [origin] : [origin, `http://127.0.0.1:${env().PORT}`];
}

/**
 * Cookies ride along with requests from any site, so a write authenticated by one must come from the
 * app's own pages. Browsers always send Origin on such requests; a write without one is refused.
 */
export function isTrustedOrigin(origin: string | null): origin is string {
  return origin !== null && ownOrigins().includes(origin);
}

/** A Host header worth echoing: a name, an IPv4 or a bracketed IPv6 address, and an optional port. */
const PLAIN_HOST = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/i;

/**
 * The origin a browser reached the app at, for URLs the pages show it (the API base in snippets):
 * the configured public URL when set, else the request's own host, so a browser on 127.0.0.1 is not
 * told localhost. A Host header that is not a plain host falls back to the public origin.
 */
export function originForBrowser(
  request: { host: string | null; forwardedProto: string | null },
  configured: { publicUrl: string | undefined; fallback: string },
): string {
  if (configured.publicUrl) return configured.publicUrl.replace(/\/$/, "");
  if (!request.host || !PLAIN_HOST.test(request.host)) return configured.fallback;
  const scheme = request.forwardedProto?.split(",")[0]?.trim() === "https" ? "https" : "http";
  return `${scheme}://${request.host}`;
}
