/**
 * How an attempt failed, as recorded on the attempt:
 * - `timeout`: no (complete) response within the hook's timeout;
 * - `dns`: the host name does not resolve;
 * - `refused`: the connection could not be made or broke (refused, reset, unreachable, not HTTP);
 * - `tls`: the TLS handshake or certificate check failed;
 * - `blocked`: the destination is not allowed (private address, bad URL…), nothing was sent;
 * - `http`: a response arrived with a status other than 2xx.
 */
export type DeliveryErrorClass = "timeout" | "dns" | "refused" | "tls" | "blocked" | "http";

export const DELIVERY_ERROR_CLASSES: readonly DeliveryErrorClass[] = [
  "timeout",
  "dns",
  "refused",
  "tls",
  "blocked",
  "http",
];

const DNS_CODES = new Set(["ENOTFOUND", "ENODATA", "ESERVFAIL", "ENOTIMP", "EREFUSED", "EBADNAME"]);
const TIMEOUT_CODES = new Set(["ETIMEDOUT", "ESOCKETTIMEDOUT", "UND_ERR_CONNECT_TIMEOUT"]);

/** Classifies the error a request failed with (before any response arrived). */
export function errorClassOf(error: Error): Exclude<DeliveryErrorClass, "http"> {
  const code = (error as NodeJS.ErrnoException).code ?? "";
  if (code === "EDURIAN_BLOCKED") return "blocked";
  if (error.name === "AttemptTimeoutError" || TIMEOUT_CODES.has(code)) return "timeout";
  if (DNS_CODES.has(code) || code.startsWith("EAI_")) return "dns";
  // OpenSSL failures arrive as EPROTO with the OpenSSL reason in the message, or with their own codes.
  if (code === "EPROTO" || /TLS|SSL|CERT/.test(code) || /SSL routines/.test(error.message)) return "tls";
  return "refused";
}
