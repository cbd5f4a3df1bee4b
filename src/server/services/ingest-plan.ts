import { Prisma, type PrismaClient } from "@/generated/prisma/client";
import { plainQueryFor } from "@/server/db/client";
import type { CompilableListener } from "@/server/matching/compiled-filter-cache";

/**
 * What accepting an event for a hook needs to know (the hook, and its enabled listeners when there
 * are few), kept in memory: sending an event is the hot path, and these lookups were half of its
 * database work. A plan is not a cache that may be stale. It carries the hook's `ingestVersion`,
 * which database triggers bump whenever the hook's fields or its listeners change, whoever changes
 * them. sendEvent stores the event only if the version is still the planned one, so an outdated plan
 * stores nothing and is loaded again.
 *
 * A hook with more than MAX_PLANNED_LISTENERS listeners is matched by the database per event (its
 * listeners change too often to wait for a quiet version). Its plan holds the hook alone, reused for
 * LARGE_HOOK_PLAN_TTL_MS: a change to such a hook's providesArgs or enabled made by another server is
 * seen within that time, as if the event had arrived that much earlier.
 */
export const MAX_PLANNED_LISTENERS = 500;
const LARGE_HOOK_PLAN_TTL_MS = 1_000;
/** Listeners held across all plans; the least recently used plans are dropped beyond this. */
const MAX_HELD_LISTENERS = 100_000;
const MAX_PLANS = 10_000;

/** What accepting an event needs to know about its hook. */
export interface IngestHook {
  id: string;
  name: string;
  providesArgs: string[];
  enabled: boolean;
}

export interface IngestPlan {
  hook: IngestHook;
  /** The hook's ingestVersion when the plan was loaded. */
  version: number;
  /** The hook's enabled listeners, or null when it has too many to hold (match them in the database). */
  listeners: CompilableListener[] | null;
  loadedAt: number;
}

// On globalThis: Next may bundle the routes that change hooks and the one that sends events
// separately, and a change must reach the one set of plans of the process.
const processPlans = globalThis as typeof globalThis & {
  __durianIngestPlans?: { plans: Map<string, IngestPlan>; heldListeners: number };
};
const state = (processPlans.__durianIngestPlans ??= { plans: new Map(), heldListeners: 0 });

function keyOf(projectId: string, name: string): string {
  return `${projectId}\u0000${name}`;
}

function isReusable(plan: IngestPlan, nowMs: number): boolean {
  return plan.listeners !== null || nowMs - plan.loadedAt < LARGE_HOOK_PLAN_TTL_MS;
}

export interface IngestPlanOptions {
  /** Load it from the database even if one is held (the one held turned out outdated). */
  reload?: boolean;
}

/** The plan for the project's hook by name, from memory when it may be reused; null when there is no such hook. */
export async function ingestPlanFor(
  db: PrismaClient,
  projectId: string,
  name: string,
  { reload = false }: IngestPlanOptions = {},
): Promise<IngestPlan | null> {
  const nowMs = Date.now();
  const key = keyOf(projectId, name);
  const held = state.plans.get(key);
  if (held && !reload && isReusable(held, nowMs)) {
    // Most recently used last, so eviction takes the least recently used first.
    state.plans.delete(key);
    state.plans.set(key, held);
    return held;
  }
  const plan = await loadPlan(db, projectId, name, nowMs);
  if (plan) hold(key, plan);
  else forget(key);
  return plan;
}

/** Drops the plan (its hook was changed or deleted, or an insert found it outdated). */
export function forgetIngestPlan(projectId: string, name: string): void {
  forget(keyOf(projectId, name));
}

type PlanRow = IngestHook & { version: number } & {
  listenerId: string | null;
  filter: unknown;
  listenerUpdatedAt: Date | null;
};

async function loadPlan(
  db: PrismaClient,
  projectId: string,
  name: string,
  nowMs: number,
): Promise<IngestPlan | null> {
  // One row per enabled listener (one row with null listener columns when there is none).
  // listenerUpdatedAt only keys the compiled-filter cache, so reading it in local time does no harm.
  const rows = await plainQueryFor(db)<PlanRow>(Prisma.sql`
    SELECT h.id, h.name, h."providesArgs", h.enabled, h."ingestVersion" AS version,
      l.id AS "listenerId", l.filter, l."updatedAt" AS "listenerUpdatedAt"
    FROM "Hook" h
    LEFT JOIN "Listener" l ON l."hookId" = h.id AND l.enabled
    WHERE h."projectId" = ${projectId} AND h.name = ${name}
    LIMIT ${MAX_PLANNED_LISTENERS + 1}`);
  const first = rows[0];
  if (!first) return null;
  const hook: IngestHook = {
    id: first.id,
    name: first.name,
    providesArgs: first.providesArgs,
    enabled: first.enabled,
  };
  const listeners =
    rows.length > MAX_PLANNED_LISTENERS
      ? null
      : rows.flatMap(({ listenerId, filter, listenerUpdatedAt }) =>
          listenerId === null ? [] : [{ id: listenerId, filter, updatedAt: listenerUpdatedAt! }],
        );
  return { hook, version: first.version, listeners, loadedAt: nowMs };
}

function hold(key: string, plan: IngestPlan): void {
  // A concurrent request may have loaded one meanwhile.
  forget(key);
  state.plans.set(key, plan);
  state.heldListeners += plan.listeners?.length ?? 0;
  for (const oldest of state.plans.keys()) {
    if (state.heldListeners <= MAX_HELD_LISTENERS && state.plans.size <= MAX_PLANS) break;
    if (oldest === key) break;
    forget(oldest);
  }
}

function forget(key: string): void {
  const plan = state.plans.get(key);
  if (!plan) return;
  state.plans.delete(key);
  state.heldListeners -= plan.listeners?.length ?? 0;
}
