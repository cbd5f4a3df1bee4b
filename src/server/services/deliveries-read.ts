import type {
  Delivery,
  DeliveryAttempt,
  DeliveryStatus,
  Event,
  Prisma,
  PrismaClient,
} from "@/generated/prisma/client";
import { getDb } from "@/server/db/client";
import { DEFAULT_PAGE_SIZE } from "@/contracts/common";
import type { ListDeliveriesQuery, ListEventsQuery } from "@/contracts/events";
import { attemptBody } from "@/core/delivery";
import type { AttemptRecord as PerformedAttemptRecord } from "@/core/delivery/perform-attempt";
import type { ListenerConfig } from "@/core/hook-fields";
import { NotFoundError } from "./errors";
import { afterTimeCursor, decodeTimeCursor, encodeTimeCursor, pageFrom, type Page } from "./pagination";

// Reads of events, deliveries and attempts for the API and the dashboard. Lists are keyset pages in
// (createdAt desc, id asc) order, the order of the schema's (projectId, …, createdAt desc, id) indexes.

/** A stored attempt: what the core records of one attempt, with its id and the body it sent. */
export interface AttemptRecord extends Omit<PerformedAttemptRecord, "errorClass"> {
  id: string;
  requestBody: string;
  errorClass: string | null;
}

export interface DeliveryRecord {
  id: string;
  eventId: string;
  listenerId: string;
  listenerUrl: string;
  listenerName: string | null;
  hookId: string;
  status: DeliveryStatus;
  attemptCount: number;
  nextAttemptAt: Date | null;
  lastAttemptAt: Date | null;
  lastStatusCode: number | null;
  createdAt: Date;
  updatedAt: Date;
}

export type DeliveryWithAttempts = DeliveryRecord & { attempts: AttemptRecord[] };

export interface EventSummary {
  id: string;
  hookId: string;
  /** The hook's name when the event was sent. */
  hook: string;
  /** The version of the hook's fields it was sent for. */
  hookVersion: number;
  /** Projected to the hook's providesArgs. */
  payload: Record<string, unknown>;
  sender: string | null;
  createdAt: Date;
}

export type EventDetail = EventSummary & { deliveries: DeliveryWithAttempts[] };

export const withListenerLabel = { listener: { select: { url: true, name: true } } } as const;
type DeliveryRow = Delivery & { listener: { url: string; name: string | null } };

/** What an attempt's body is rebuilt from: its event, and the fields of the event's version (null: as stored). */
interface BodySource {
  event: Pick<Event, "payload" | "hookName" | "hookVersion" | "createdAt">;
  providesArgs: readonly string[] | null;
}

/**
 * The body an attempt sent. Attempts store no copy of it (it is the same for every attempt of a
 * delivery, and for a large event as large as the event): it is built again, as the runner built it,
 * from the event with the listener's envelope and config of that attempt. Older attempts kept a copy.
 */
function bodyOf(attempt: DeliveryAttempt, { event, providesArgs }: BodySource): string {
  if (attempt.requestBody !== null) return attempt.requestBody;
  const payload = event.payload as Record<string, unknown>;
  return attemptBody({
    event: { ...event, payload },
    listener: {
      envelope: attempt.bodyEnvelope,
      config: attempt.bodyConfig === null ? undefined : (JSON.parse(attempt.bodyConfig) as ListenerConfig),
    },
    // Without the version's fields, the payload as stored (projecting it to its own fields keeps it).
    hook: { providesArgs: providesArgs ?? Object.keys(payload) },
  });
}

/** What rebuilds these attempts' bodies; the version's fields are read only when one is to be rebuilt. */
async function bodySource(
  event: BodySource["event"] & { hookId: string },
  attempts: readonly DeliveryAttempt[],
  db: PrismaClient,
): Promise<BodySource> {
  if (attempts.every((attempt) => attempt.requestBody !== null)) return { event, providesArgs: null };
  const version = await db.hookVersion.findUnique({
    where: { hookId_version: { hookId: event.hookId, version: event.hookVersion } },
    select: { providesArgs: true },
  });
  // The payload was stored projected to these fields; the runner projects it again, as here.
  return { event, providesArgs: version?.providesArgs ?? null };
}

function toAttemptRecord(attempt: DeliveryAttempt, source: BodySource): AttemptRecord {
  return {
    id: attempt.id,
    number: attempt.number,
    startedAt: attempt.startedAt,
    durationMs: attempt.durationMs,
    requestUrl: attempt.requestUrl,
    requestHeaders: attempt.requestHeaders as Record<string, string>,
    requestBody: bodyOf(attempt, source),
    responseStatus: attempt.responseStatus,
    responseHeaders: attempt.responseHeaders as Record<string, string> | null,
    responseBody: attempt.responseBody,
    errorClass: attempt.errorClass,
    errorMessage: attempt.errorMessage,
    nextAttemptAt: attempt.nextAttemptAt,
  };
}

