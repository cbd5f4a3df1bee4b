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
 * listener `l` and hook `h`. Claims run as plain SQL (`plainQueryFor`), whose driver reads a timestamp
 * without a time zone as local time, so the stored UTC times are handed over with their zone.
 */
export const DELIVERY_CONTEXT_COLUMNS = Prisma.sql`
  c.id AS "deliveryId", c."projectId", c."eventId", c."listenerId", c."hookId", c."attemptCount",
  c."lockedUntil" AT TIME ZONE 'UTC' AS "lockedUntil",
  e."hookName", e."hookVersion", e.payload, e."createdAt" AT TIME ZONE 'UTC' AS "eventCreatedAt", e.traceparent AS "eventTraceparent",
  l.url, l.envelope, l.headers, l.secret, l."previousSecret",
  l."previousSecretUntil" AT TIME ZONE 'UTC' AS "previousSecretUntil",
  l.enabled AS "listenerEnabled", l."disabledReason", l.config AS "listenerConfig",
  h."timeoutMs", h."retrySchedule", h."configForm",
  (SELECT v."providesArgs" FROM "HookVersion" v WHERE v."hookId" = c."hookId" AND v.version = e."hookVersion")
    AS "providesArgs"`;

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
