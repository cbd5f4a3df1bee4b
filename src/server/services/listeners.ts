import { parseAllowlist, type DestinationAllowlist } from "@/core/delivery/allowlist";
import { DISABLED_BY_USER_REASON } from "@/core/delivery/auto-disable";
import { checkDestinationUrl } from "@/core/delivery/destination";
import { listenerIndexKey, validateFilter, type Filter } from "@/core/filter";
import { type ConfigValue, configProblems, type HookField, storedConfigForm } from "@/core/hook-fields";
import { generateSecret, previousSecretExpiry } from "@/core/signing";
import type { Hook, Listener, Prisma, PrismaClient } from "@/generated/prisma/client";
import { getDb } from "@/server/db/client";
import { env } from "@/server/env";
import { allowlistForDestination, withoutInspectorTrailingSlash } from "@/server/inspector/own-inspector-url";
import { openListenerSecret, sealListenerSecret } from "@/server/secrets";
import { DEFAULT_PAGE_SIZE } from "@/contracts/common";
import type { CreateListener, ListListenersQuery, UpdateListener } from "@/contracts/listeners";
import { z } from "zod";
import { type FieldError, NotFoundError, ValidationError } from "./errors";
import { fieldsOfHook, requireHook } from "./hooks";
import { decodeCursor, encodeCursor, pageFrom, type Page } from "./pagination";

export { DISABLED_BY_USER_REASON } from "@/core/delivery/auto-disable";

