// Calls the real /api/v1 handler (the one Next's catch-all route serves, dispatching by the operation
// table) with real Request objects against a real test database (databases.ts). Used by the API tests.

import { expect } from "vitest";
import type { PrismaClient } from "@/generated/prisma/client";
import { getAuth } from "@/server/auth/auth";
import { setDbForTesting } from "@/server/db/client";
import { createTestDatabase, type TestDatabase } from "./databases";
import { setRestDependenciesForTesting } from "@/server/rest/dependencies";
import { handleApiRequest } from "@/server/rest/dispatch";
import { TokenBucketRateLimiter } from "@/server/rest/rate-limit";
import { fanOutJob } from "@/server/jobs/fan-out-job";
import { DELIVERY_REQUESTED } from "@/server/jobs/steps";
import type { DeliveryRunner } from "@/server/runner/port";
import { clearApiKeyCache, createApiKey } from "@/server/services/api-keys";

export const TEST_ORIGIN = "http://localhost:3000";

/** Sends a Request to the handler Next serves /api/v1 with. */
export const dispatch = handleApiRequest;

export interface ApiResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON (problem documents included), text for other media types; undefined for an empty body. */
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

function isJson(response: Response): boolean {
  return /json/.test(response.headers.get("content-type") ?? "application/json");
}

export async function readResponse(response: Response): Promise<ApiResponse> {
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === "" ? undefined : isJson(response) ? JSON.parse(text) : text,
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
