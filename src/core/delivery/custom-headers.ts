/** Headers Durian sets on every delivery; a listener's custom headers cannot replace them. */
export const DELIVERY_HEADER_NAMES = [
  "content-type",
  "user-agent",
  "webhook-id",
  "webhook-timestamp",
  "webhook-signature",
  "durian-hook",
  "durian-event-id",
] as const;
/** Whole prefixes are reserved so later protocol headers cannot be spoofed by a listener either. */
const RESERVED_HEADER_PREFIXES = ["webhook-", "durian-"];
/** Connection-level headers that would break or smuggle the request if a listener set them. */
const FORBIDDEN_HEADER_NAMES = new Set([
  "host",
  "content-length",
  "content-encoding",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "proxy-connection",
  "upgrade",
  "te",
  "trailer",
  "expect",
  "http2-settings",
]);

export const MAX_CUSTOM_HEADERS = 20;
export const MAX_HEADER_NAME_LENGTH = 256;
export const MAX_HEADER_VALUE_LENGTH = 4096;

const HEADER_NAME_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Printable ASCII and tab: no CR/LF (header injection) and nothing Node would refuse to send. */
const HEADER_VALUE = /^[\t\x20-\x7e]*$/;

export interface CustomHeaderProblem {
  /** The header name as given ("" when the whole value is wrong). */
  header: string;
  message: string;
}

/**
 * Every reason a listener's custom headers would be refused; empty when they are fine. For the API
 * and dashboard, so a bad header is rejected when it is saved rather than dropped when it is sent.
 */
export function customHeaderProblems(headers: unknown): CustomHeaderProblem[] {
  if (headers === undefined || headers === null) return [];
  if (typeof headers !== "object" || Array.isArray(headers)) {
    return [{ header: "", message: "headers: expected an object mapping header names to string values" }];
  }
  const entries = Object.entries(headers);
  const problems: CustomHeaderProblem[] = [];
  if (entries.length > MAX_CUSTOM_HEADERS) {
    problems.push({
      header: "",
      message: `headers: at most ${MAX_CUSTOM_HEADERS} custom headers, got ${entries.length}`,
    });
  }
  const seen = new Set<string>();
  for (const [name, value] of entries) {
    const problem = headerProblem(name, value, seen);
    if (problem) problems.push({ header: name, message: `headers.${name}: ${problem}` });
    seen.add(name.toLowerCase());
  }
  return problems;
}

/**
 * The custom headers that may be sent (names lower-cased), and the ones dropped with the reason.
 * Stored headers were validated when saved; this guards against older or hand-edited rows.
 */
export function usableCustomHeaders(headers: unknown): {
  headers: Record<string, string>;
  dropped: CustomHeaderProblem[];
} {
  const problems = customHeaderProblems(headers);
  const rejected = new Set(problems.map((problem) => problem.header));
  const usable: Record<string, string> = {};
  if (headers && typeof headers === "object" && !Array.isArray(headers)) {
    for (const [name, value] of Object.entries(headers).slice(0, MAX_CUSTOM_HEADERS)) {
      if (!rejected.has(name) && typeof value === "string") usable[name.toLowerCase()] = value;
    }
  }
  return { headers: usable, dropped: problems };
}

function headerProblem(name: string, value: unknown, seen: ReadonlySet<string>): string | null {
  const lowerName = name.toLowerCase();
  if (!HEADER_NAME_TOKEN.test(name) || name.length > MAX_HEADER_NAME_LENGTH) {
    return `not a valid header name (letters, digits and !#$%&'*+-.^_\`|~, at most ${MAX_HEADER_NAME_LENGTH})`;
  }
  if ((DELIVERY_HEADER_NAMES as readonly string[]).includes(lowerName)) {
    return "is set by Durian on every delivery and cannot be overridden";
  }
  if (RESERVED_HEADER_PREFIXES.some((prefix) => lowerName.startsWith(prefix))) {
    return `names starting with ${RESERVED_HEADER_PREFIXES.join(" or ")} are reserved for Durian`;
  }
  if (FORBIDDEN_HEADER_NAMES.has(lowerName) || lowerName.startsWith("proxy-")) {
    return "is a connection-level header that Durian manages itself";
  }
  if (seen.has(lowerName)) return "appears twice (header names are case-insensitive)";
  if (typeof value !== "string") return "value must be a string";
  if (value.length > MAX_HEADER_VALUE_LENGTH)
    return `value is longer than ${MAX_HEADER_VALUE_LENGTH} characters`;
  if (!HEADER_VALUE.test(value)) return "value may contain only printable ASCII characters (no line breaks)";
  return null;
}
