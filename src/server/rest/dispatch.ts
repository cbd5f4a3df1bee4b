import type { z } from "zod";
import {
  type OperationContract,
  type OperationId,
  operations,
  type ParsedInput,
  WRITE_METHODS,
} from "@/contracts/operations";
import { isStorableText, UNSTORABLE_TEXT_PROBLEM } from "@/core/payload/storable-text";
import { type FieldError, ValidationError } from "@/server/services/errors";
import { listHookPayloadSchemas } from "@/server/services/hooks";
import { fieldErrorsOf } from "@/server/services/validation";
import { assertTrustedOrigin, identify, resolveProjectId } from "./authenticate";
import { readJsonBody } from "./body";
import { restDependencies } from "./dependencies";
import { type HandlerContext, operationHandlers } from "./handlers";
import { matchOperation } from "./match-operation";
import { openApiResponse, openApiResponseWithWebhooks } from "./openapi";
import { HttpProblem, toHttpProblem } from "./problem";

/**
 * Every /api/v1 request (but the benchmark's ceiling) goes through here, in Next's catch-all route,
 * the tests' dispatcher and their HTTP server alike: the operation table picks the operation, then
 * authentication (API key or session), the Origin check for cookie writes, the rate limit, the body
 * and its limits, the project, and the operation's schemas, each applied once. The operation's
 * implementation gets parsed input; every error is answered as problem+json.
 */

export const API_PREFIX = "/api/v1";
const OPENAPI_DOCUMENT_PATH = "/openapi.json";

/** A request's path as the operation table writes it: without the /api/v1 prefix. */
export function operationPath(pathname: string): string {
  return pathname.startsWith(API_PREFIX) ? pathname.slice(API_PREFIX.length) : pathname;
}

export async function handleApiRequest(request: Request): Promise<Response> {
  try {
    const url = new URL(request.url);
    const path = operationPath(url.pathname);
    if (path === OPENAPI_DOCUMENT_PATH) {
      if (request.method !== "GET" && request.method !== "HEAD")
        throw methodNotAllowed(request.method, ["GET"]);
      return await openApiDocumentFor(request, url);
    }
    const match = matchOperation(request.method, path);
    if (match.kind === "not-found") return notFoundResponse(request);
    if (match.kind === "method-not-allowed") {
      if (request.method === "OPTIONS") return allowResponse(match.allowed);
      throw methodNotAllowed(request.method, match.allowed);
    }
    return await runOperation(match.id, match.params, request, url);
  } catch (error) {
    return toHttpProblem(error).toResponse();
  }
}

/**
 * The document is the server's; called with an API key (or a session and `projectId`), it also lists
 * that project's hooks in its `webhooks` section, each with its payload schema.
 */
async function openApiDocumentFor(request: Request, url: URL): Promise<Response> {
  const projectIdParam = url.searchParams.get("projectId") ?? undefined;
  if (!request.headers.has("authorization") && projectIdParam === undefined) return openApiResponse();
  const principal = await identify(request);
  const projectId = await resolveProjectId(principal, projectIdParam);
  return openApiResponseWithWebhooks(await listHookPayloadSchemas(projectId));
}

async function runOperation(
  id: OperationId,
  pathParams: Record<string, string>,
  request: Request,
  url: URL,
): Promise<Response> {
  const operation: OperationContract = operations[id];
  const deps = restDependencies();
  const principal = await identify(request);
  if (operation.auth === "session" && principal.kind !== "session") {
    throw new HttpProblem(403, "This needs a signed-in dashboard session; API keys cannot do it");
  }
  if (principal.kind === "session" && WRITE_METHODS.has(operation.method)) assertTrustedOrigin(request);

  const limit = deps.rateLimiter.take(
    principal.kind === "api-key" ? `key:${principal.apiKeyId}` : `user:${principal.userId}`,
  );
  if (!limit.allowed) {
    throw new HttpProblem(429, `Rate limit exceeded; retry in ${limit.retryAfterSeconds} s`, {
      headers: { "retry-after": String(limit.retryAfterSeconds) },
    });
  }

  assertStorable(pathParams, "The request path is invalid");
  // A repeated query parameter keeps its last value.
  const query = Object.fromEntries(url.searchParams);
  assertStorable(query, "The request has invalid query parameters");
  const body = operation.body ? await readJsonBody(request) : undefined;
  const projectId = await resolveProjectId(principal, query.projectId ?? projectIdOfBody(body));
  const input = parseInput(operation, { params: pathParams, query, headers: request.headers, body });
  // The parse above used this operation's own schemas, which is what its handler's type says.
  const handle = operationHandlers[id] as (context: HandlerContext<OperationContract>) => Promise<Response>;
  return await handle({ ...input, request, projectId, principal, deps });
}

/** Each part of the request through its schema; 422 naming every bad field (`name`, `wait`, `payload.x` …). */
function parseInput(
  operation: OperationContract,
  raw: { params: Record<string, string>; query: Record<string, string>; headers: Headers; body: unknown },
): ParsedInput<OperationContract> {
  const errors: FieldError[] = [];
  function parse<T>(schema: z.ZodType<T> | undefined, value: unknown): T | undefined {
    if (!schema) return undefined;
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    errors.push(...fieldErrorsOf(result.error.issues));
    return undefined;
  }
  const headerNames = Object.keys(operation.headers?.shape ?? {});
  const headers = Object.fromEntries(
    headerNames.flatMap((name) => {
      const value = raw.headers.get(name);
      return value === null ? [] : [[name, value]];
    }),
  );
  const input = {
    params: parse(operation.params, raw.params) ?? {},
    query: parse(operation.query, raw.query) ?? {},
    headers: parse(operation.headers, headers) ?? {},
    body: parse(operation.body, raw.body),
  };
  if (errors.length > 0) throw new ValidationError(errors);
  return input as ParsedInput<OperationContract>;
}

/**
 * Path and query parameters reach database queries as text, which cannot hold NUL or an unpaired
 * surrogate: 422 naming the parameter, before any query would fail with a 500.
 */
function assertStorable(values: Record<string, string>, detail: string): void {
  const errors = Object.entries(values)
    .filter(([, value]) => !isStorableText(value))
    .map(([name]) => ({ path: name, message: UNSTORABLE_TEXT_PROBLEM }));
  if (errors.length > 0) throw new HttpProblem(422, detail, { errors });
}

function projectIdOfBody(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return undefined;
  const projectId = (body as Record<string, unknown>).projectId;
  return typeof projectId === "string" ? projectId : undefined;
}

function methodNotAllowed(method: string, allowed: readonly string[]): HttpProblem {
  return new HttpProblem(405, `${method} is not allowed here; use ${allowed.join(", ")}`, {
    headers: { allow: allowed.join(", ") },
  });
}

function allowResponse(allowed: readonly string[]): Response {
  return new Response(null, { status: 204, headers: { allow: [...allowed, "OPTIONS"].join(", ") } });
}

/** For paths no operation has, answered like any other problem. */
export function notFoundResponse(request: Request): Response {
  const path = new URL(request.url).pathname;
  return new HttpProblem(404, `No route ${request.method} ${path}`).toResponse();
}
