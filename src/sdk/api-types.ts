// Shapes of what the Durian REST API (/api/v1) accepts and returns. Records carry an index signature:
// the server may add fields over time, and an older SDK must keep working with them.

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
  [field: string]: unknown;
}

export interface PutHookResult {
  /** True when the server answered 201 (the hook did not exist), false on 200 (updated). */
  created: boolean;
  hook: HookRecord;
}

export interface SendEventBody {
  payload: Payload;
  sender?: string;
}

export interface SendEventOptions {
  /** Sent as the `Idempotency-Key` header: a repeat within 24 h returns the first answer. */
  idempotencyKey?: string;
  /** Seconds (0–30) the API waits for each delivery's first outcome before answering. */
  wait?: number;
}

export interface DeliveryOutcome {
  id: string;
  listenerId: string;
  status: string;
  [field: string]: unknown;
}

export interface SendEventResult {
  eventId: string;
  /** How many listeners matched the event. */
  matched: number;
  /** Each delivery's first outcome, present when `wait` was given. */
  deliveries?: DeliveryOutcome[];
  [field: string]: unknown;
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
}

export interface UpdateListenerBody {
  url?: string;
  filter?: FilterJson;
  description?: string;
  headers?: ListenerHeaders;
  envelope?: boolean;
  enabled?: boolean;
}

export interface ListenerRecord {
  id: string;
  url: string;
  filter: FilterJson;
  description: string;
  headers: ListenerHeaders;
  envelope: boolean;
  enabled: boolean;
  [field: string]: unknown;
}

/** A listener as returned on creation and on secret rotation: with its `whsec_…` signing secret. */
export interface ListenerWithSecret extends ListenerRecord {
  secret: string;
}

export interface EventRecord {
  id: string;
  /** The stored payload, already projected to the hook's providesArgs. */
  payload: Record<string, JsonValue>;
  sender?: string | null;
  deliveries: DeliveryRecord[];
  [field: string]: unknown;
}

export interface DeliveryRecord {
  id: string;
  listenerId: string;
  status: string;
  attempts?: unknown[];
  [field: string]: unknown;
}
