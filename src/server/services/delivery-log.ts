import type { PrismaClient } from "@/generated/prisma/client";
import { getDb } from "@/server/db/client";
import { DEFAULT_PAGE_SIZE } from "@/contracts/common";
import type { DeliveryLogFilters, ListEventsQuery } from "@/contracts/events";
import {
  type DeliveryRecord,
  type DeliveryWithAttempts,
  type EventSummary,
  getDelivery,
  hookIdByName,
  listEvents,
  timeRange,
  toDeliveryRecord,
  withListenerLabel,
} from "./deliveries-read";
import type { Page } from "./pagination";

// Dashboard reads around the delivery log that the REST API has no use for: what changed since the
// last poll (the live log), the choices for its filters, a delivery with its hook's name, and the
// event log with each event's delivery counts.
// Pages themselves come from `listDeliveries` (deliveries-read.ts), with the same filters.

/** At most this many changed deliveries per poll; a busier second is caught up by the next polls. */
export const MAX_CHANGES_PER_POLL = 200;
/** Choices offered in each filter select of the log. */
export const MAX_FILTER_CHOICES = 200;

export interface DeliveryChanges {
  /** Deliveries created or changed after `changedSince`, oldest change first. */
  items: DeliveryRecord[];
  /** True when there were more than MAX_CHANGES_PER_POLL; ask again from the last item's `updatedAt`. */
  more: boolean;
}

/**
 * Deliveries matching the log's filters that were created or changed after `changedSince`: one
 * range of the (projectId, updatedAt) index. A poller passes the newest `updatedAt` it has seen,
 * minus a margin for transactions that committed late, and merges the rows by id.
 */
export async function deliveryChangesSince(
  projectId: string,
  { status, hook, listenerId, since, until }: DeliveryLogFilters,
  changedSince: Date,
  db: PrismaClient = getDb(),
): Promise<DeliveryChanges> {
  const hookId = hook !== undefined ? await hookIdByName(projectId, hook, db) : undefined;
  if (hookId === null) return { items: [], more: false };
  const createdAt = timeRange(since, until);
  const rows = await db.delivery.findMany({
    where: {
      projectId,
      updatedAt: { gt: changedSince },
      ...(status !== undefined && { status }),
      ...(hookId !== undefined && { hookId }),
      ...(listenerId !== undefined && { listenerId }),
      ...(createdAt && { createdAt }),
    },
    orderBy: [{ updatedAt: "asc" }, { id: "asc" }],
    take: MAX_CHANGES_PER_POLL + 1,
    include: withListenerLabel,
  });
  const more = rows.length > MAX_CHANGES_PER_POLL;
  return { items: rows.slice(0, MAX_CHANGES_PER_POLL).map(toDeliveryRecord), more };
}

export interface DeliveryLogFilterChoices {
  hooks: { id: string; name: string }[];
  listeners: { id: string; name: string | null; url: string; hook: string; description: string }[];
}

/** The hooks and listeners the log's filters offer (and its rows are labelled with). */
export async function deliveryLogFilterChoices(
  projectId: string,
  db: PrismaClient = getDb(),
): Promise<DeliveryLogFilterChoices> {
  const [hooks, listeners] = await Promise.all([
    db.hook.findMany({
      where: { projectId },
      select: { id: true, name: true },
      orderBy: { name: "asc" },
      take: MAX_FILTER_CHOICES,
    }),
    db.listener.findMany({
      where: { projectId },
      select: { id: true, name: true, url: true, description: true, hook: { select: { name: true } } },
      orderBy: { id: "desc" },
      take: MAX_FILTER_CHOICES,
    }),
  ]);
  return {
    hooks,
    listeners: listeners.map(({ hook, ...listener }) => ({ ...listener, hook: hook.name })),
  };
}

export type DeliveryDetail = DeliveryWithAttempts & {
  hookName: string;
  eventCreatedAt: Date;
  listenerEnabled: boolean;
};

/** A delivery with its attempts, plus what its page shows about the hook, event and listener. */
export async function getDeliveryDetail(
  projectId: string,
  deliveryId: string,
  db: PrismaClient = getDb(),
): Promise<DeliveryDetail> {
  const delivery = await getDelivery(projectId, deliveryId, db);
  const [event, listener] = await Promise.all([
    db.event.findUniqueOrThrow({
      where: { id: delivery.eventId },
      select: { hookName: true, createdAt: true },
    }),
    db.listener.findUniqueOrThrow({ where: { id: delivery.listenerId }, select: { enabled: true } }),
  ]);
  return {
    ...delivery,
    hookName: event.hookName,
    eventCreatedAt: event.createdAt,
    listenerEnabled: listener.enabled,
  };
}

export interface EventDeliveryTally {
  total: number;
  succeeded: number;
  failed: number;
}

export type EventLogEntry = EventSummary & { deliveries: EventDeliveryTally };

/** A page of the event log (`listEvents`), each event with how its deliveries went. */
export async function listEventLog(
  projectId: string,
  query: ListEventsQuery = { limit: DEFAULT_PAGE_SIZE },
  db: PrismaClient = getDb(),
): Promise<Page<EventLogEntry>> {
  const page = await listEvents(projectId, query, db);
  const eventIds = page.items.map((event) => event.id);
  const counts =
    eventIds.length === 0
      ? []
      : await db.delivery.groupBy({
          by: ["eventId", "status"],
          where: { eventId: { in: eventIds } },
          _count: { _all: true },
        });
  const tallies = new Map<string, EventDeliveryTally>(
    eventIds.map((id) => [id, { total: 0, succeeded: 0, failed: 0 }]),
  );
  for (const row of counts) {
    const tally = tallies.get(row.eventId)!;
    tally.total += row._count._all;
    if (row.status === "succeeded") tally.succeeded += row._count._all;
    if (row.status === "failed") tally.failed += row._count._all;
  }
  return { ...page, items: page.items.map((event) => ({ ...event, deliveries: tallies.get(event.id)! })) };
}
