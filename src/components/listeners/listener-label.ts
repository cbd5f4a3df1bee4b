/**
 * What a listener is called on screen: its name, or else its URL shortened so that listeners on one
 * host still look different (the end of the path and the port are what tell them apart).
 */

/** Fits a log column and a page heading on a phone. */
export const SHORT_URL_LENGTH = 40;
const ELLIPSIS = "…";

/** `text` at most `maxLength` characters, its start and end kept around an ellipsis. */
export function middleEllipsis(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  const kept = Math.max(maxLength - ELLIPSIS.length, 0);
  const head = Math.floor(kept / 2);
  return text.slice(0, head) + ELLIPSIS + text.slice(text.length - (kept - head));
}

/**
 * The URL without its scheme, at most `maxLength` characters: the host with its port, then as much of
 * the end of the path (and query) as fits, cut at a slash when one is near. Not a URL: `…/hooks/crm`.
 */
export function shortenUrl(url: string, maxLength = SHORT_URL_LENGTH): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return middleEllipsis(url, maxLength);
  }
  const host = parsed.host;
  const rest = (parsed.pathname === "/" ? "" : parsed.pathname) + parsed.search + parsed.hash;
  if (host.length + rest.length <= maxLength) return host + rest;
  if (rest.length <= maxLength / 2) return middleEllipsis(host, maxLength - rest.length) + rest;

  const shownHost = middleEllipsis(host, Math.floor(maxLength / 2));
  const restRoom = maxLength - shownHost.length - ELLIPSIS.length;
  let tail = rest.slice(rest.length - restRoom);
  // A path segment cut in two reads as a different segment; start at the next whole one if it is near.
  const slash = tail.indexOf("/");
  if (slash > 0 && slash <= tail.length / 3) tail = tail.slice(slash);
  return shownHost + ELLIPSIS + tail;
}

export function listenerLabel(listener: { name: string | null; url: string }): string {
  return listener.name ?? shortenUrl(listener.url);
}
