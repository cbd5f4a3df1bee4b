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
