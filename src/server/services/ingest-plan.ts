import { Prisma, type PrismaClient } from "@/generated/prisma/client";
import {
  compilePayloadValidator,
  hookFields,
  type FieldTypes,
  type PayloadValidator,
} from "@/core/hook-fields";
import { plainQueryFor } from "@/server/db/client";

/**
 * What accepting an event for a hook needs to know (each version's fields and whether it is enabled), kept
 * in memory: sending an event is the hot path. A plan is not a cache that may be stale. It carries the
 * hook's `ingestVersion`, which database triggers bump whenever the hook's fields or its listeners
 * change, whoever changes them; sendEvent stores the event only if the version is still the planned
 * one, so an outdated plan stores nothing and is loaded again. (Matching happens after the event is
 * stored, in the fan-out job.)
 */
const MAX_PLANS = 10_000;

/** The fields of one version of a hook. */
export interface IngestHookVersion {
  version: number;
  providesArgs: string[];
  fieldTypes: FieldTypes;
  /** Checks a payload against this version's field types, compiled once per plan. */
  validatePayload: PayloadValidator;
}

/** What accepting an event needs to know about its hook. */
export interface IngestHook {
  id: string;
  name: string;
  enabled: boolean;
  /** The latest version: events that name none are sent for it. */
  latestVersion: number;
  /** Every version's fields, oldest first. */
  versions: IngestHookVersion[];
}

/** The hook's fields at `version` (the latest when null), or null when it has no such version. */
export function ingestHookVersion(
  hook: IngestHook,
  version: number | null,
): (IngestHookVersion & { name: string }) | null {
  const wanted = version ?? hook.latestVersion;
  const found = hook.versions.find((candidate) => candidate.version === wanted);
  return found ? { name: hook.name, ...found } : null;
}

export interface IngestPlan {
  hook: IngestHook;
  /** The hook's ingestVersion when the plan was loaded. */
  version: number;
}

// On globalThis: Next may bundle the routes that change hooks and the one that sends events
// separately, and a change must reach the one set of plans of the process.
const processPlans = globalThis as typeof globalThis & { __durianIngestPlans?: Map<string, IngestPlan> };
const plans = (processPlans.__durianIngestPlans ??= new Map());

function keyOf(projectId: string, name: string): string {
  return `${projectId}\u0000${name}`;
}

export interface IngestPlanOptions {
  /** Load it from the database even if one is held (the one held turned out outdated). */
  reload?: boolean;
}

/** The plan for the project's hook by name, from memory unless `reload`; null when there is no such hook. */
export async function ingestPlanFor(
  db: PrismaClient,
  projectId: string,
  name: string,
  { reload = false }: IngestPlanOptions = {},
): Promise<IngestPlan | null> {
  const key = keyOf(projectId, name);
  const held = plans.get(key);
  if (held && !reload) {
    // Most recently used last, so eviction takes the least recently used first.
    plans.delete(key);
    plans.set(key, held);
    return held;
  }
  const plan = await loadPlan(db, projectId, name);
  plans.delete(key);
  if (!plan) return null;
  plans.set(key, plan);
  for (const oldest of plans.keys()) {
    if (plans.size <= MAX_PLANS) break;
    plans.delete(oldest);
  }
  return plan;
}

/** Drops the plan (its hook was changed or deleted). */
export function forgetIngestPlan(projectId: string, name: string): void {
  plans.delete(keyOf(projectId, name));
}

async function loadPlan(db: PrismaClient, projectId: string, name: string): Promise<IngestPlan | null> {
  type Row = Omit<IngestHook, "versions"> & {
    versions: Omit<IngestHookVersion, "validatePayload">[];
    version: number;
  };
  const [row] = await plainQueryFor(db)<Row>(Prisma.sql`
    SELECT h.id, h.name, h.enabled, h.version AS "latestVersion", h."ingestVersion" AS version,
      (SELECT json_agg(json_build_object('version', v.version, 'providesArgs', v."providesArgs",
         'fieldTypes', v."fieldTypes") ORDER BY v.version)
       FROM "HookVersion" v WHERE v."hookId" = h.id) AS versions
    FROM "Hook" h WHERE h."projectId" = ${projectId} AND h.name = ${name}`);
  if (!row) return null;
  const { version, versions, ...hook } = row;
  const compiled = versions.map((each) => ({
    ...each,
    validatePayload: compilePayloadValidator(hookFields(each.providesArgs, each.fieldTypes)),
  }));
  return { hook: { ...hook, versions: compiled }, version };
}
