// Calls the real /api/v1 route handlers with real Request objects against a real test database
// (databases.ts), routing paths the way Next's App Router would. Used by the API tests.

import * as apiKeyRoute from "@/app/api/v1/api-keys/[id]/route";
import * as apiKeysRoute from "@/app/api/v1/api-keys/route";
import * as deliveryRetryRoute from "@/app/api/v1/deliveries/[id]/retry/route";
import * as deliveryRoute from "@/app/api/v1/deliveries/[id]/route";
import * as deliveriesRoute from "@/app/api/v1/deliveries/route";
import * as eventReplayRoute from "@/app/api/v1/events/[id]/replay/route";
import * as eventRoute from "@/app/api/v1/events/[id]/route";
import * as eventsRoute from "@/app/api/v1/events/route";
import * as hookEventsRoute from "@/app/api/v1/hooks/[name]/events/route";
import * as hookRoute from "@/app/api/v1/hooks/[name]/route";
import * as hooksRoute from "@/app/api/v1/hooks/route";
import * as listenerRecoverRoute from "@/app/api/v1/listeners/[id]/recover/route";
import * as listenerRotateRoute from "@/app/api/v1/listeners/[id]/rotate-secret/route";
import * as listenerRoute from "@/app/api/v1/listeners/[id]/route";
import * as listenersRoute from "@/app/api/v1/listeners/route";
import * as openApiRoute from "@/app/api/v1/openapi.json/route";
import * as unknownRoute from "@/app/api/v1/[...path]/route";
import { expect } from "vitest";
import type { PrismaClient } from "@/generated/prisma/client";
import { getAuth } from "@/server/auth/auth";
import { setDbForTesting } from "@/server/db/client";
import { createTestDatabase, type TestDatabase } from "./databases";
import { setRestDependenciesForTesting } from "@/server/rest/dependencies";
import { TokenBucketRateLimiter } from "@/server/rest/rate-limit";
import { fanOutJob } from "@/server/jobs/fan-out-job";
import { DELIVERY_REQUESTED } from "@/server/jobs/steps";
import type { DeliveryRunner } from "@/server/runner/port";
import { clearApiKeyCache, createApiKey } from "@/server/services/api-keys";

export const TEST_ORIGIN = "http://localhost:3000";

type RouteContext = { params: Promise<Record<string, string>> };
// Method syntax: each route's handler takes its own params type, which these signatures accept.
interface RouteModule {
  GET?(request: Request, context: RouteContext): Promise<Response> | Response;
  POST?(request: Request, context: RouteContext): Promise<Response> | Response;
  PUT?(request: Request, context: RouteContext): Promise<Response> | Response;
  PATCH?(request: Request, context: RouteContext): Promise<Response> | Response;
  DELETE?(request: Request, context: RouteContext): Promise<Response> | Response;
}

// Static segments before dynamic ones, as Next matches them.
const ROUTES: [pattern: string, module: RouteModule][] = [
  ["/openapi.json", openApiRoute],
  ["/api-keys", apiKeysRoute],
  ["/api-keys/[id]", apiKeyRoute],
  ["/hooks", hooksRoute],
  ["/hooks/[name]", hookRoute],
  ["/hooks/[name]/events", hookEventsRoute],
  ["/listeners", listenersRoute],
  ["/listeners/[id]", listenerRoute],
  ["/listeners/[id]/rotate-secret", listenerRotateRoute],
  ["/listeners/[id]/recover", listenerRecoverRoute],
  ["/events", eventsRoute],
  ["/events/[id]", eventRoute],
  ["/events/[id]/replay", eventReplayRoute],
  ["/deliveries", deliveriesRoute],
  ["/deliveries/[id]", deliveryRoute],
  ["/deliveries/[id]/retry", deliveryRetryRoute],
];

function matchRoute(path: string): { module: RouteModule; params: Record<string, string> } {
  const segments = path.split("/").filter(Boolean);
  for (const [pattern, module] of ROUTES) {
    const parts = pattern.split("/").filter(Boolean);
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = parts.every((part, index) => {
      const segment = segments[index]!;
      if (part.startsWith("[")) {
        params[part.slice(1, -1)] = decodeURIComponent(segment);
        return true;
      }
      return part === segment;
    });
    if (matches) return { module, params };
  }
  return { module: unknownRoute, params: { path: segments.join("/") } };
}

/** Sends a Request to the handler Next would pick for its /api/v1 path. */
export async function dispatch(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const path = url.pathname.replace(/^\/api\/v1/, "");
  const { module, params } = matchRoute(path);
  const method = request.method as keyof RouteModule;
  if (!module[method]) return new Response(null, { status: 405 });
  return module[method](request, { params: Promise.resolve(params) });
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON (problem documents included); undefined for an empty body. */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read fields freely
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as is, instead of JSON of `body`. */
  rawBody?: BodyInit;
  headers?: Record<string, string>;
  /** Another key, or null for none. Default: the harness project's key. */
  apiKey?: string | null;
}

