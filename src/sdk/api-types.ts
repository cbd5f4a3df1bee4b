// Shapes of what the Durian REST API (/api/v1) accepts and returns, after the zod schemas in
// src/server/rest/schemas. Not imported from there: those use zod and this app's `@/` path alias, and
// the SDK must stay importable on its own.

import type { FilterJson } from "./filter-json";

export type HookKind = "custom" | "signal" | "model";

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A payload as apps hand it to the SDK: a plain object, projected to providesArgs before sending. */
export type Payload = Record<string, unknown>;

/** Body of `PUT /api/v1/hooks/{name}` plus the name. */
export interface HookDefinition {
  name: string;
  verboseName?: string;
  description?: string;
  providesArgs: string[];
  kind?: HookKind;
  timeoutMs?: number;
  /** Seconds to wait before each retry. */
  retrySchedule?: number[];
}

export interface HookRecord {
  id: string;
  name: string;
  verboseName: string;
  description: string;
  providesArgs: string[];
  kind: HookKind;
  timeoutMs: number;
  retrySchedule: number[];
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface HookWithStats extends HookRecord {
  stats: {
    listeners: number;
    /** Events accepted in the last 24 hours. */
    events24h: number;
    /** Succeeded / finished deliveries of the last 24 hours, 0–1; null when none finished. */
    successRate24h: number | null;
  };
}

export interface PutHookResult {
  /** True when the server answered 201 (the hook did not exist), false on 200 (updated). */
  created: boolean;
  hook: HookRecord;
}

/** One page of a list route; pass `nextCursor` as `cursor` for the next one (null on the last page). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageQuery {
  cursor?: string;
  /** Page size (the server's default is 50, its maximum 200). */
  limit?: number;
}

export interface SendEventBody {
  payload: Payload;
  sender?: string | null;
}

export interface SendEventOptions {
  /** Sent as the `Idempotency-Key` header: a repeat within 24 h returns the first answer. */
  idempotencyKey?: string;
  /** Seconds (0–30) the API waits for each delivery's first outcome before answering. */
  wait?: number;
}

export type DeliveryStatus = "pending" | "delivering" | "succeeded" | "failed";

/** A delivery's first outcome, as `?wait=` reports it. */
export interface DeliveryOutcome {
  id: string;
  listenerId: string;
  status: DeliveryStatus;
  attemptCount: number;
  /** null when no attempt finished before the wait ran out. */
  firstAttempt: {
    responseStatus: number | null;
    errorClass: string | null;
    errorMessage: string | null;
    durationMs: number;
  } | null;
}

export interface SendEventResult {
  eventId: string;
  /**
   * With `wait`: the deliveries made by the time of the answer. Durian matches the event against the
   * listeners after accepting it, so without `wait` this is absent.
   */
  matched?: number;
  /** Each delivery's first outcome, present when `wait` was given. */
  deliveries?: DeliveryOutcome[];
}

export type ListenerHeaders = Record<string, string>;

export interface CreateListenerBody {
  /** The hook's name. */
  hook: string;
  url: string;
  filter?: FilterJson;
  description?: string;
  headers?: ListenerHeaders;
  /** Deliver `{type, timestamp, data}` instead of the bare payload. */
  envelope?: boolean;
  /** Once disabled by failures, pinged and enabled again when it answers (default false). */
  selfHealing?: boolean;
}

export interface UpdateListenerBody {
  url?: string;
  filter?: FilterJson;
  description?: string;
  headers?: ListenerHeaders;
  envelope?: boolean;
  selfHealing?: boolean;
  /** Re-enabling clears the failure count and the reason it was disabled. */
  enabled?: boolean;
}

export interface ListenerRecord {
  id: string;
  /** The hook's name. */
  hook: string;
  hookId: string;
  url: string;
  filter: FilterJson;
  description: string;
  headers: ListenerHeaders;
  envelope: boolean;
  enabled: boolean;
  disabledReason: string | null;
  /** When it was disabled; null while enabled. */
  disabledAt: string | null;
  consecutiveFailures: number;
  selfHealing: boolean;
  /** After a rotation, the previous secret keeps signing until then. */
  previousSecretUntil: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A listener with its `whsec_…` signing secret (on creation and on rotation). */
export interface ListenerWithSecret extends ListenerRecord {
  secret: string;
}

export interface DeliveryRecord {
  id: string;
  eventId: string;
  listenerId: string;
  listenerUrl: string;
  hookId: string;
  status: DeliveryStatus;
  attemptCount: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastStatusCode: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface DeliveryAttempt {
  id: string;
  number: number;
  startedAt: string;
  durationMs: number;
  requestUrl: string;
  requestHeaders: Record<string, string>;
  requestBody: string;
  responseStatus: number | null;
  responseHeaders: Record<string, string> | null;
  /** The first 64 KB. */
  responseBody: string | null;
  /** timeout | dns | refused | tls | blocked | http */
  errorClass: string | null;
  errorMessage: string | null;
  nextAttemptAt: string | null;
}

export interface EventRecord {
  id: string;
  hookId: string;
  /** The hook's name when the event was sent. */
  hook: string;
  /** The stored payload, projected to the hook's providesArgs. */
  payload: Record<string, JsonValue>;
  sender: string | null;
  createdAt: string;
  deliveries: (DeliveryRecord & { attempts: DeliveryAttempt[] })[];
}
