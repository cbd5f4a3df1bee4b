import type { PrismaClient } from "@/generated/prisma/client";

/**
 * The hooks events are sent to, kept in memory briefly: sending an event is the hot path, and the
 * hook lookup was a third of its database work. Changes made through putHook/deleteHook in this
 * process take effect at once; changes made by another process (a second server) are seen within
 * the TTL, as if the event had arrived that much earlier. A hook deleted elsewhere within the TTL
 * makes the event's insert fail its foreign key, and sendEvent then looks again.
 */
export const INGEST_HOOK_CACHE_TTL_MS = 1_000;
const MAX_CACHED_HOOKS = 10_000;

/** What accepting an event needs to know about its hook. */
export interface IngestHook {
  id: string;
  name: string;
  providesArgs: string[];
  enabled: boolean;
}

// On globalThis: Next may bundle the routes that change hooks and the one that sends events
// separately, and a change must reach the one cache of the process.
const processCaches = globalThis as typeof globalThis & {
  __durianIngestHooks?: Map<string, { hook: IngestHook; fetchedAt: number }>;
};
const cached = (processCaches.__durianIngestHooks ??= new Map());

function keyOf(projectId: string, name: string): string {
  return `${projectId}\u0000${name}`;
}

/** The project's hook by name, from memory when fetched within the TTL; null when there is none. */
export async function hookForIngest(
  db: PrismaClient,
  projectId: string,
  name: string,
  nowMs: number = Date.now(),
): Promise<IngestHook | null> {
  const key = keyOf(projectId, name);
  const entry = cached.get(key);
  if (entry && nowMs - entry.fetchedAt < INGEST_HOOK_CACHE_TTL_MS) return entry.hook;
  const [hook] = await db.$queryRaw<IngestHook[]>`
    SELECT id, name, "providesArgs", enabled FROM "Hook" WHERE "projectId" = ${projectId} AND name = ${name}`;
  if (!hook) {
    cached.delete(key);
    return null;
  }
  if (!entry && cached.size >= MAX_CACHED_HOOKS) {
    const oldest = cached.keys().next();
    if (!oldest.done) cached.delete(oldest.value);
  }
  cached.set(key, { hook, fetchedAt: nowMs });
  return hook;
}

/** Drops a hook from memory (it was changed or deleted). */
export function forgetIngestHook(projectId: string, name: string): void {
  cached.delete(keyOf(projectId, name));
}
