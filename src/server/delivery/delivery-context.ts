import type { AttemptSubject } from "@/core/delivery";
import { effectiveConfig, type ListenerConfig, storedConfigForm } from "@/core/hook-fields";
import { Prisma } from "@/generated/prisma/client";

/**
 * Everything one attempt of a delivery needs, read in the same statement that claims the delivery:
 * the delivery, its event, its listener and the hook's timeout and schedule.
 */
export interface DeliveryContext {
  deliveryId: string;
  projectId: string;
  eventId: string;
  listenerId: string;
  hookId: string;
  /** Attempts recorded so far; this attempt is number `attemptCount + 1`. */
  attemptCount: number;
  /** The claim's lease: another runner may take the delivery over after this time. */
  lockedUntil: Date;
  hookName: string;
  /** The version of the hook's fields the event was sent for. */
  hookVersion: number;
  payload: Record<string, unknown>;
  eventCreatedAt: Date;
  /** The trace context of the request that accepted the event (null when tracing was off). */
  eventTraceparent: string | null;
  url: string;
  envelope: boolean;
  headers: unknown;
  secret: string;
  previousSecret: string | null;
  previousSecretUntil: Date | null;
  listenerEnabled: boolean;
  disabledReason: string | null;
  timeoutMs: number;
  retrySchedule: number[];
  /** The fields of the event's version: the delivery is projected to them. */
  providesArgs: string[];
  /** The hook's configForm options and the listener's settings of them, as stored. */
  configForm: unknown;
  listenerConfig: unknown;
}

/**
 * The select list producing a `DeliveryContext` from a claimed delivery `c` joined with its event `e`,
 * listener `l` and hook `h`, with `payload` as the event's payload. Claims run as plain SQL
 * (`plainQueryFor`), whose driver reads a timestamp without a time zone as local time, so the stored
 * UTC times are handed over with their zone.
 */
function contextColumns(payload: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
  c.id AS "deliveryId", c."projectId", c."eventId", c."listenerId", c."hookId", c."attemptCount",
  c."lockedUntil" AT TIME ZONE 'UTC' AS "lockedUntil",
  e."hookName", e."hookVersion", ${payload} AS payload, e."createdAt" AT TIME ZONE 'UTC' AS "eventCreatedAt", e.traceparent AS "eventTraceparent",
  l.url, l.envelope, l.headers, l.secret, l."previousSecret",
  l."previousSecretUntil" AT TIME ZONE 'UTC' AS "previousSecretUntil",
  l.enabled AS "listenerEnabled", l."disabledReason", l.config AS "listenerConfig",
  h."timeoutMs", h."retrySchedule", h."configForm",
  (SELECT v."providesArgs" FROM "HookVersion" v WHERE v."hookId" = c."hookId" AND v.version = e."hookVersion")
    AS "providesArgs"`;
}

/** The select list producing a `DeliveryContext` (see contextColumns). */
export const DELIVERY_CONTEXT_COLUMNS = contextColumns(Prisma.sql`e.payload`);

/**
 * DELIVERY_CONTEXT_COLUMNS for claims of many deliveries, whose rows go through `withSharedPayloads`:
 * each event's payload comes in one of its rows only (null in the others). A fan-out's claim takes
 * a hundred deliveries of one event, and each row carried the whole payload, read from its table,
 * sent and parsed again: for a 10 KB event, a megabyte a claim.
 */
export const CLAIM_CONTEXT_COLUMNS = contextColumns(
  Prisma.sql`CASE WHEN row_number() OVER (PARTITION BY c."eventId") = 1 THEN e.payload END`,
);

/** A row of CLAIM_CONTEXT_COLUMNS: the payload only in one row of each event. */
export type ClaimContextRow = Omit<DeliveryContext, "payload"> & { payload: Record<string, unknown> | null };

/** Rows of CLAIM_CONTEXT_COLUMNS as contexts, in place: the rows of one event share its payload, read once. */
export function withSharedPayloads<Row extends ClaimContextRow>(
  rows: Row[],
): (Row & { payload: Record<string, unknown> })[] {
  const payloads = new Map<string, Record<string, unknown>>();
  for (const row of rows) if (row.payload !== null) payloads.set(row.eventId, row.payload);
  for (const row of rows) row.payload ??= payloads.get(row.eventId)!;
  return rows as (Row & { payload: Record<string, unknown> })[];
}

/**
 * What an attempt of the delivery sends, and to whom, for whoever sends it: a runner, or the relay
 * for `durian listen`. `headers`: the listener's custom headers as they go out, when the sender adds
 * one of its own.
 */
export function attemptSubjectOf(
  context: DeliveryContext,
  headers: unknown = context.headers,
): AttemptSubject {
  return {
    deliveryId: context.deliveryId,
    event: {
      id: context.eventId,
      hookName: context.hookName,
      hookVersion: context.hookVersion,
      payload: context.payload,
      createdAt: context.eventCreatedAt,
    },
    listener: {
      url: context.url,
      envelope: context.envelope,
      config: deliveredConfig(context),
      headers,
      secret: context.secret,
      previousSecret: context.previousSecret,
      previousSecretUntil: context.previousSecretUntil,
    },
    hook: {
      timeoutMs: context.timeoutMs,
      retrySchedule: context.retrySchedule,
      providesArgs: context.providesArgs,
    },
  };
}

/**
 * The listener's config as delivered (with the defaults of options it left unset); none when the hook
 * offers no options. Whoever sends an attempt (a runner, or the relay for `durian listen`) sends this.
 */
export function deliveredConfig(context: DeliveryContext): ListenerConfig | undefined {
  const options = storedConfigForm(context.configForm);
  return options.length === 0 ? undefined : effectiveConfig(options, context.listenerConfig);
}
