import { z } from "zod";
import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiOverrideContext,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponsesObject,
} from "zod-openapi";
import { projectIdQuerySchema } from "@/contracts/common";
import {
  commonResponses,
  type OperationContract,
  type OperationId,
  operations,
  type ResponseContract,
} from "@/contracts/operations";
import { jsonValueSchema } from "@/core/filter/json";
import { DURIAN_VERSION } from "@/core/delivery/user-agent";
import type { HookPayloadSchema } from "@/core/hook-fields";
import { PROBLEM_CONTENT_TYPE } from "./problem";

/**
 * The OpenAPI 3.1 document of /api/v1, rendered from the operation table and the schemas that
 * validate requests (src/contracts), so that it describes what the server does.
 */

function buildDocument() {
  const paths: ZodOpenApiPathsObject = {};
  for (const [id, operation] of Object.entries(operations) as [OperationId, OperationContract][]) {
    const method = operation.method.toLowerCase() as "get" | "post" | "put" | "patch" | "delete";
    paths[operation.path] = { ...paths[operation.path], [method]: toOpenApiOperation(id, operation) };
  }
  return createDocument(
    {
      openapi: "3.1.0",
      info: {
        title: "Durian API",
        version: DURIAN_VERSION,
        description:
          "Hooks, listeners and events. Authenticate with `Authorization: Bearer <API key>`, or with a dashboard " +
          "session cookie (then `projectId` in the query or body picks the project, and writes must come from the " +
          "app's own Origin). Errors are `application/problem+json`. Text holding NUL (`\\u0000`) or an unpaired " +
          "surrogate is refused with 422 wherever it appears: bodies, query parameters and path segments. " +
          "Fetched with an API key (or a session and `projectId`), the document also lists that project's hooks " +
          "under `webhooks`, each with its payload's JSON Schema, so receivers can generate types.",
      },
      servers: [{ url: "/api/v1" }],
      security: [{ apiKey: [] }, { session: [] }],
      components: {
        securitySchemes: {
          apiKey: { type: "http", scheme: "bearer", description: "A project API key (`durian_…`)" },
          session: { type: "apiKey", in: "cookie", name: "better-auth.session_token" },
        },
      },
      paths,
    },
    { override: renderJsonValueForCodeGenerators },
  );
}

function toOpenApiOperation(id: OperationId, operation: OperationContract): ZodOpenApiOperationObject {
  const responses = { ...commonResponses(operation), ...operation.responses };
  return {
    operationId: id,
    summary: operation.summary,
    ...(operation.auth === "session" && { security: [{ session: [] }] }),
    requestParams: {
      ...(operation.params && { path: operation.params }),
      query: (operation.query ?? z.object({})).extend(projectIdQuerySchema.shape),
      ...(operation.headers && { header: operation.headers }),
    },
    ...(operation.body && {
      requestBody: { required: true, content: { "application/json": { schema: operation.body } } },
    }),
    responses: Object.fromEntries(
      Object.entries(responses).map(([status, response]) => [
        status,
        toOpenApiResponse(Number(status), response),
      ]),
    ) as ZodOpenApiResponsesObject,
  };
}

function toOpenApiResponse(status: number, response: ResponseContract) {
  const contentType = status >= 400 ? PROBLEM_CONTENT_TYPE : (response.contentType ?? "application/json");
  return {
    description: response.description,
    ...(response.body && { content: { [contentType]: { schema: response.body } } }),
    ...(response.headers && { headers: response.headers }),
  };
}

/**
 * JsonValue's arrays are described as arrays of anything (in JSON, every item is a JSON value), not
 * of `JsonValue` again: generated TypeScript clients (openapi-typescript) declare each schema as a
 * member of one interface, and TypeScript cannot resolve a member that refers to itself through an
 * array type (TS2502), while it can through an object's properties.
 */
function renderJsonValueForCodeGenerators({ zodSchema, jsonSchema }: ZodOpenApiOverrideContext): void {
  if ((zodSchema as unknown) !== jsonValueSchema) return;
  for (const branch of jsonSchema.anyOf ?? []) {
    if (typeof branch === "object" && branch.type === "array") branch.items = {};
  }
}

let document: ReturnType<typeof buildDocument> | undefined;

/** Built once per process from the operation table. */
export function openApiDocument(): ReturnType<typeof buildDocument> {
  document ??= buildDocument();
  return document;
}

export function openApiResponse(): Response {
  return Response.json(openApiDocument(), { headers: { "cache-control": "public, max-age=300" } });
}

export interface WebhookOfProject {
  name: string;
  verboseName: string;
  schema: HookPayloadSchema;
}

/** What a listener receives for a hook: its payload, or with the envelope flag, the payload under `data`. */
function webhookOperation({ name, verboseName, schema }: WebhookOfProject) {
  return {
    post: {
      summary: verboseName || `A ${name} event`,
      description:
        `Durian POSTs each matching \`${name}\` event to the listener's URL, signed per Standard Webhooks ` +
        "(`webhook-id`, `webhook-timestamp`, `webhook-signature`; also `durian-hook`, `durian-event-id`, " +
        "`durian-hook-version`, `durian-listener-config`). The body is the payload (of the latest version, " +
        "as described here), or with the listener's envelope flag `{type, version, timestamp, data, config?}`.",
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: {
              anyOf: [
                schema,
                {
                  type: "object",
                  properties: {
                    type: { const: name },
                    version: { type: "integer", minimum: 1 },
                    timestamp: { type: "string", format: "date-time" },
                    data: schema,
                    config: { type: "object", description: "The listener's options (the hook's configForm)" },
                  },
                  required: ["type", "version", "timestamp", "data"],
                  additionalProperties: false,
                },
              ],
            },
          },
        },
      },
      responses: { "2XX": { description: "Received; any other answer is retried on the hook's schedule" } },
    },
  };
}

/** The server's document plus one project's hooks as `webhooks` (not cached: it is that project's). */
export function openApiResponseWithWebhooks(hooks: readonly WebhookOfProject[]): Response {
  const webhooks = Object.fromEntries(hooks.map((hook) => [hook.name, webhookOperation(hook)]));
  return Response.json(
    { ...openApiDocument(), webhooks },
    { headers: { "cache-control": "private, no-store" } },
  );
}
