/**
 * The dashboard's Content-Security-Policy. Scripts run only from this origin and only when they carry
 * the request's nonce (Next.js puts it on its own scripts when it finds it in the request's policy), or
 * when a nonce-carrying script loads them ('strict-dynamic'). Style attributes stay allowed: the component
 * library (Radix) renders some, they cannot run code, and with images, fonts and connections limited to
 * this origin they cannot send anything elsewhere.
 */

/** React's development build evaluates code to rebuild server error stacks in the browser. */
const DEVELOPMENT_SCRIPT_SOURCES = ["'unsafe-eval'"];

export interface PolicyOptions {
  development?: boolean;
  /** Origins whose pages may frame this one (the customer portal's); none by default. */
  frameAncestors?: readonly string[];
  /** Origins images may also come from (the portal theme's logo). */
  imageOrigins?: readonly string[];
}

export function contentSecurityPolicy(
  nonce: string,
  { development = false, frameAncestors = [], imageOrigins = [] }: PolicyOptions = {},
): string {
  const directives: [string, ...string[]][] = [
    ["default-src", "'self'"],
    [
      "script-src",
      "'self'",
      `'nonce-${nonce}'`,
      "'strict-dynamic'",
      ...(development ? DEVELOPMENT_SCRIPT_SOURCES : []),
    ],
    ["style-src", "'self'", `'nonce-${nonce}'`],
    ["style-src-attr", "'unsafe-inline'"],
    ["img-src", "'self'", "blob:", "data:", ...imageOrigins],
    ["font-src", "'self'"],
    ["connect-src", "'self'"],
    ["object-src", "'none'"],
    ["base-uri", "'none'"],
    ["form-action", "'self'"],
    ["frame-ancestors", ...(frameAncestors.length > 0 ? frameAncestors : ["'none'"])],
  ];
  return directives.map((directive) => directive.join(" ")).join("; ");
}

/** 128 random bits, base64: unguessable, and a valid CSP nonce. */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}