export function toDeliveryRecord(delivery: DeliveryRow): DeliveryRecord {
  return {
    id: delivery.id,
    eventId: delivery.eventId,
    listenerId: delivery.listenerId,
    listenerUrl: delivery.listener.url,
    listenerName: delivery.listener.name,
    hookId: delivery.hookId,
    status: delivery.status,
    attemptCount: delivery.attemptCount,
    nextAttemptAt: delivery.nextAttemptAt,
    lastAttemptAt: delivery.lastAttemptAt,
    lastStatusCode: delivery.lastStatusCode,
    createdAt: delivery.createdAt,
    updatedAt: delivery.updatedAt,
  };
}

export function toEventSummary(event: Event): EventSummary {
  return {
    id: event.id,
    hookId: event.hookId,
    hook: event.hookName,
    hookVersion: event.hookVersion,
    payload: event.payload as Record<string, unknown>,
    sender: event.sender,
    createdAt: event.createdAt,
  };
}

export function timeRange(
  since: Date | undefined,
  until: Date | undefined,
): Prisma.DateTimeFilter | undefined {
  if (!since && !until) return undefined;
  return { ...(since && { gte: since }), ...(until && { lt: until }) };
}

/** The id of the project's hook with this name, or null (a filter on an unknown hook finds nothing). */
export async function hookIdByName(
  projectId: string,
  name: string,
  db: PrismaClient,
): Promise<string | null> {
  const hook = await db.hook.findUnique({
    where: { projectId_name: { projectId, name } },
    select: { id: true },
  });
  return hook?.id ?? null;
}

export async function listEvents(
  projectId: string,
  { cursor, limit, hook, since, until }: ListEventsQuery = { limit: DEFAULT_PAGE_SIZE },
  db: PrismaClient = getDb(),
): Promise<Page<EventSummary>> {
  const after = cursor ? decodeTimeCursor(cursor) : undefined;
  const hookId = hook !== undefined ? await hookIdByName(projectId, hook, db) : undefined;
  if (hookId === null) return { items: [], nextCursor: null };
  const createdAt = timeRange(since, until);
  const rows = await db.event.findMany({
    where: {
      projectId,
      ...(hookId !== undefined && { hookId }),
      AND: [...(createdAt ? [{ createdAt }] : []), ...(after ? [afterTimeCursor(after)] : [])],
    },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take: limit + 1,
  });
  return pageFrom(rows, limit, encodeTimeCursor, toEventSummary);
}

/** The stored (projected) payload with every delivery and its attempts, oldest delivery first. */
export async function getEvent(
  projectId: string,
  eventId: string,
  db: PrismaClient = getDb(),
): Promise<EventDetail> {
  const event = await db.event.findFirst({
    where: { id: eventId, projectId },
    include: {
      deliveries: {
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        include: { ...withListenerLabel, attempts: { orderBy: { number: "asc" } } },
      },
    },
  });
  if (!event) throw new NotFoundError("Event");
  const source = await bodySource(
    event,
    event.deliveries.flatMap((delivery) => delivery.attempts),
    db,
  );
  return {
    ...toEventSummary(event),
    deliveries: event.deliveries.map((delivery) => ({
      ...toDeliveryRecord(delivery),
      attempts: delivery.attempts.map((attempt) => toAttemptRecord(attempt, source)),
    })),
  };
}

export async function listDeliveries(
  projectId: string,
  { cursor, limit, status, hook, listenerId, eventId, since, until }: ListDeliveriesQuery = {
    limit: DEFAULT_PAGE_SIZE,
  },
  db: PrismaClient = getDb(),
): Promise<Page<DeliveryRecord>> {
  const after = cursor ? decodeTimeCursor(cursor) : undefined;
  const hookId = hook !== undefined ? await hookIdByName(projectId, hook, db) : undefined;
  if (hookId === null) return { items: [], nextCursor: null };
  const createdAt = timeRange(since, until);
  const rows = await db.delivery.findMany({
    where: {
      projectId,
      ...(status !== undefined && { status }),
      ...(hookId !== undefined && { hookId }),
      ...(listenerId !== undefined && { listenerId }),
      ...(eventId !== undefined && { eventId }),
      AND: [...(createdAt ? [{ createdAt }] : []), ...(after ? [afterTimeCursor(after)] : [])],
    },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take: limit + 1,
    include: withListenerLabel,
  });
  return pageFrom(rows, limit, encodeTimeCursor, toDeliveryRecord);
}

export async function getDelivery(
  projectId: string,
  deliveryId: string,
  db: PrismaClient = getDb(),
): Promise<DeliveryWithAttempts> {
  const delivery = await db.delivery.findFirst({
    where: { id: deliveryId, projectId },
    include: { ...withListenerLabel, attempts: { orderBy: { number: "asc" } }, event: true },
  });
  if (!delivery) throw new NotFoundError("Delivery");
  const source = await bodySource(delivery.event, delivery.attempts, db);
  return {
    ...toDeliveryRecord(delivery),
    attempts: delivery.attempts.map((attempt) => toAttemptRecord(attempt, source)),
  };
}
