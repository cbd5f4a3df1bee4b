import { eventIndexKeys } from "@/core/filter";
import { Prisma, type Listener, type PrismaClient } from "@/generated/prisma/client";
import { preparedQueryFor } from "@/server/db/client";
import { type CompilableListener, CompiledFilterCache } from "./compiled-filter-cache";

/** What matching needs of a listener; callers load anything else by id. */
export type CandidateListener = Pick<Listener, "id" | "url" | "filter" | "updatedAt" | "relay">;

const sharedCache = new CompiledFilterCache();

export interface FindMatchingListenersOptions {
  cache?: CompiledFilterCache;
  /** A stored filter that no longer validates matches nothing; this hears about it. */
  onInvalidFilter?: (listener: CompilableListener, error: unknown) => void;
}

/** The index keys an event could satisfy, as parallel arrays for `unnest`. */
function eventKeyArrays(payload: Record<string, unknown>): {
  kinds: string[];
  fields: string[];
  values: string[];
} {
  const keys = eventIndexKeys(payload);
  const kinds: string[] = [];
  const fields: string[] = [];
  const values: string[] = [];
  for (const [kind, list] of [
    ["exact", keys.exact],
    ["prefix", keys.prefix],
  ] as const) {
    for (const { field, value } of list) {
      kinds.push(kind);
      fields.push(field);
      values.push(value);
    }
  }
  return { kinds, fields, values };
}

/** A page of candidates in id order: those after `after` (null: from the first), at most `limit`. */
export interface CandidatePage {
  after: string | null;
  limit: number;
}

/** The listeners of one version of a hook's fields: an event is matched only against its version's. */
export interface HookVersionKey {
  hookId: string;
  hookVersion: number;
}

/**
 * Candidates for an event in one query: the hook version's enabled listeners that scan, plus those
 * whose exact or prefix key is among the event's keys (each probe an index lookup on
 * (hookId, hookVersion, indexKind, indexField, indexValue)); with `page`, one page of them in id order
 * (the scan listeners read by (hookId, hookVersion, indexKind, id)). Exported for the benchmark's
 * rows-read figure.
 */
export async function findCandidateListeners(
  db: PrismaClient,
  { hookId, hookVersion }: HookVersionKey,
  payload: Record<string, unknown>,
  page?: CandidatePage,
): Promise<CandidateListener[]> {
  const { kinds, fields, values } = eventKeyArrays(payload);
  const after = page ? Prisma.sql`AND l.id > ${page.after ?? ""}` : Prisma.empty;
  const scanPage = page ? Prisma.sql`ORDER BY l.id LIMIT ${page.limit}` : Prisma.empty;
  const candidates = Prisma.sql`
    (SELECT l.id, l.url, l.filter, l."updatedAt", l.relay FROM "Listener" l
     WHERE l."hookId" = ${hookId} AND l."hookVersion" = ${hookVersion} AND l."indexKind" = 'scan' AND l."enabled"
       ${after} ${scanPage})
    UNION ALL
    SELECT l.id, l.url, l.filter, l."updatedAt", l.relay
    FROM unnest(${kinds}::text[], ${fields}::text[], ${values}::text[]) AS k(kind, field, value)
    JOIN "Listener" l
      ON l."hookId" = ${hookId} AND l."hookVersion" = ${hookVersion} AND l."indexKind" = k.kind
        AND l."indexField" = k.field AND l."indexValue" = k.value
    WHERE l."enabled" ${after}`;
  // updatedAt only keys the compiled-filter cache, so reading it in local time does no harm.
  return preparedQueryFor(db)<CandidateListener>(
    page ? Prisma.sql`SELECT * FROM (${candidates}) c ORDER BY id LIMIT ${page.limit}` : candidates,
  );
}

/**
 * The enabled listeners of a hook version whose filter matches the payload. Pass the payload already
 * projected to that version's providesArgs. The database narrows candidates by each listener's index key (see
 * src/core/filter/index-key.ts), then the full filter runs in process, so the index can only add
 * candidates, never lose a match — provided listeners are saved with `listenerIndexKey(filter)`.
 */
export async function findMatchingListeners(
  db: PrismaClient,
  hookVersion: HookVersionKey,
  payload: Record<string, unknown>,
  options: FindMatchingListenersOptions = {},
): Promise<CandidateListener[]> {
  return filterMatching(await findCandidateListeners(db, hookVersion, payload), payload, options);
}

/** Those of `listeners` whose filter matches the (projected) payload; an invalid stored filter matches nothing. */
export function filterMatching<L extends CompilableListener>(
  listeners: readonly L[],
  payload: Record<string, unknown>,
  options: FindMatchingListenersOptions = {},
): L[] {
  const cache = options.cache ?? sharedCache;
  return listeners.filter((listener) => {
    try {
      return cache.predicateFor(listener)(payload);
    } catch (error) {
      (options.onInvalidFilter ?? warnInvalidFilter)(listener, error);
      return false;
    }
  });
}

function warnInvalidFilter(listener: CompilableListener, error: unknown): void {
  const reason = error instanceof Error ? error.message : String(error);
  console.warn(`listener ${listener.id} has an invalid stored filter and matches nothing: ${reason}`);
}
