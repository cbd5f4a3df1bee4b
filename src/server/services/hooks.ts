import { isDeepStrictEqual } from "node:util";
import {
  type ConfigOption,
  denormalizeHookField,
  type FieldChange,
  fieldChanges,
  type FieldTypes,
  type HookField,
  type HookFieldInput,
  hookFields,
  hookPayloadSchema,
  type HookPayloadSchema,
  hookTypeScript,
  isBreakingChange,
  normalizeHookField,
  storedConfigForm,
  storedHookFields,
} from "@/core/hook-fields";
import type { Hook, Prisma, PrismaClient } from "@/generated/prisma/client";
import { getDb } from "@/server/db/client";
import { DEFAULT_PAGE_SIZE } from "@/contracts/common";
import type { HookDefinition, ListHooksQuery } from "@/contracts/hooks";
import { NotFoundError, ValidationError } from "./errors";
import { decodeCursor, encodeCursor, pageFrom, type Page } from "./pagination";
import { forgetIngestPlan } from "./ingest-plan";
import { isUniqueViolation } from "@/server/db/errors";
import { isOperationalHookName, OPERATIONAL_HOOK_PREFIX } from "@/server/operational/hooks";
import { z } from "zod";

/** Hook statistics cover this window (the dashboard's "last 24 h"). */
export const HOOK_STATS_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface HookRecord {
  id: string;
  name: string;
  verboseName: string;
  description: string;
  /** Bare names as strings, typed fields as objects (the form `PUT` takes). */
  providesArgs: HookFieldInput[];
  kind: "custom" | "signal" | "model";
  timeoutMs: number;
  retrySchedule: number[];
  configForm: ConfigOption[];
  /** The latest version of its fields. */
  version: number;
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface HookStats {
  listeners: number;
  events24h: number;
  /** Succeeded / finished deliveries in the window, 0–1; null when none finished. */
  successRate24h: number | null;
}

export type HookWithStats = HookRecord & { stats: HookStats };

/** The hook's fields in order, typed where it declared types. */
export function fieldsOfHook(hook: Pick<Hook, "providesArgs" | "fieldTypes">): HookField[] {
  return hookFields(hook.providesArgs, hook.fieldTypes as unknown as FieldTypes);
}

export interface HookVersionRecord {
  version: number;
  providesArgs: HookFieldInput[];
  /** Listeners receiving this version's events. */
  listeners: number;
  /** What differs from the version before; empty for the first. */
  changes: FieldChange[];
  createdAt: Date;
}

export function toHookRecord(hook: Hook): HookRecord {
  return {
    id: hook.id,
    name: hook.name,
    verboseName: hook.verboseName,
    description: hook.description,
    providesArgs: fieldsOfHook(hook).map(denormalizeHookField),
    kind: hook.kind,
    timeoutMs: hook.timeoutMs,
    retrySchedule: hook.retrySchedule,
    configForm: storedConfigForm(hook.configForm),
    version: hook.version,
    enabled: hook.enabled,
    createdAt: hook.createdAt,
    updatedAt: hook.updatedAt,
  };
}

/** The hook named `name` in the project, or NotFoundError. */
export async function requireHook(
  projectId: string,
  name: string,
  db: PrismaClient = getDb(),
): Promise<Hook> {
  const hook = await db.hook.findUnique({ where: { projectId_name: { projectId, name } } });
  if (!hook) throw new NotFoundError(`Hook "${name}"`);
  return hook;
}

export async function getHook(
  projectId: string,
  name: string,
  db: PrismaClient = getDb(),
): Promise<HookRecord> {
  return toHookRecord(await requireHook(projectId, name, db));
}

/**
 * `PUT /hooks/{name}`: creates the hook or replaces its definition (omitted fields take their
 * defaults; `enabled` is left as it is). A breaking change to its fields (src/core/hook-fields/
 * compatibility.ts) adds a version, leaving the earlier versions and their listeners as they are; an
 * additive one rewrites the latest version in place. Idempotent: an unchanged definition writes nothing.
 */
export async function putHook(
  projectId: string,
  hookName: string,
  definition: HookDefinition,
  db: PrismaClient = getDb(),
): Promise<{ created: boolean; hook: HookRecord }> {
  assertNotOperational(hookName);
  const { providesArgs, ...rest } = definition;
  const fields = providesArgs.map(normalizeHookField);
  const stored = storedHookFields(fields);
  const data: StoredDefinition = {
    ...rest,
    providesArgs: stored.providesArgs,
    fieldTypes: stored.fieldTypes as unknown as Prisma.InputJsonObject,
    configForm: definition.configForm as unknown as Prisma.InputJsonArray,
  };
  const existing = await db.hook.findUnique({ where: { projectId_name: { projectId, name: hookName } } });
  if (!existing) {
    try {
      const hook = await db.hook.create({ data: { projectId, name: hookName, ...data } });
      forgetIngestPlan(projectId, hookName);
      return { created: true, hook: toHookRecord(hook) };
    } catch (error) {
      // Another request created it in the meantime: this one becomes an update.
      if (!isUniqueViolation(error)) throw error;
    }
  }
  const hook = await updateDefinition(projectId, hookName, fields, data, db);
  forgetIngestPlan(projectId, hookName);
  return { created: false, hook };
}

type StoredDefinition = Omit<HookDefinition, "providesArgs" | "configForm"> & {
  providesArgs: string[];
  fieldTypes: Prisma.InputJsonObject;
  configForm: Prisma.InputJsonArray;
};

async function updateDefinition(
  projectId: string,
  name: string,
  fields: HookField[],
  definition: StoredDefinition,
  db: PrismaClient,
): Promise<HookRecord> {
  return db.$transaction(async (tx) => {
    // Locks the hook row, so two concurrent breaking changes cannot both take the same version number.
    const [locked] = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM "Hook" WHERE "projectId" = ${projectId} AND name = ${name} FOR UPDATE`;
    if (!locked) throw new NotFoundError(`Hook "${name}"`);
    const hook = await tx.hook.findUniqueOrThrow({ where: { id: locked.id } });
    if (sameDefinition(hook, definition)) return toHookRecord(hook);
    const breaking = isBreakingChange(fieldsOfHook(hook), fields);
    const version = breaking ? hook.version + 1 : hook.version;
    return toHookRecord(await tx.hook.update({ where: { id: hook.id }, data: { ...definition, version } }));
  });
}

function sameDefinition(hook: Hook, definition: StoredDefinition): boolean {
  return (
    hook.verboseName === definition.verboseName &&
    hook.description === definition.description &&
    hook.kind === definition.kind &&
    hook.timeoutMs === definition.timeoutMs &&
    isDeepStrictEqual(hook.providesArgs, definition.providesArgs) &&
    isDeepStrictEqual(hook.fieldTypes, definition.fieldTypes) &&
    isDeepStrictEqual(hook.configForm, definition.configForm) &&
    isDeepStrictEqual(hook.retrySchedule, definition.retrySchedule)
  );
}

/**
 * Every version of the hook's fields, latest first, each with the listeners on it and what changed
 * from the version before.
 */
export async function listHookVersions(
  projectId: string,
  name: string,
  db: PrismaClient = getDb(),
): Promise<HookVersionRecord[]> {
  const hook = await requireHook(projectId, name, db);
  const [versions, counts] = await Promise.all([
    db.hookVersion.findMany({ where: { hookId: hook.id }, orderBy: { version: "asc" } }),
    db.listener.groupBy({ by: ["hookVersion"], where: { hookId: hook.id }, _count: { _all: true } }),
  ]);
  const listeners = new Map(counts.map((row) => [row.hookVersion, row._count._all]));
  let before: HookField[] | null = null;
  const records: HookVersionRecord[] = [];
  for (const version of versions) {
    const fields = hookFields(version.providesArgs, version.fieldTypes as unknown as FieldTypes);
    records.push({
      version: version.version,
      providesArgs: fields.map(denormalizeHookField),
      listeners: listeners.get(version.version) ?? 0,
      changes: before ? fieldChanges(before, fields) : [],
      createdAt: version.createdAt,
    });
    before = fields;
  }
  return records.reverse();
}

/** Durian defines its operational hooks (src/server/operational/hooks.ts); users only listen to them. */
function assertNotOperational(name: string): void {
  if (!isOperationalHookName(name)) return;
  throw new ValidationError([
    {
      path: "name",
      message: `names starting with "${OPERATIONAL_HOOK_PREFIX}" are Durian's operational events; they cannot be defined, changed or deleted`,
    },
  ]);
}

