import { Prisma } from "@/generated/prisma/client";

/**
 * The one place that tells "the database cannot be reached right now" from every other database
 * error, so that the HTTP surfaces answer 503 with Retry-After (try again, nothing is wrong with the
 * request) instead of 500. Errors arrive in three shapes: Prisma's own (P1001 …, or P2010 carrying
 * the driver adapter's error), the `pg` driver's (plain SQL through `plainQueryFor`), and Node's
 * socket errors.
 */

/** What a client is told to wait before trying again while the database is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** Raised where Durian itself knows the database is gone (the server is shutting down). */
export class DatabaseUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DatabaseUnavailableError";
  }
}

/** Node's socket errors: the server refused, dropped or never answered the connection. */
const SOCKET_ERROR_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/**
 * SQLSTATEs of a server that is going away, starting up or full: 57P01 admin shutdown (also what
 * `pg_terminate_backend` sends), 57P02 crash shutdown, 57P03 cannot connect now, 53300 too many
 * connections; and class 08, connection exceptions.
 */
const UNAVAILABLE_SQLSTATES = new Set(["57P01", "57P02", "57P03", "53300"]);
const CONNECTION_EXCEPTION_CLASS = /^08[0-9A-Z]{3}$/;

/** P1001 can't reach the server, P1002 it timed out, P1008 operations timed out, P1017 it closed the connection. */
const PRISMA_UNAVAILABLE_CODES = new Set(["P1001", "P1002", "P1008", "P1017"]);

/** The driver adapter's error kinds for the same conditions (inside P2010 and others' `meta`). */
const ADAPTER_UNAVAILABLE_KINDS = new Set([
  "DatabaseNotReachable",
  "ConnectionClosed",
  "SocketTimeout",
  "TooManyConnections",
]);

/** `pg` reports a connection lost mid-query, or a client it gave up on, by message only. */
const UNAVAILABLE_MESSAGES = [
  /connection terminated/i,
  /client has encountered a connection error and is not queryable/i,
  /PGlite is closed/i,
];

const MAX_CAUSE_DEPTH = 5;

/** One line for the log: Prisma's messages start with the code that called it. */
export function unavailabilitySummary(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  return lines.at(-1) ?? "unknown error";
}

/** Whether `error` (or an error it wraps) means the database is unreachable right now. */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && typeof current === "object" && current !== null; depth++) {
    if (describesUnavailability(current)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

function describesUnavailability(error: object): boolean {
  if (error instanceof DatabaseUnavailableError) return true;
  const { kind, message } = error as { kind?: unknown; message?: unknown };
  const code =
    error instanceof Prisma.PrismaClientInitializationError
      ? error.errorCode
      : (error as { code?: unknown }).code;
  if (typeof code === "string") {
    if (SOCKET_ERROR_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code)) return true;
    if (CONNECTION_EXCEPTION_CLASS.test(code)) return true;
    if (PRISMA_UNAVAILABLE_CODES.has(code)) return true;
  }
  if (typeof kind === "string" && ADAPTER_UNAVAILABLE_KINDS.has(kind)) return true;
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    const adapterCause = (error.meta as { driverAdapterError?: { cause?: unknown } } | undefined)
      ?.driverAdapterError?.cause;
    if (typeof adapterCause === "object" && adapterCause !== null && describesUnavailability(adapterCause)) {
      return true;
    }
  }
  return typeof message === "string" && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message));
}
