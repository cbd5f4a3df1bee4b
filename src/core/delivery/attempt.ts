import http from "node:http";
import https from "node:https";
import { performance } from "node:perf_hooks";
import { type DestinationAllowlist, effectivePort } from "./allowlist";
import { checkDestinationUrl, type ResolveHost } from "./destination";
import { guardedLookup, resolveWithSystemDns } from "./destination-dns";
import { type DeliveryErrorClass, errorClassOf } from "./error-class";

/** How much of a response body is kept; the rest is never read. */
export const MAX_RESPONSE_BODY_BYTES = 64 * 1024;
/** Idle keep-alive connections to receivers are closed after this long. */
const IDLE_CONNECTION_TIMEOUT_MS = 15_000;

export interface AttemptInput {
  url: string;
  headers: Readonly<Record<string, string>>;
  body: string;
  /** Covers DNS, connecting, sending and receiving the response. */
  timeoutMs: number;
  allowlist: DestinationAllowlist;
  /** DNS resolution; the system resolver by default. */
  resolveHost?: ResolveHost;
  maxResponseBodyBytes?: number;
}

/** One POST's outcome, shaped like a `DeliveryAttempt` row. */
export interface AttemptResult {
  /** A 2xx response arrived. */
  ok: boolean;
  startedAt: Date;
  durationMs: number;
  status: number | null;
  responseHeaders: Record<string, string> | null;
  /** The first `MAX_RESPONSE_BODY_BYTES` of the body, decoded as UTF-8. */
  responseBody: string | null;
  responseBodyTruncated: boolean;
  /** null when ok; `http` for a non-2xx status (including 3xx: redirects are never followed). */
  errorClass: DeliveryErrorClass | null;
  errorMessage: string | null;
}

export class AttemptTimeoutError extends Error {
  override name = "AttemptTimeoutError";
}

/**
 * POSTs once to a listener. Never follows redirects, checks the destination before connecting and the
 * address it connects to, and resolves (never rejects) with the outcome of network failures.
 */
export function attemptDelivery(input: AttemptInput): Promise<AttemptResult> {
  if (!Number.isFinite(input.timeoutMs) || input.timeoutMs <= 0) {
    throw new RangeError(`timeoutMs: expected a positive number of milliseconds, got ${input.timeoutMs}`);
  }
  const maxBodyBytes = input.maxResponseBodyBytes ?? MAX_RESPONSE_BODY_BYTES;
  const startedAt = new Date();
  const startedAtMs = performance.now();
  const elapsedMs = () => Math.round(performance.now() - startedAtMs);
  const failure = (errorClass: DeliveryErrorClass, errorMessage: string): AttemptResult => ({
    ok: false,
    startedAt,
    durationMs: elapsedMs(),
    status: null,
    responseHeaders: null,
    responseBody: null,
    responseBodyTruncated: false,
    errorClass,
    errorMessage,
  });

  const check = checkDestinationUrl(input.url, input.allowlist);
  if (!check.allowed) return Promise.resolve(failure("blocked", check.message));
  const url = check.url;
  const resolveHost = input.resolveHost ?? resolveWithSystemDns;

  return new Promise<AttemptResult>((resolve) => {
    let settled = false;
    let response: http.IncomingMessage | undefined;
    const bodyChunks: Buffer[] = [];
    let bodyBytes = 0;
    let truncated = false;

    const settle = (result: AttemptResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const settleWithResponse = (incompleteReason?: string) => {
      if (!response) return;
      const status = response.statusCode ?? 0;
      const ok = status >= 200 && status < 300;
      settle({
        ok,
        startedAt,
        durationMs: elapsedMs(),
        status,
        responseHeaders: flattenHeaders(response.headers),
        responseBody: storableResponseBody(Buffer.concat(bodyChunks)),
        responseBodyTruncated: truncated || incompleteReason !== undefined,
        errorClass: ok ? null : "http",
        errorMessage:
          [
            ok ? null : `HTTP ${status}${response.statusMessage ? ` ${response.statusMessage}` : ""}`,
            incompleteReason,
          ]
            .filter(Boolean)
            .join("; ") || null,
      });
    };

    const transport = url.protocol === "https:" ? https : http;
    let request: http.ClientRequest;
    const send = (isRepeat: boolean) => {
      request = transport.request(url, {
        method: "POST",
        headers: { ...input.headers, "content-length": String(Buffer.byteLength(input.body)) },
        agent: keepAliveAgent(url.protocol, input.allowlist, resolveHost),
        lookup: guardedLookup(input.allowlist, effectivePort(url), resolveHost),
      });
      const sent = request;
      sent.on("error", (error) => {
        if (settled) return;
        if (response) return settleWithResponse("the connection failed while reading the response body");
        // A pooled connection the receiver closed while idle fails at once; Node's documented remedy is
        // to send again on a fresh connection. The receiver never saw the first request.
        const staleConnection = sent.reusedSocket && (error as NodeJS.ErrnoException).code === "ECONNRESET";
        if (staleConnection && !isRepeat) return send(true);
        settle(failure(errorClassOf(error), describeError(error)));
      });
      sent.on("response", (incoming) => {
        response = incoming;
        incoming.on("data", (chunk: Buffer) => {
          if (settled) return;
          const room = maxBodyBytes - bodyBytes;
          if (chunk.length > room) {
            bodyChunks.push(chunk.subarray(0, room));
            truncated = true;
            settleWithResponse();
            incoming.destroy();
            return;
          }
          bodyChunks.push(chunk);
          bodyBytes += chunk.length;
        });
        // Failures while reading are reported by "close" below; without a listener they would be thrown.
        incoming.on("error", () => {});
        incoming.on("end", () => settleWithResponse());
        incoming.on("close", () => {
          if (!incoming.complete) settleWithResponse("the connection closed before the response body ended");
        });
      });
      sent.end(input.body);
    };

    const timer = setTimeout(() => {
      if (response) {
        settleWithResponse(`timed out after ${input.timeoutMs} ms while reading the response body`);
        response.destroy();
      } else {
        request.destroy(new AttemptTimeoutError(`no response within ${input.timeoutMs} ms`));
      }
    }, input.timeoutMs);
    send(false);
  });
}

/**
 * The response body as text PostgreSQL can store: invalid UTF-8 already decodes to U+FFFD, and so does
 * NUL here (a receiver answering with one would otherwise make its attempt impossible to record).
 */
function storableResponseBody(body: Buffer): string {
  return body.toString("utf8").replaceAll("\u0000", "\uFFFD");
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return flat;
}

function describeError(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  const message = error.message.trim();
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}

type Agents = { "http:"?: http.Agent; "https:"?: https.Agent };
const agentsByAllowlist = new WeakMap<DestinationAllowlist, WeakMap<ResolveHost, Agents>>();

/**
 * Pooled keep-alive connections, one pool per allowlist and resolver: a pooled socket was checked
 * under the policy it is reused with, so reuse never bypasses a destination check.
 */
function keepAliveAgent(
  protocol: string,
  allowlist: DestinationAllowlist,
  resolveHost: ResolveHost,
): http.Agent {
  let byResolver = agentsByAllowlist.get(allowlist);
  if (!byResolver) agentsByAllowlist.set(allowlist, (byResolver = new WeakMap()));
  let agents = byResolver.get(resolveHost);
  if (!agents) byResolver.set(resolveHost, (agents = {}));
  const options = { keepAlive: true, timeout: IDLE_CONNECTION_TIMEOUT_MS };
  if (protocol === "https:") return (agents["https:"] ??= new https.Agent(options));
  return (agents["http:"] ??= new http.Agent(options));
}
