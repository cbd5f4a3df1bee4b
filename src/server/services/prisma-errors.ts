import { Prisma } from "@/generated/prisma/client";

/**
 * A unique constraint refused the write: someone else wrote the same key first. Prisma reports it
 * as P2002 from its own queries, and as P2010 (raw query failed) carrying the driver adapter's
 * `UniqueConstraintViolation` from $executeRaw.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  if (error.code === "P2002") return true;
  if (error.code !== "P2010") return false;
  const adapterError = (error.meta as { driverAdapterError?: { cause?: { kind?: unknown } } } | undefined)?.driverAdapterError;
  return adapterError?.cause?.kind === "UniqueConstraintViolation";
}