/**
 * A runner that records what it is told and runs each fan-out at once (the real fan-out job, on steps
 * that run immediately), so a test sees an accepted event's deliveries as soon as the request returns;
 * it never attempts a delivery, which lets a test act as the runner (`onCreated`).
 */
export class RecordingRunner implements DeliveryRunner {
  readonly kind = "embedded" as const;
  readonly created: { projectId: string; eventId: string; deliveryIds: string[] }[] = [];
  readonly retried: { projectId: string; deliveryIds: string[] }[] = [];
  onCreated?: (input: { projectId: string; eventId: string; deliveryIds: string[] }) => void;

  constructor(private readonly db: () => PrismaClient) {}

  async fanOutRequested(input: { projectId: string; eventId: string; fanOut: number }): Promise<void> {
    const deliveryIds: string[] = [];
    await fanOutJob(
      {
        run: (_id, work) => work(),
        sleepUntil: async () => {
          throw new Error("a fan-out never sleeps");
        },
        sendEvents: async (_id, events) => {
          for (const event of events)
            if (event.name === DELIVERY_REQUESTED) deliveryIds.push(event.data.deliveryId);
        },
      },
      { db: this.db },
      input,
    );
    this.told({ projectId: input.projectId, eventId: input.eventId, deliveryIds });
  }

  async deliveriesCreated(input: {
    projectId: string;
    deliveries: { id: string; listenerId: string }[];
  }): Promise<void> {
    const ids = input.deliveries.map((delivery) => delivery.id);
    const rows = await this.db().delivery.findMany({ where: { id: { in: ids } }, select: { eventId: true } });
    this.told({ projectId: input.projectId, eventId: rows[0]?.eventId ?? "", deliveryIds: ids });
  }

  private told(input: { projectId: string; eventId: string; deliveryIds: string[] }): void {
    if (input.deliveryIds.length === 0) return;
    this.created.push(input);
    this.onCreated?.(input);
  }

  async retryRequested(input: { projectId: string; deliveryIds: string[] }): Promise<void> {
    this.retried.push(input);
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
}

/** Generous enough that only the rate-limit test, with its own limiter, ever sees a 429. */
export const TEST_RATE_LIMIT = { perSecond: 10_000, burst: 10_000 };

export interface ApiHarness {
  database: TestDatabase;
  db: PrismaClient;
  projectId: string;
  apiKey: string;
  runner: RecordingRunner;
  request(method: string, path: string, options?: RequestOptions): Request;
  call(method: string, path: string, options?: RequestOptions): Promise<ApiResponse>;
  /** Another project with its own key, to check that nothing crosses over. */
  otherProject(): Promise<{ projectId: string; apiKey: string }>;
  close(): Promise<void>;
}

export async function readResponse(response: Response): Promise<ApiResponse> {
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === "" ? undefined : JSON.parse(text),
  };
}

/** Signs up through better-auth's own handler and returns the session cookie it sets. */
export async function signUp(email: string): Promise<string> {
  const response = await getAuth().handler(
    new Request(`${TEST_ORIGIN}/api/auth/sign-up/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: TEST_ORIGIN },
      body: JSON.stringify({ email, password: "correct horse battery", name: "Tester" }),
    }),
  );
  expect(response.status).toBe(200);
  const cookies = response.headers.getSetCookie().map((cookie) => cookie.split(";")[0]);
  expect(cookies.some((cookie) => cookie?.includes("session_token"))).toBe(true);
  return cookies.join("; ");
}

export async function startApiHarness(): Promise<ApiHarness> {
  const database = await createTestDatabase();
  const db = database.db;
  setDbForTesting(db);
  clearApiKeyCache();
  const runner = new RecordingRunner(() => db);
  setRestDependenciesForTesting({ runner, rateLimiter: new TokenBucketRateLimiter(TEST_RATE_LIMIT) });

  async function projectWithKey(name: string) {
    const project = await db.project.create({ data: { name } });
    const { key } = await createApiKey(project.id, { name: "tests" }, db);
    return { projectId: project.id, apiKey: key };
  }
  const main = await projectWithKey("api tests");

  function request(method: string, path: string, options: RequestOptions = {}): Request {
    const headers = new Headers(options.headers);
    const apiKey = options.apiKey === undefined ? main.apiKey : options.apiKey;
    if (apiKey !== null && !headers.has("authorization")) headers.set("authorization", `Bearer ${apiKey}`);
    let body: BodyInit | undefined = options.rawBody;
    if (body === undefined && options.body !== undefined) {
      body = JSON.stringify(options.body);
      if (!headers.has("content-type")) headers.set("content-type", "application/json");
    }
    return new Request(`${TEST_ORIGIN}/api/v1${path}`, {
      method,
      headers,
      body,
      duplex: "half",
    } as RequestInit);
  }

  return {
    database,
    db,
    ...main,
    runner,
    request,
    call: async (method, path, options) => readResponse(await dispatch(request(method, path, options))),
    otherProject: () => projectWithKey("someone else's"),
    async close() {
      setRestDependenciesForTesting(undefined);
      setDbForTesting(undefined);
      await database.drop();
    },
  };
}
