import { z } from "zod";
import { MAX_JSON_DEPTH } from "@/core/payload/json-depth";
import { apiKeyListSchema, createApiKeySchema, createdApiKeySchema } from "./api-keys";
import { idSchema, MAX_BODY_BYTES, problemSchema } from "./common";
import {
  deliveryPageSchema,
  deliverySchema,
  deliveryWithAttemptsSchema,
  eventDetailSchema,
  eventPageSchema,
  listDeliveriesQuerySchema,
  listEventsQuerySchema,
  replayResultSchema,
  sendEventHeadersSchema,
  sendEventQuerySchema,
  sendEventResultSchema,
  sendEventSchema,
} from "./events";
import {
  hookDefinitionSchema,
  hookNameSchema,
  hookPayloadJsonSchema,
  hookPageSchema,
  hookRecordSchema,
  hookVersionListSchema,
  listHooksQuerySchema,
} from "./hooks";
import {
  createListenerSchema,
  listenerPageSchema,
  listenerRecordSchema,
  listenerWithSecretSchema,
  listListenersQuerySchema,
  recoverDeliveriesSchema,
  recoveredDeliveriesSchema,
  updateListenerSchema,
} from "./listeners";
import {
  createdPortalLinkSchema,
  createPortalLinkSchema,
  listPortalLinksQuerySchema,
  portalLinkListSchema,
  portalSettingsSchema,
} from "./portal";
import {
  openRelayListenerSchema,
  relayAttemptReportSchema,
  relayAttemptResultSchema,
  relayDeliverySchema,
} from "./relay";

/**
 * Every /api/v1 operation, once: method, path, who may call it, what it takes and what it answers.
 * The REST edge routes and validates by this table (src/server/rest/dispatch.ts), the OpenAPI
 * document is rendered from it (src/server/rest/openapi.ts), and the tests dispatch through it.
 */

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * Who may call: a project's API key or a signed-in dashboard session (`projectId` then picks the
 * project), or a session only.
 */
export type OperationAuth = "api-key-or-session" | "session";

export interface ResponseContract {
  description: string;
  /** The body (JSON unless `contentType` says otherwise); none (204) when absent. For a stream, the schema of each event's data. */
  body?: z.ZodType;
  /** The body's media type when it is not `application/json` (`text/event-stream` for a stream of Server-Sent Events). */
  contentType?: string;
  /** Response headers by name; the optional ones are sent only sometimes. */
  headers?: z.ZodObject;
}

export interface OperationContract {
  method: HttpMethod;
  /** Under /api/v1, with `{param}` for each path parameter (as in OpenAPI). */
  path: `/${string}`;
  summary: string;
  auth: OperationAuth;
  /** One entry per `{param}` of the path. */
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** Request headers the operation reads, by their names. */
  headers?: z.ZodObject;
  /** A JSON body, required when set; an operation without one ignores any body. */
  body?: z.ZodType;
  /** The answers particular to the operation; those every operation may give are `commonResponses`. */
  responses: Record<number, ResponseContract>;
}

const hookNameParams = z.object({ name: hookNameSchema });

export const JSON_SCHEMA_CONTENT_TYPE = "application/schema+json";
export const TYPESCRIPT_CONTENT_TYPE = "text/plain; charset=utf-8";
const idParams = z.object({ id: idSchema });

const problem = (description: string): ResponseContract => ({ description, body: problemSchema });
const ok = (description: string, body?: z.ZodType): ResponseContract => ({ description, body });
const DONE = { 204: ok("Done") };

const IDEMPOTENT_REPLAYED = "Idempotent-Replayed";