/** Deletes the hook with its listeners, events and deliveries. */
export async function deleteHook(projectId: string, name: string, db: PrismaClient = getDb()): Promise<void> {
  assertNotOperational(name);
  const { count } = await db.hook.deleteMany({ where: { projectId, name } });
  forgetIngestPlan(projectId, name);
  if (count === 0) throw new NotFoundError(`Hook "${name}"`);
}

const hookCursorSchema = z.object({ name: z.string() });

/**
 * The project's hooks by name, each with its listener count and last-24-hours event count and success
 * rate. Durian's operational hooks are listed apart (`listOperationalHooks`).
 */
export async function listHooks(
  projectId: string,
  { cursor, limit, search }: ListHooksQuery = { limit: DEFAULT_PAGE_SIZE },
  db: PrismaClient = getDb(),
  now: Date = new Date(),
): Promise<Page<HookWithStats>> {
  const after = cursor ? decodeCursor(cursor, hookCursorSchema).name : undefined;
  const rows = await db.hook.findMany({
    where: {
      projectId,
      NOT: { name: { startsWith: OPERATIONAL_HOOK_PREFIX } },
      ...(after !== undefined && { name: { gt: after } }),
      ...(search && { id: { in: await hookIdsMatching(db, projectId, search) } }),
    },
    orderBy: { name: "asc" },
    take: limit + 1,
  });
  const page = pageFrom(
    rows,
    limit,
    (hook) => encodeCursor({ name: hook.name }),
    (hook) => hook,
  );
  const stats = await hookStats(
    projectId,
    page.items.map((hook) => hook.id),
    db,
    now,
  );
  return {
    items: page.items.map((hook) => ({ ...toHookRecord(hook), stats: stats.get(hook.id) ?? emptyStats() })),
    nextCursor: page.nextCursor,
  };
}

