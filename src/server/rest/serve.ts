import { operations } from "@/contracts/operations";
import { inSpan, SpanKind, SpanStatusCode } from "@/server/telemetry/tracing";
import { API_PREFIX, handleApiRequest, operationPath } from "./dispatch";
import { matchOperation } from "./match-operation";
import { toHttpProblem } from "./problem";

/**
 * /api/v1 as the server entry (scripts/server.mjs) serves it: straight from Node's HTTP server, not
 * through Next's router. Next's handling of a request (route preparation, its own request and
 * response wrappers) left about 37 KB a request to the old generation, against about 10 KB served
 * from here (`npm run bench:ingest` at 200 events/s, matching included). At that rate the server met
 * a major GC about every 40 s, and its stall of 100 ms or more was the benchmark's p99. Next's
 * catch-all route still serves the same `handleApiRequest` under `next dev`.
 *
 * What Next did for these requests is done here: the security headers next.config.js gives every
 * path but the portal's, and, with tracing on, the server span continuing the caller's `traceparent`
 * (the server entry compresses).
 */
export const API_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
  "x-frame-options": "DENY",
};

const BENCH_CEILING_PATH = `${API_PREFIX}/bench-ceiling`;

export async function serveApiRequest(request: Request): Promise<Response> {
  const path = new URL(request.url).pathname;
  const response = await inSpan(
    `${request.method} ${API_PREFIX}`,
    {
      kind: SpanKind.SERVER,
      traceparent: request.headers.get("traceparent"),
      attributes: { "http.request.method": request.method, "url.path": path },
    },
    async (span) => {
      // Only for a span that is kept: the dispatcher matches the operation again.
      const route = span.isRecording() ? routeOf(request.method, path) : null;
      if (route !== null) {
        span.updateName(`${request.method} ${route}`);
        span.setAttribute("http.route", route);
      }
      const answer = await answerFor(request, path);
      span.setAttribute("http.response.status_code", answer.status);
      if (answer.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      return answer;
    },
  );
  for (const [name, value] of Object.entries(API_RESPONSE_HEADERS)) response.headers.set(name, value);
  return response;
}

async function answerFor(request: Request, path: string): Promise<Response> {
  try {
    if (path === BENCH_CEILING_PATH && request.method === "POST" && process.env.DURIAN_BENCH_CEILING === "1")
      return await benchCeiling(request);
    return await handleApiRequest(request);
  } catch (error) {
    return toHttpProblem(error).toResponse();
  }
}

/**
 * The ceiling `npm run bench:ingest` compares the ingest route with: served the same way, reading
 * the body and answering 202, without authentication or the database. It exists only while the
 * benchmark sets DURIAN_BENCH_CEILING=1; otherwise it is an unknown route like any other.
 */
async function benchCeiling(request: Request): Promise<Response> {
  await request.text();
  return Response.json({ eventId: "bench-ceiling", matched: 0 }, { status: 202 });
}

/** The operation's path template (`/api/v1/hooks/{name}/events`), so that spans group by operation. */
function routeOf(method: string, path: string): string | null {
  const match = matchOperation(method, operationPath(path));
  return match.kind === "operation" ? `${API_PREFIX}${operations[match.id].path}` : null;
}

// What the server entry calls for /api/v1 (see shutdown.ts for why it is handed over on globalThis).
const holder = globalThis as typeof globalThis & { __durianApi?: (request: Request) => Promise<Response> };

export function registerApiHandler(): void {
  holder.__durianApi = serveApiRequest;
}
