import { z } from "zod";
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiResponsesObject } from "zod-openapi";
import { DURIAN_VERSION } from "@/core/delivery/user-agent";
import { MAX_JSON_DEPTH } from "@/core/payload/json-depth";
import { MAX_BODY_BYTES } from "./body";
import {
  apiKeyListSchema,
  createApiKeySchema,
  createdApiKeySchema,
  createListenerSchema,
  deliveryPageSchema,
  deliveryWithAttemptsSchema,
  deliverySchema,
  eventDetailSchema,
  eventPageSchema,
  hookDefinitionSchema,
  hookNameSchema,
  hookPageSchema,
  hookRecordSchema,
  idSchema,
  listDeliveriesQuerySchema,
  listEventsQuerySchema,
  listHooksQuerySchema,
  listListenersQuerySchema,
  listenerPageSchema,
  listenerWithSecretSchema,
  listenerRecordSchema,
  problemSchema,
  projectIdQuerySchema,
  recoverDeliveriesSchema,
  recoveredDeliveriesSchema,
  replayResultSchema,
  sendEventHeadersSchema,
  sendEventQuerySchema,
  sendEventResultSchema,
  sendEventSchema,
  updateListenerSchema,
} from "@/contracts";

const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: problemSchema } },
});

const COMMON_PROBLEMS: ZodOpenApiResponsesObject = {
  "401": problem("Missing, malformed or revoked API key, and no session"),
  "404": problem("No such resource in this project (another project's resources are never revealed)"),
  "429": {
    ...problem("Rate limit exceeded"),
    headers: z.object({ "retry-after": z.string().meta({ description: "Seconds to wait" }) }),
  },
  "503": {
    ...problem(
      "The database is unreachable for now; retry after the delay (events sent with an Idempotency-Key are never stored twice)",
    ),
    headers: z.object({ "retry-after": z.string().meta({ description: "Seconds to wait" }) }),
  },
};

const BODY_PROBLEMS: ZodOpenApiResponsesObject = {
  "400": problem("Malformed JSON"),
  "403": problem("A cookie-authenticated write from another origin"),
  "413": problem(`Body larger than ${MAX_BODY_BYTES / 1024} KB`),
  "415": problem("Content-Type is not JSON"),
  "422": problem(
    "Invalid fields; `errors` names each. Refused anywhere in a body: values nested deeper than " +
      `${MAX_JSON_DEPTH} levels of objects and arrays, numbers a double cannot carry exactly (\`1e400\`, ` +
      "`12345678901234567890`: send them as strings), and NUL (`\\u0000`) or unpaired surrogates in any string",
  ),
};

function ok(description: string, schema: z.ZodType, status = "200"): ZodOpenApiResponsesObject {
  return { [status]: { description, content: { "application/json": { schema } } } };
}

function operation(
  summary: string,
  responses: ZodOpenApiResponsesObject,
  extra: Partial<ZodOpenApiOperationObject> = {},
): ZodOpenApiOperationObject {
  const { requestParams, ...rest } = extra;
  return {
    summary,
    requestParams: {
      ...requestParams,
      query:
        (requestParams?.query as z.ZodObject | undefined)?.extend(projectIdQuerySchema.shape) ??
        projectIdQuerySchema,
    },
    responses: { ...responses, ...COMMON_PROBLEMS },
    ...rest,
  };
}

const json = (schema: z.ZodType) => ({ content: { "application/json": { schema } } });
const hookPath = { path: z.object({ name: hookNameSchema }) };
const idPath = { path: z.object({ id: idSchema }) };
const noContent = { "204": { description: "Done" } };