export const operations = {
  listApiKeys: {
    method: "GET",
    path: "/api-keys",
    summary: "List the project's API keys",
    auth: "api-key-or-session",
    responses: { 200: ok("The keys, newest first", apiKeyListSchema) },
  },
  createApiKey: {
    method: "POST",
    path: "/api-keys",
    summary: "Create an API key (dashboard session only); the key is shown once",
    auth: "session",
    body: createApiKeySchema,
    responses: { 201: ok("Created", createdApiKeySchema) },
  },
  revokeApiKey: {
    method: "DELETE",
    path: "/api-keys/{id}",
    summary: "Revoke an API key",
    auth: "api-key-or-session",
    params: idParams,
    responses: DONE,
  },
  listHooks: {
    method: "GET",
    path: "/hooks",
    summary: "List hooks with their 24-hour statistics",
    auth: "api-key-or-session",
    query: listHooksQuerySchema,
    responses: { 200: ok("A page of hooks", hookPageSchema) },
  },
  getHook: {
    method: "GET",
    path: "/hooks/{name}",
    summary: "Get a hook",
    auth: "api-key-or-session",
    params: hookNameParams,
    responses: { 200: ok("The hook", hookRecordSchema) },
  },
  putHook: {
    method: "PUT",
    path: "/hooks/{name}",
    summary:
      "Create or replace a hook definition (idempotent); a breaking change to its fields adds a version",
    auth: "api-key-or-session",
    params: hookNameParams,
    body: hookDefinitionSchema,
    responses: {
      200: ok("Updated (or unchanged)", hookRecordSchema),
      201: ok("Created", hookRecordSchema),
    },
  },
  getHookSchema: {
    method: "GET",
    path: "/hooks/{name}/schema",
    summary: "The hook's payload as a JSON Schema (draft 2020-12), to validate deliveries and generate types",
    auth: "api-key-or-session",
    params: hookNameParams,
    responses: {
      200: {
        description:
          "An object schema of the hook's fields: typed ones with their types, the required ones listed",
        contentType: JSON_SCHEMA_CONTENT_TYPE,
        body: hookPayloadJsonSchema,
      },
    },
  },
  getHookTypes: {
    method: "GET",
    path: "/hooks/{name}/types",
    summary: "The hook's payload as TypeScript declarations (`export interface <Name>Payload`)",
    auth: "api-key-or-session",
    params: hookNameParams,
    responses: {
      200: {
        description: "A TypeScript file, sent as an attachment named `<hook>.ts`",
        contentType: TYPESCRIPT_CONTENT_TYPE,
        body: z.string(),
      },
    },
  },
  listHookVersions: {
    method: "GET",
    path: "/hooks/{name}/versions",
    summary:
      "List the versions of a hook's fields, latest first, with their listeners and what changed from the one before",
    auth: "api-key-or-session",
    params: hookNameParams,
    responses: { 200: ok("The versions", hookVersionListSchema) },
  },
  deleteHook: {
    method: "DELETE",
    path: "/hooks/{name}",
    summary: "Delete a hook with its listeners and events",
    auth: "api-key-or-session",
    params: hookNameParams,
    responses: DONE,
  },
  sendEvent: {
    method: "POST",
    path: "/hooks/{name}/events",
    summary: "Send an event",
    auth: "api-key-or-session",
    params: hookNameParams,
    query: sendEventQuerySchema,
    headers: sendEventHeadersSchema,
    body: sendEventSchema,
    responses: {
      202: {
        description: "Accepted",
        body: sendEventResultSchema,
        headers: z.object({
          [IDEMPOTENT_REPLAYED]: z
            .literal("true")
            .optional()
            .meta({
              description:
                "Sent when an earlier request with the same Idempotency-Key did the work: this is its answer, " +
                "and nothing new was created",
            }),
        }),
      },
    },
  },
  listListeners: {
    method: "GET",
    path: "/listeners",
    summary: "List listeners (without secrets)",
    auth: "api-key-or-session",
    query: listListenersQuerySchema,
    responses: { 200: ok("A page of listeners, newest first", listenerPageSchema) },
  },
  createListener: {
    method: "POST",
    path: "/listeners",
    summary: "Create a listener; the answer carries its signing secret",
    auth: "api-key-or-session",
    body: createListenerSchema,
    responses: { 201: ok("Created", listenerWithSecretSchema) },
  },
  getListener: {
    method: "GET",
    path: "/listeners/{id}",
    summary: "Get a listener with its signing secret",
    auth: "api-key-or-session",
    params: idParams,
    responses: { 200: ok("The listener", listenerWithSecretSchema) },
  },
  updateListener: {
    method: "PATCH",
    path: "/listeners/{id}",
    summary: "Change a listener",
    auth: "api-key-or-session",
    params: idParams,
    body: updateListenerSchema,
    responses: { 200: ok("The listener", listenerRecordSchema) },
  },
  deleteListener: {
    method: "DELETE",
    path: "/listeners/{id}",
    summary: "Delete a listener",
    auth: "api-key-or-session",
    params: idParams,
    responses: DONE,
  },
  rotateListenerSecret: {
    method: "POST",
    path: "/listeners/{id}/rotate-secret",
    summary: "Rotate the signing secret; the previous one keeps signing for 24 hours",
    auth: "api-key-or-session",
    params: idParams,
    responses: { 200: ok("The listener with its new secret", listenerWithSecretSchema) },
  },
  recoverFailedDeliveries: {
    method: "POST",
    path: "/listeners/{id}/recover",
    summary: "Attempt again, now, the listener's failed deliveries created since a time",
    auth: "api-key-or-session",
    params: idParams,
    body: recoverDeliveriesSchema,
    responses: {
      202: ok("How many failed deliveries are pending again", recoveredDeliveriesSchema),
      409: problem("The listener is disabled"),
    },
  },
  listEvents: {
    method: "GET",
    path: "/events",
    summary: "List events, newest first",
    auth: "api-key-or-session",
    query: listEventsQuerySchema,
    responses: { 200: ok("A page of events", eventPageSchema) },
  },
  getEvent: {
    method: "GET",
    path: "/events/{id}",
    summary: "Get an event with its deliveries and their attempts",
    auth: "api-key-or-session",
    params: idParams,
    responses: { 200: ok("The event", eventDetailSchema) },
  },
  replayEvent: {
    method: "POST",
    path: "/events/{id}/replay",
    summary: "Match the event again against today's listeners and deliver it anew",
    auth: "api-key-or-session",
    params: idParams,
    responses: { 202: ok("Replayed", replayResultSchema) },
  },
  listDeliveries: {
    method: "GET",
    path: "/deliveries",
    summary: "List deliveries, newest first",
    auth: "api-key-or-session",
    query: listDeliveriesQuerySchema,
    responses: { 200: ok("A page of deliveries", deliveryPageSchema) },
  },
  getDelivery: {
    method: "GET",
    path: "/deliveries/{id}",
    summary: "Get a delivery with its attempts",
    auth: "api-key-or-session",
    params: idParams,
    responses: { 200: ok("The delivery", deliveryWithAttemptsSchema) },
  },
  retryDelivery: {
    method: "POST",
    path: "/deliveries/{id}/retry",
    summary: "Schedule one more attempt now (same webhook-id)",
    auth: "api-key-or-session",
    params: idParams,
    responses: {
      202: ok("The delivery, pending", deliverySchema),
      409: problem("An attempt is in progress"),
    },
  },
  createPortalLink: {
    method: "POST",
    path: "/portal/links",
    summary:
      "Create a portal link for one customer: their listeners of this project, until it expires or is revoked",
    auth: "api-key-or-session",
    body: createPortalLinkSchema,
    responses: {
      201: ok("Created; `url` carries the token and is shown only this once", createdPortalLinkSchema),
    },
  },
  listPortalLinks: {
    method: "GET",
    path: "/portal/links",
    summary: "List portal links, newest first (at most 200), without their tokens",
    auth: "api-key-or-session",
    query: listPortalLinksQuerySchema,
    responses: { 200: ok("The links", portalLinkListSchema) },
  },
  revokePortalLink: {
    method: "DELETE",
    path: "/portal/links/{id}",
    summary: "Revoke a portal link at once",
    auth: "api-key-or-session",
    params: idParams,
    responses: DONE,
  },
  getPortalSettings: {
    method: "GET",
    path: "/portal/settings",
    summary: "The origins that may frame the portal, and its theme",
    auth: "api-key-or-session",
    responses: { 200: ok("The settings", portalSettingsSchema) },
  },
  putPortalSettings: {
    method: "PUT",
    path: "/portal/settings",
    summary: "Replace the origins that may frame the portal, and its theme",
    auth: "api-key-or-session",
    body: portalSettingsSchema,
    responses: { 200: ok("The settings", portalSettingsSchema) },
  },
  openRelayListener: {
    method: "POST",
    path: "/relay/listeners",
    summary:
      "Open a relay listener for `durian listen`: reused when one with this hook, filter and name exists, " +
      "created otherwise; the answer carries its signing secret",
    auth: "api-key-or-session",
    body: openRelayListenerSchema,
    responses: {
      200: ok("Reused (enabled again if failures had disabled it)", listenerWithSecretSchema),
      201: ok("Created", listenerWithSecretSchema),
    },
  },
  streamRelayDeliveries: {
    method: "GET",
    path: "/relay/listeners/{id}/deliveries",
    summary: "Receive the relay listener's due deliveries as Server-Sent Events",
    auth: "api-key-or-session",
    params: idParams,
    responses: {
      200: {
        description:
          "A stream of `delivery` events, each one's data a RelayDelivery to POST locally and report back; " +
          "comments keep it alive. Each delivery is claimed for the hook's timeout plus 30 s: unreported, it " +
          "is handed out again once that runs out, or at once when the stream ends.",
        body: relayDeliverySchema,
        contentType: "text/event-stream",
      },
    },
  },
  reportRelayAttempt: {
    method: "POST",
    path: "/relay/deliveries/{id}/attempts",
    summary: "Report the local receiver's answer to a handed-out delivery; recorded as its attempt",
    auth: "api-key-or-session",
    params: idParams,
    body: relayAttemptReportSchema,
    responses: {
      200: ok("Recorded: the delivery's status now", relayAttemptResultSchema),
      409: problem("That attempt is not under way: already reported, or handed out again"),
    },
  },
} as const satisfies Record<string, OperationContract>;

