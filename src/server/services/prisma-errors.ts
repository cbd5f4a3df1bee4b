import { Prisma } from "@/generated/prisma/client";

/** A unique constraint refused the write (Prisma's P2002): someone else wrote the same key first. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}
