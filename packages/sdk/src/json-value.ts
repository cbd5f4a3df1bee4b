import type { JsonValue } from "./api-types";

/** Why a value cannot be sent as JSON, and where in it (a dotted path, "" for the value itself). */
export class NotJsonError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path || "value"} ${problem}`);
  }
}

/**
 * Converts a value to what the API will receive as JSON, refusing what JSON.stringify would silently
 * mangle. Dates become ISO strings, bigints decimal strings, byte arrays base64 (what a Prisma record
 * holds for DateTime, BigInt and Bytes); objects with `toJSON` (Prisma's Decimal, matchers) use it;
 * undefined properties are left out, as JSON.stringify does.
 */
export function toJsonValue(value: unknown, path = ""): JsonValue {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new NotJsonError(path, `is ${value}, which JSON cannot carry`);
    return value;
  }
  if (typeof value === "bigint") return value.toString();
  if (value === undefined) throw new NotJsonError(path, "is undefined");
  if (typeof value === "function" || typeof value === "symbol") {
    throw new NotJsonError(path, `is a ${typeof value}, not a JSON value`);
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new NotJsonError(path, "is an invalid Date");
    return value.toISOString();
  }
  if (value instanceof Uint8Array) return bytesToBase64(value);
  if (Array.isArray(value)) {
    return value.map((item, index) => (item === undefined ? null : toJsonValue(item, join(path, index))));
  }
  const withToJson = value as { toJSON?: unknown };
  if (typeof withToJson.toJSON === "function") {
    return toJsonValue((withToJson.toJSON as () => unknown).call(value), path);
  }
  if (!isPlainObject(value)) {
    const kind = (value as object).constructor?.name ?? "object";
    throw new NotJsonError(path, `is a ${kind}, not a JSON value`);
  }
  const result: Record<string, JsonValue> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item !== undefined) result[key] = toJsonValue(item, join(path, key));
  }
  return result;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function join(path: string, key: string | number): string {
  return path ? `${path}.${key}` : String(key);
}

function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
