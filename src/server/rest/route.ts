import { isStorableText, UNSTORABLE_TEXT_PROBLEM } from "@/core/payload/storable-text";
import { assertTrustedOrigin, identify, type Principal, resolveProjectId } from "./authenticate";
import { readJsonBody } from "./body";
import { restDependencies, type RestDependencies } from "./dependencies";
import { HttpProblem, toHttpProblem } from "./problem";

/**
 * The one wrapper every /api/v1 handler goes through: authentication (API key or session), the
 * Origin check for cookie writes, the rate limit, body parsing and limits, the project, and errors
 * rendered as problem+json. Handlers only call a service and shape the answer.
 */

export interface RestRouteOptions {
  /** "json": a JSON body is required. Default: the body is ignored. */
  body?: "json";
  /** Only a signed-in dashboard user may call it (creating API keys). */
  sessionOnly?: boolean;
}

export interface RestContext<Params> {
  request: Request;
  params: Params;
  projectId: string;
  principal: Principal;
  /** The parsed JSON body (unknown shape: the services validate it). */
  body: unknown;
  /** Query parameters; a repeated one keeps its last value. */
  query: Record<string, string>;
  deps: RestDependencies;
}

type NextRouteContext<Params> = { params: Promise<Params> };

const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function restRoute<Params extends Record<string, string> = Record<string, string>>(
  options: RestRouteOptions,
  handle: (context: RestContext<Params>) => Promise<Response>,
): (request: Request, context: NextRouteContext<Params>) => Promise<Response> {
  return async (request, context) => {
    try {
      const deps = restDependencies();
      const principal = await identify(request);
      if (options.sessionOnly && principal.kind !== "session") {
        throw new HttpProblem(403, "This needs a signed-in dashboard session; API keys cannot do it");
      }
      if (principal.kind === "session" && WRITE_METHODS.has(request.method)) assertTrustedOrigin(request);

      const limit = deps.rateLimiter.take(
        principal.kind === "api-key" ? `key:${principal.apiKeyId}` : `user:${principal.userId}`,
      );
      if (!limit.allowed) {
        throw new HttpProblem(429, `Rate limit exceeded; retry in ${limit.retryAfterSeconds} s`, {
          headers: { "retry-after": String(limit.retryAfterSeconds) },
        });
      }

      const params = (await context?.params) ?? ({} as Params);
      assertStorable(params, "The request path is invalid");
      const query = Object.fromEntries(new URL(request.url).searchParams);
      assertStorable(query, "The request has invalid query parameters");
      const body = options.body === "json" ? await readJsonBody(request) : undefined;
      const projectId = await resolveProjectId(principal, query.projectId ?? projectIdOfBody(body));
      return await handle({ request, params, projectId, principal, body, query, deps });
    } catch (error) {
      return toHttpProblem(error).toResponse();
    }
  };
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

export function json(data: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(data, { status, headers: { "cache-control": "no-store", ...headers } });
}

export function noContent(): Response {
  return new Response(null, { status: 204 });
}

/** For routes and methods that do not exist, answered like any other problem. */
export function notFoundResponse(request: Request): Response {
  const path = new URL(request.url).pathname;
  return new HttpProblem(404, `No route ${request.method} ${path}`).toResponse();
}