export interface ListenerRecord {
  id: string;
  /** The hook's name. */
  hook: string;
  hookId: string;
  name: string | null;
  /** The app's customer it belongs to; null for the project's own. */
  customer: string | null;
  url: string;
  filter: Filter;
  description: string;
  headers: Record<string, string>;
  envelope: boolean;
  /** Its deliveries go to `durian listen` streams (src/server/services/relay.ts), never POSTed by a runner. */
  relay: boolean;
  enabled: boolean;
  disabledReason: string | null;
  disabledAt: Date | null;
  consecutiveFailures: number;
  /** Pinged while disabled by failures, and enabled again once pings succeed. */
  selfHealing: boolean;
  /** The version of the hook's fields it receives events of. */
  hookVersion: number;
  /** Its values of the hook's configForm options (defaults are added when delivering). */
  config: Record<string, ConfigValue>;
  /** After a rotation, the previous secret keeps signing until then. */
  previousSecretUntil: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export type ListenerWithSecret = ListenerRecord & { secret: string };

export type ListenerWithHookName = Listener & { hook: { name: string } };
export const withHookName = { hook: { select: { name: true } } } as const;

export function toListenerRecord(listener: ListenerWithHookName): ListenerRecord {
  return {
    id: listener.id,
    hook: listener.hook.name,
    hookId: listener.hookId,
    name: listener.name,
    customer: listener.customer,
    url: listener.url,
    filter: listener.filter as Filter,
    description: listener.description,
    headers: listener.headers as Record<string, string>,
    envelope: listener.envelope,
    relay: listener.relay,
    enabled: listener.enabled,
    disabledReason: listener.disabledReason,
    disabledAt: listener.disabledAt,
    consecutiveFailures: listener.consecutiveFailures,
    selfHealing: listener.selfHealing,
    hookVersion: listener.hookVersion,
    config: listener.config as Record<string, ConfigValue>,
    previousSecretUntil: listener.previousSecretUntil,
    createdAt: listener.createdAt,
    updatedAt: listener.updatedAt,
  };
}

export function withSecret(listener: ListenerWithHookName): ListenerWithSecret {
  return { ...toListenerRecord(listener), secret: openListenerSecret(listener.secret) };
}

let allowlistCache: { source: readonly string[]; allowlist: DestinationAllowlist } | undefined;

function configuredAllowlist(): DestinationAllowlist {
  const source = env().DURIAN_ALLOWED_HOSTS;
  if (allowlistCache?.source !== source) allowlistCache = { source, allowlist: parseAllowlist(source) };
  return allowlistCache.allowlist;
}

/**
 * Why a listener URL would be refused, or null: http(s) only, no credentials, no loopback, private,
 * link-local or metadata address unless DURIAN_ALLOWED_HOSTS lists it. Names are resolved only when
 * a delivery connects; this is the check a form can run as the user types.
 */
export function listenerUrlProblem(url: string): string | null {
  // The same allowlist the delivery will run under: the app's own request inspector is allowed
  // although it is usually loopback.
  const check = checkDestinationUrl(url, allowlistForDestination(url, configuredAllowlist()));
  if (check.allowed) return null;
  return check.message.replace(/^url: /, "");
}

/** The URL to store, or ValidationError saying why it cannot be delivered to. */
function usableUrl(url: string): string {
  const problem = listenerUrlProblem(url);
  if (problem) throw new ValidationError([{ path: "url", message: problem }]);
  return withoutInspectorTrailingSlash(url);
}

/** A blank name is no name. */
function storedName(name: string | null | undefined): string | null {
  return name || null;
}

function filterErrors(filter: unknown, fields: readonly HookField[]): FieldError[] {
  const result = validateFilter(filter, fields);
  if (result.ok) return [];
  return result.errors.map((error) => ({
    path: ["filter", ...error.path].join("."),
    message: error.message,
  }));
}

/** Refuses a filter that does not fit the hook's latest fields. */
export function assertFilterFitsHook(filter: unknown, hook: Hook): void {
  assertFitsHook(filterErrors(filter, fieldsOfHook(hook)));
}

function configErrors(config: Record<string, unknown>, hook: Hook): FieldError[] {
  return configProblems(storedConfigForm(hook.configForm), config).map((problem) => ({
    path: ["config", ...problem.path].join("."),
    message: problem.message,
  }));
}

/** The fields of the hook's `version`, or ValidationError naming the versions it has. */
async function versionFields(db: PrismaClient, hook: Hook, version: number): Promise<HookField[]> {
  const found = await db.hookVersion.findUnique({
    where: { hookId_version: { hookId: hook.id, version } },
    select: { providesArgs: true, fieldTypes: true },
  });
  if (found) return fieldsOfHook(found);
  throw new ValidationError([
    {
      path: "hookVersion",
      message: `hook "${hook.name}" has no version ${version} (its versions are 1 to ${hook.version})`,
    },
  ]);
}

/** Refuses a listener whose filter does not fit its version's fields or whose config does not fit the hook's form. */
function assertFitsHook(errors: FieldError[]): void {
  if (errors.length > 0) throw new ValidationError(errors);
}

export async function createListener(
  projectId: string,
  data: CreateListener,
  db: PrismaClient = getDb(),
): Promise<ListenerWithSecret> {
  const url = usableUrl(data.url);
  const hook = await requireHook(projectId, data.hook, db);
  const hookVersion = data.hookVersion ?? hook.version;
  const fields = await versionFields(db, hook, hookVersion);
  assertFitsHook([...filterErrors(data.filter, fields), ...configErrors(data.config, hook)]);
  const listener = await db.listener.create({
    data: {
      projectId,
      hookId: hook.id,
      hookVersion,
      config: data.config,
      name: storedName(data.name),
      customer: data.customer ?? null,
      url,
      filter: data.filter as Prisma.InputJsonObject,
      ...listenerIndexKey(data.filter),
      description: data.description,
      headers: data.headers,
      envelope: data.envelope,
      selfHealing: data.selfHealing,
      secret: sealListenerSecret(generateSecret()),
    },
    include: withHookName,
  });
  return withSecret(listener);
}

async function requireListener(
  projectId: string,
  id: string,
  db: PrismaClient,
): Promise<ListenerWithHookName> {
  const listener = await db.listener.findFirst({ where: { id, projectId }, include: withHookName });
  if (!listener) throw new NotFoundError("Listener");
  return listener;
}

/** One listener with its signing secret (the dashboard can reveal and copy it). */
export async function getListener(
  projectId: string,
  id: string,
  db: PrismaClient = getDb(),
): Promise<ListenerWithSecret> {
  return withSecret(await requireListener(projectId, id, db));
}

const idCursorSchema = z.object({ id: z.string() });

/**
 * Listeners, newest first, never with their secrets. Ordered by id, which Prisma's cuid() makes grow
 * with creation time, so a page is one range of the primary key index.
 */
export async function listListeners(
  projectId: string,
  { cursor, limit, hook, customer }: ListListenersQuery = { limit: DEFAULT_PAGE_SIZE },
  db: PrismaClient = getDb(),
): Promise<Page<ListenerRecord>> {
  const before = cursor ? decodeCursor(cursor, idCursorSchema).id : undefined;
  const rows = await db.listener.findMany({
    where: {
      projectId,
      ...(hook !== undefined && { hook: { projectId, name: hook } }),
      ...(customer !== undefined && { customer }),
      ...(before !== undefined && { id: { lt: before } }),
    },
    orderBy: { id: "desc" },
    take: limit + 1,
    include: withHookName,
  });
  return pageFrom(rows, limit, (row) => encodeCursor({ id: row.id }), toListenerRecord);
}

/** A listener enabled again starts afresh: no failures, no reason, no self-healing pings under way. */
export const ENABLED_AGAIN = {
  enabled: true,
  disabledReason: null,
  disabledAt: null,
  consecutiveFailures: 0,
  probeSuccesses: 0,
  probeFailures: 0,
  nextProbeAt: null,
} satisfies Prisma.ListenerUpdateInput;

/** Changes only the fields given. Re-enabling clears the failure count and the disabled reason. */
export async function updateListener(
  projectId: string,
  id: string,
  changes: UpdateListener,
  db: PrismaClient = getDb(),
): Promise<ListenerRecord> {
  const url = changes.url === undefined ? undefined : usableUrl(changes.url);
  const listener = await requireListener(projectId, id, db);
  const data: Prisma.ListenerUpdateInput = {};
  if (url !== undefined) data.url = url;
  if (changes.name !== undefined) data.name = storedName(changes.name);
  if (changes.customer !== undefined) data.customer = changes.customer;
  if (changes.description !== undefined) data.description = changes.description;
  if (changes.headers !== undefined) data.headers = changes.headers;
  if (changes.envelope !== undefined) data.envelope = changes.envelope;
  if (changes.selfHealing !== undefined) data.selfHealing = changes.selfHealing;
  if (changes.filter !== undefined || changes.hookVersion !== undefined || changes.config !== undefined) {
    const hook = await db.hook.findUniqueOrThrow({ where: { id: listener.hookId } });
    const hookVersion = changes.hookVersion ?? listener.hookVersion;
    // Moved to another version, its filter must fit that version's fields.
    const filter = changes.filter ?? (listener.filter as Filter);
    const fields = await versionFields(db, hook, hookVersion);
    assertFitsHook([
      ...filterErrors(filter, fields),
      ...(changes.config === undefined ? [] : configErrors(changes.config, hook)),
    ]);
    if (changes.filter !== undefined) {
      data.filter = changes.filter as Prisma.InputJsonObject;
      Object.assign(data, listenerIndexKey(changes.filter));
    }
    if (changes.hookVersion !== undefined) data.hookVersion = changes.hookVersion;
    if (changes.config !== undefined) data.config = changes.config;
  }
  if (changes.enabled === true && !listener.enabled) {
    Object.assign(data, ENABLED_AGAIN);
  } else if (changes.enabled === false && listener.enabled) {
    Object.assign(data, { enabled: false, disabledReason: DISABLED_BY_USER_REASON, disabledAt: new Date() });
  }
  const updated = await db.listener.update({ where: { id: listener.id }, data, include: withHookName });
  return toListenerRecord(updated);
}

export async function deleteListener(
  projectId: string,
  id: string,
  db: PrismaClient = getDb(),
): Promise<void> {
  const { count } = await db.listener.deleteMany({ where: { id, projectId } });
  if (count === 0) throw new NotFoundError("Listener");
}

/**
 * A new signing secret. The one it replaces keeps signing (beside the new one) for 24 hours, so
 * receivers can switch without dropping deliveries; an older previous secret is dropped.
 */
export async function rotateListenerSecret(
  projectId: string,
  id: string,
  db: PrismaClient = getDb(),
  now: Date = new Date(),
): Promise<ListenerWithSecret> {
  const listener = await requireListener(projectId, id, db);
  const rotated = await db.listener.update({
    where: { id: listener.id },
    data: {
      secret: sealListenerSecret(generateSecret()),
      // Re-encrypted rather than copied: a secret from before encryption, or under an older key, is
      // written with the current key.
      previousSecret: sealListenerSecret(openListenerSecret(listener.secret)),
      previousSecretUntil: previousSecretExpiry(now),
    },
    include: withHookName,
  });
  return withSecret(rotated);
}