export type OperationId = keyof typeof operations;
export type Operation<Id extends OperationId = OperationId> = (typeof operations)[Id];

/** What the edge hands an operation's implementation: each part as its schema parsed it. */
export interface ParsedInput<Op extends OperationContract> {
  params: Op extends { params: infer S extends z.ZodType } ? z.output<S> : Record<string, never>;
  query: Op extends { query: infer S extends z.ZodType } ? z.output<S> : Record<string, never>;
  headers: Op extends { headers: infer S extends z.ZodType } ? z.output<S> : Record<string, never>;
  body: Op extends { body: infer S extends z.ZodType } ? z.output<S> : undefined;
}

export const WRITE_METHODS: ReadonlySet<HttpMethod> = new Set(["POST", "PUT", "PATCH", "DELETE"]);

const retryAfter = z.object({
  "Retry-After": z.string().meta({ description: "Seconds to wait before retrying", example: "1" }),
});

/**
 * The problems any operation may answer with, as follows from what it takes: every request is
 * authenticated, rate limited and may find the database away; a write may come from a foreign
 * Origin; a body may be malformed, too large or not JSON.
 */
export function commonResponses(operation: OperationContract): Record<number, ResponseContract> {
  const responses: Record<number, ResponseContract> = {
    401: {
      ...problem("Missing, malformed or revoked API key, and no session"),
      headers: z.object({
        "WWW-Authenticate": z
          .string()
          .meta({ description: "The scheme to authenticate with", example: 'Bearer realm="durian"' }),
      }),
    },
    404: problem("No such resource in this project (another project's resources are never revealed)"),
    422: problem(
      "Invalid fields; `errors` names each (`name`, `wait`, `Idempotency-Key`, `providesArgs.2` …). Text " +
        "holding NUL (`\\u0000`) or an unpaired surrogate is refused anywhere: body, query, path.",
    ),
    429: { ...problem("Rate limit exceeded"), headers: retryAfter },
    503: {
      ...problem(
        "The database is unreachable for now; retry after the delay (events sent with an Idempotency-Key " +
          "are never stored twice)",
      ),
      headers: retryAfter,
    },
  };
  if (operation.auth === "session" || WRITE_METHODS.has(operation.method)) {
    responses[403] = problem(
      operation.auth === "session"
        ? "Called with an API key (a session is needed), or a session write from another Origin"
        : "A write with a session cookie from another Origin",
    );
  }
  if (operation.body) {
    responses[400] = problem("Malformed JSON, or an empty body");
    responses[413] = problem(`Body larger than ${MAX_BODY_BYTES / 1024} KB`);
    responses[415] = problem("Content-Type is not JSON");
    responses[422] = problem(
      "Invalid fields; `errors` names each. Refused anywhere in a body: values nested deeper than " +
        `${MAX_JSON_DEPTH} levels of objects and arrays, numbers a double cannot carry exactly (\`1e400\`, ` +
        "`12345678901234567890`: send them as strings), and NUL (`\\u0000`) or unpaired surrogates in any string",
    );
  }
  return responses;
}
