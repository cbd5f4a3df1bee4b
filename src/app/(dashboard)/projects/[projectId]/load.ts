import { TRPCError } from "@trpc/server";
import { notFound } from "next/navigation";

/** Awaits a server-side tRPC call; a NOT_FOUND answer renders the not-found page (a 404). */
export async function orNotFound<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
}

/** A route segment as the name it stands for. */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