/** The project's hooks whose name, verbose name, description or one of its fields contains `search`, in any case. */
async function hookIdsMatching(db: PrismaClient, projectId: string, search: string): Promise<string[]> {
  const pattern = `%${search.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT id FROM "Hook"
    WHERE "projectId" = ${projectId}
      AND (name ILIKE ${pattern} OR "verboseName" ILIKE ${pattern} OR description ILIKE ${pattern}
           OR EXISTS (SELECT 1 FROM unnest("providesArgs") AS field WHERE field ILIKE ${pattern}))`;
  return rows.map((row) => row.id);
}

function emptyStats(): HookStats {
  return { listeners: 0, events24h: 0, successRate24h: null };
}

async function hookStats(projectId: string, hookIds: string[], db: PrismaClient, now: Date) {
  const stats = new Map<string, HookStats>(hookIds.map((id) => [id, emptyStats()]));
  if (hookIds.length === 0) return stats;
  const since = new Date(now.getTime() - HOOK_STATS_WINDOW_MS);
  const [listenerCounts, eventCounts, deliveryCounts] = await Promise.all([
    db.listener.groupBy({
      by: ["hookId"],
      where: { projectId, hookId: { in: hookIds } },
      _count: { _all: true },
    }),
    db.event.groupBy({
      by: ["hookId"],
      where: { hookId: { in: hookIds }, createdAt: { gte: since } },
      _count: { _all: true },
    }),
    db.delivery.groupBy({
      by: ["hookId", "status"],
      where: {
        projectId,
        hookId: { in: hookIds },
        createdAt: { gte: since },
        status: { in: ["succeeded", "failed"] },
      },
      _count: { _all: true },
    }),
  ]);
  for (const row of listenerCounts) stats.get(row.hookId)!.listeners = row._count._all;
  for (const row of eventCounts) stats.get(row.hookId)!.events24h = row._count._all;
  const finished = new Map<string, { succeeded: number; failed: number }>();
  for (const row of deliveryCounts) {
    const entry = finished.get(row.hookId) ?? { succeeded: 0, failed: 0 };
    entry[row.status as "succeeded" | "failed"] = row._count._all;
    finished.set(row.hookId, entry);
  }
  for (const [hookId, { succeeded, failed }] of finished) {
    stats.get(hookId)!.successRate24h = succeeded + failed === 0 ? null : succeeded / (succeeded + failed);
  }
  return stats;
}

/** One hook with the same last-24-hours stats as `listHooks` (the dashboard's hook page). */
export async function getHookWithStats(
  projectId: string,
  name: string,
  db: PrismaClient = getDb(),
  now: Date = new Date(),
): Promise<HookWithStats> {
  const hook = await requireHook(projectId, name, db);
  const stats = await hookStats(projectId, [hook.id], db, now);
  return { ...toHookRecord(hook), stats: stats.get(hook.id) ?? emptyStats() };
}

/** Durian's operational hooks of the project, with the same stats as `listHooks`. */
export async function listOperationalHooks(
  projectId: string,
  db: PrismaClient = getDb(),
  now: Date = new Date(),
): Promise<HookWithStats[]> {
  const hooks = await db.hook.findMany({
    where: { projectId, name: { startsWith: OPERATIONAL_HOOK_PREFIX } },
    orderBy: { name: "asc" },
  });
  const stats = await hookStats(
    projectId,
    hooks.map((hook) => hook.id),
    db,
    now,
  );
  return hooks.map((hook) => ({ ...toHookRecord(hook), stats: stats.get(hook.id) ?? emptyStats() }));
}

/** `GET /hooks/{name}/schema`: the hook's payload as a JSON Schema document. */
export async function getHookPayloadSchema(
  projectId: string,
  name: string,
  db: PrismaClient = getDb(),
): Promise<HookPayloadSchema> {
  const hook = await requireHook(projectId, name, db);
  return hookPayloadSchema(hook, fieldsOfHook(hook));
}

/** `GET /hooks/{name}/types`: the hook's payload as TypeScript declarations. */
export async function getHookTypeScript(
  projectId: string,
  name: string,
  db: PrismaClient = getDb(),
): Promise<string> {
  const hook = await requireHook(projectId, name, db);
  return hookTypeScript(hook, fieldsOfHook(hook));
}

/** Every hook of the project (Durian's operational ones too: they are delivered alike) with its payload schema. */
export async function listHookPayloadSchemas(
  projectId: string,
  db: PrismaClient = getDb(),
): Promise<{ name: string; verboseName: string; schema: HookPayloadSchema }[]> {
  const hooks = await db.hook.findMany({ where: { projectId }, orderBy: { name: "asc" } });
  return hooks.map((hook) => ({
    name: hook.name,
    verboseName: hook.verboseName,
    schema: hookPayloadSchema(hook, fieldsOfHook(hook), { standalone: false }),
  }));
}
