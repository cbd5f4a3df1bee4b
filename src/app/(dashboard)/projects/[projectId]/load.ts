import { normalizeHookField } from "@/core/hook-fields";
import { TRPCError } from "@trpc/server";
import { notFound } from "next/navigation";
import { serverCaller } from "@/trpc/server";

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

/**
 * A listener, its hook and the field names of the hook version it receives, for the listener's pages;
 * an unknown listener renders the not-found page.
 */
export async function loadListenerWithHook(projectId: string, listenerId: string) {
  const caller = await serverCaller();
  const listener = await orNotFound(caller.listener.get({ projectId, id: listenerId }));
  const [hook, versions] = await Promise.all([
    caller.hook.get({ projectId, name: listener.hook }),
    caller.hook.versions({ projectId, name: listener.hook }),
  ]);
  const version = versions.find((candidate) => candidate.version === listener.hookVersion);
  // The fields of the version the listener receives, typed where that version typed them.
  const fields = (version?.providesArgs ?? []).map(normalizeHookField);
  return { listener, hook, fields };
}
