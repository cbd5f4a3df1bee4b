// Shapes of what the Durian REST API (/api/v1) accepts and returns, inferred from the zod schemas the
// server validates with and renders its OpenAPI document from, so the SDK cannot drift from them.
// Types only: the SDK's code never runs zod, and its build inlines the schemas' declarations into
// dist/index.d.ts (which then imports only zod's types). This is the one file that imports the
// contract (src/contracts).

import type { z } from "zod";
import type {
  createListenerSchema,
  deliveryOutcomeSchema,
  deliverySchema,
  deliveryStatusSchema,
  attemptSchema,
  createdPortalLinkSchema,
  createPortalLinkSchema,
  eventDetailSchema,
  hookDefinitionSchema,
  hookNameSchema,
  hookRecordSchema,
  hookWithStatsSchema,
  listHooksQuerySchema,
  listListenersQuerySchema,
  listenerRecordSchema,
  listenerWithSecretSchema,
  pageQuerySchema,
  portalLinkSchema,
  portalSettingsSchema,
  recoveredDeliveriesSchema,
  sendEventResultSchema,
  sendEventSchema,
  updateListenerSchema,
} from "../../../src/contracts";

export type HookKind = z.output<typeof hookRecordSchema>["kind"];

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A payload as apps hand it to the SDK: a plain object, projected to providesArgs before sending. */
export type Payload = Record<string, unknown>;

/** Body of `PUT /api/v1/hooks/{name}` plus the name; left-out fields take the server's defaults. */
export type HookDefinition = { name: z.input<typeof hookNameSchema> } & z.input<typeof hookDefinitionSchema>;

/** One entry of providesArgs as the API takes it: a bare name, or a name with its type. */
export type HookFieldInput = NonNullable<HookDefinition["providesArgs"]>[number];

export type HookRecord = z.output<typeof hookRecordSchema>;

/** A hook with its listener count, its events of the last 24 hours and their success rate. */
export type HookWithStats = z.output<typeof hookWithStatsSchema>;

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

/** `cursor` and `limit` (the server's default page size is 50, its maximum 200). */
export type PageQuery = Partial<z.output<typeof pageQuerySchema>>;
export type ListHooksQuery = Partial<z.output<typeof listHooksQuerySchema>>;
export type ListListenersQuery = Partial<z.output<typeof listListenersQuerySchema>>;

export type SendEventBody = z.input<typeof sendEventSchema>;

export interface SendEventOptions {
  /** Sent as the `Idempotency-Key` header: a repeat within 24 h returns the first answer. */
  idempotencyKey?: string;
  /** Seconds (0–30) the API waits for each delivery's first outcome before answering. */
  wait?: number;
}

export type DeliveryStatus = z.output<typeof deliveryStatusSchema>;

/** A delivery's first outcome, as `?wait=` reports it. */
export type DeliveryOutcome = z.output<typeof deliveryOutcomeSchema>;

/**
 * `eventId`; with `wait`, also `matched` (the deliveries made by the time of the answer: Durian
 * matches the event after accepting it) and each delivery's first outcome.
 */
export type SendEventResult = z.output<typeof sendEventResultSchema>;

export type ListenerHeaders = Record<string, string>;

/** A listener's values of its hook's `configForm` options (durian's config_form). */
export type ListenerConfig = NonNullable<z.input<typeof createListenerSchema>["config"]>;

/** One option of a hook's `configForm`: a typed scalar a listener sets, with an optional default. */
export type ConfigOption = NonNullable<z.input<typeof hookDefinitionSchema>["configForm"]>[number];

/** The filter language as JSON, as the server validates it (`{ name: { $startswith: "J" } }`). */
export type FilterJson = NonNullable<z.input<typeof createListenerSchema>["filter"]>;

/** Body of `POST /api/v1/listeners`: `hook` is the hook's name. */
export type CreateListenerBody = z.input<typeof createListenerSchema>;

/** Body of `PATCH /api/v1/listeners/{id}`: only the fields given change. */
export type UpdateListenerBody = z.input<typeof updateListenerSchema>;

export type ListenerRecord = z.output<typeof listenerRecordSchema>;

/** A listener with its `whsec_…` signing secret: on creation, on rotation and from `GET /listeners/{id}`. */
export type ListenerWithSecret = z.output<typeof listenerWithSecretSchema>;

export type DeliveryRecord = z.output<typeof deliverySchema>;

export type DeliveryAttempt = z.output<typeof attemptSchema>;

/** An event with its stored (projected) payload, its deliveries and their attempts. */
export type EventRecord = z.output<typeof eventDetailSchema>;

export type RecoveredDeliveries = z.output<typeof recoveredDeliveriesSchema>;

/** Body of `POST /api/v1/portal/links`: one customer's tag and, optionally, seconds until it expires. */
export type CreatePortalLinkBody = z.input<typeof createPortalLinkSchema>;

export type PortalLinkRecord = z.output<typeof portalLinkSchema>;

/** A new portal link; `url` carries its token and is shown only this once. */
export type CreatedPortalLink = z.output<typeof createdPortalLinkSchema>;

/** The origins that may frame the portal, and its theme (name, logo, colours). */
export type PortalSettings = z.input<typeof portalSettingsSchema>;
