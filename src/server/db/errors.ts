import { Prisma } from "@/generated/prisma/client";

/**
 * A unique constraint refused the write: someone else wrote the same key first. Prisma reports
 * constraint errors with their own code from its own queries, and as P2010 (raw query failed)
 * carrying the driver adapter's error kind from $executeRaw.
 */
export function isUniqueViolation(error: unknown): boolean {
  return isPrismaError(error, "P2002", "UniqueConstraintViolation") || hasSqlState(error, "23505");
}

/** A row refers to one that does not exist (any more): P2003, or P2010 from a raw query. */
export function isForeignKeyViolation(error: unknown): boolean {
  return isPrismaError(error, "P2003", "ForeignKeyConstraintViolation") || hasSqlState(error, "23503");
}

/** Plain SQL (`plainQueryFor`) surfaces the driver's own error, which carries the SQLSTATE. */
function hasSqlState(error: unknown, state: string): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === state;
}

function isPrismaError(error: unknown, code: string, adapterKind: string): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  if (error.code === code) return true;
  if (error.code !== "P2010") return false;
  const adapterError = (error.meta as { driverAdapterError?: { cause?: { kind?: unknown } } } | undefined)
    ?.driverAdapterError;
  return adapterError?.cause?.kind === adapterKind;
}