function buildDocument() {
  return createDocument({
    openapi: "3.1.0",
    info: {
      title: "Durian API",
      version: DURIAN_VERSION,
      description:
        "Hooks, listeners and events. Authenticate with `Authorization: Bearer <API key>`, or with a dashboard " +
        "session cookie (then `projectId` in the query or body picks the project, and writes must come from the " +
        "app's own Origin). Errors are `application/problem+json`. Text holding NUL (`\\u0000`) or an unpaired " +
        "surrogate is refused with 422 wherever it appears: bodies, query parameters and path segments.",
    },
    servers: [{ url: "/api/v1" }],
    security: [{ apiKey: [] }, { session: [] }],
    components: {
      securitySchemes: {
        apiKey: { type: "http", scheme: "bearer", description: "A project API key (`durian_…`)" },
        session: { type: "apiKey", in: "cookie", name: "better-auth.session_token" },
      },
    },
    paths: {
      "/api-keys": {
        get: operation("List the project's API keys", ok("The keys, newest first", apiKeyListSchema)),
        post: operation(
          "Create an API key (dashboard session only); the key is shown once",
          { ...ok("Created", createdApiKeySchema, "201"), ...BODY_PROBLEMS },
          { requestBody: json(createApiKeySchema), security: [{ session: [] }] },
        ),
      },
      "/api-keys/{id}": {
        delete: operation("Revoke an API key", noContent, { requestParams: idPath }),
      },
      "/hooks": {
        get: operation("List hooks with their 24-hour statistics", ok("A page of hooks", hookPageSchema), {
          requestParams: { query: listHooksQuerySchema },
        }),
      },
      "/hooks/{name}": {
        get: operation("Get a hook", ok("The hook", hookRecordSchema), { requestParams: hookPath }),
        put: operation(
          "Create or replace a hook definition (idempotent)",
          {
            ...ok("Updated (or unchanged)", hookRecordSchema),
            ...ok("Created", hookRecordSchema, "201"),
            ...BODY_PROBLEMS,
            "409": problem("providesArgs would drop fields that listeners filter on; `errors` names them"),
          },
          { requestParams: hookPath, requestBody: json(hookDefinitionSchema) },
        ),
        delete: operation("Delete a hook with its listeners and events", noContent, {
          requestParams: hookPath,
        }),
      },
      "/hooks/{name}/events": {
        post: operation(
          "Send an event",
          { ...ok("Accepted", sendEventResultSchema, "202"), ...BODY_PROBLEMS },
          {
            requestParams: { ...hookPath, query: sendEventQuerySchema, header: sendEventHeadersSchema },
            requestBody: json(sendEventSchema),
          },
        ),
      },
      "/listeners": {
        get: operation(
          "List listeners (without secrets)",
          ok("A page of listeners, newest first", listenerPageSchema),
          {
            requestParams: { query: listListenersQuerySchema },
          },
        ),
        post: operation(
          "Create a listener; the answer carries its signing secret",
          { ...ok("Created", listenerWithSecretSchema, "201"), ...BODY_PROBLEMS },
          { requestBody: json(createListenerSchema) },
        ),
      },
      "/listeners/{id}": {
        get: operation(
          "Get a listener with its signing secret",
          ok("The listener", listenerWithSecretSchema),
          {
            requestParams: idPath,
          },
        ),
        patch: operation(
          "Change a listener",
          { ...ok("The listener", listenerRecordSchema), ...BODY_PROBLEMS },
          { requestParams: idPath, requestBody: json(updateListenerSchema) },
        ),
        delete: operation("Delete a listener", noContent, { requestParams: idPath }),
      },
      "/listeners/{id}/rotate-secret": {
        post: operation(
          "Rotate the signing secret; the previous one keeps signing for 24 hours",
          ok("The listener with its new secret", listenerWithSecretSchema),
          { requestParams: idPath },
        ),
      },
      "/listeners/{id}/recover": {
        post: operation(
          "Attempt again, now, the listener's failed deliveries created since a time (same webhook-ids)",
          {
            ...ok("How many deliveries are pending again", recoveredDeliveriesSchema, "202"),
            ...BODY_PROBLEMS,
            "409": problem("The listener is disabled"),
          },
          { requestParams: idPath, requestBody: json(recoverDeliveriesSchema) },
        ),
      },
      "/events": {
        get: operation("List events, newest first", ok("A page of events", eventPageSchema), {
          requestParams: { query: listEventsQuerySchema },
        }),
      },
      "/events/{id}": {
        get: operation(
          "Get an event with its deliveries and their attempts",
          ok("The event", eventDetailSchema),
          {
            requestParams: idPath,
          },
        ),
      },
      "/events/{id}/replay": {
        post: operation(
          "Match the event again against today's listeners and deliver it anew",
          ok("Replayed", replayResultSchema, "202"),
          {
            requestParams: idPath,
          },
        ),
      },
      "/deliveries": {
        get: operation("List deliveries, newest first", ok("A page of deliveries", deliveryPageSchema), {
          requestParams: { query: listDeliveriesQuerySchema },
        }),
      },
      "/deliveries/{id}": {
        get: operation("Get a delivery with its attempts", ok("The delivery", deliveryWithAttemptsSchema), {
          requestParams: idPath,
        }),
      },
      "/deliveries/{id}/retry": {
        post: operation(
          "Schedule one more attempt now (same webhook-id)",
          {
            ...ok("The delivery, pending", deliverySchema, "202"),
            "409": problem("An attempt is in progress"),
          },
          { requestParams: idPath },
        ),
      },
    },
  });
}

let document: ReturnType<typeof buildDocument> | undefined;

/** Built once per process from the request and response schemas. */
export function openApiDocument(): ReturnType<typeof buildDocument> {
  document ??= buildDocument();
  return document;
}
