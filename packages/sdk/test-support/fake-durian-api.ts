// A real HTTP server on 127.0.0.1 standing in for the Durian REST API in SDK tests: it records every
// request exactly as received and answers like /api/v1 does (201/200/202/204, problem+json errors),
// keeping hooks and listeners in memory. Tests can queue a raw answer to force any response. With
// `deliver`, it also POSTs each event to the matching listeners (core matcher), signed the Standard
// Webhooks way (core signing) — to 127.0.0.1 only.

import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { matchesFilter } from "@/core/filter";
import { signatureHeader } from "@/core/signing";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { Durian } from "../src/index";

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. `/api/v1/hooks/person`. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** The JSON body, or undefined when there was none. */
  body: unknown;
}

export interface CannedResponse {
  status: number;
  headers?: Record<string, string>;
  /** Sent as JSON unless it is a string. */
  body?: unknown;
}

interface StoredHook {
  id: string;
  name: string;
  verboseName: string;
  description: string;
  providesArgs: string[];
  configForm: unknown[];
  /** Bumped when a PUT drops a field (the server's full rules are in src/core/hook-fields/compatibility.ts). */
  version: number;
  kind: string;
  timeoutMs: number;
  retrySchedule: number[];
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

interface StoredListener {
  id: string;
  hook: string;
  hookId: string;
  url: string;
  filter: unknown;
  description: string;
  headers: Record<string, string>;
  envelope: boolean;
  hookVersion: number;
  config: Record<string, unknown>;
  enabled: boolean;
  disabledReason: string | null;
  consecutiveFailures: number;
  previousSecretUntil: string | null;
  createdAt: string;
  updatedAt: string;
  secret: string;
}

export interface FakeDurianApi {
  /** Base URL of the app, e.g. `http://127.0.0.1:41234`. */
  url: string;
  apiKey: string;
  requests: RecordedRequest[];
  hooks: Map<string, StoredHook>;
  listeners: Map<string, StoredListener>;
  /** Answers the next request with this instead of the in-memory API. */
  respondNext(response: CannedResponse): void;
  /** Requests to one route, for assertions. */
  requestsTo(method: string, path: string): RecordedRequest[];
  close(): Promise<void>;
}

const PROBLEM_TYPE_BASE = "https://durian.dev/problems/";

export interface FakeDurianApiOptions {
  apiKey?: string;
  /** POST accepted events to matching listeners on 127.0.0.1 (other hosts count as failed). */
  deliver?: boolean;
}

export async function startFakeDurianApi(options: FakeDurianApiOptions = {}): Promise<FakeDurianApi> {
  const apiKey = options.apiKey ?? "dk_test_key";
  const requests: RecordedRequest[] = [];
  const canned: CannedResponse[] = [];
  const hooks = new Map<string, StoredHook>();
  // Each hook's fields by version (index 0: version 1), so an event naming an earlier version is checked with its fields.
  const fieldsByVersion = new Map<string, string[][]>();
  const listeners = new Map<string, StoredListener>();
  const idempotentAnswers = new Map<string, unknown>();
  let nextId = 1;
  const newId = (prefix: string) => `${prefix}_${nextId++}`;

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const url = new URL(request.url ?? "/", "http://127.0.0.1");
      const rawBody = Buffer.concat(chunks).toString("utf8");
      let body: unknown;
      try {
        body = rawBody === "" ? undefined : JSON.parse(rawBody);
      } catch {
        body = rawBody;
      }
      const recorded: RecordedRequest = {
        method: request.method ?? "",
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: request.headers,
        rawBody,
        body,
      };
      requests.push(recorded);
      const forced = canned.shift();
      if (forced) return send(response, forced);
      void answer(recorded).then((answered) => send(response, answered));
    });
  });

  async function deliver(hookName: string, eventId: string, payload: unknown, listener: StoredListener) {
    const deliveryId = newId("dlv");
    const outcome = { id: deliveryId, listenerId: listener.id, attemptCount: 1 };
    if (!options.deliver || new URL(listener.url).hostname !== "127.0.0.1") {
      return { ...outcome, status: "failed", firstAttempt: null };
    }
    const body = JSON.stringify(
      listener.envelope ? { type: hookName, timestamp: new Date().toISOString(), data: payload } : payload,
    );
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = await signatureHeader([listener.secret], { msgId: deliveryId, timestamp, body });
    const startedAt = Date.now();
    try {
      const response = await fetch(listener.url, {
        method: "POST",
        headers: {
          ...listener.headers,
          "content-type": "application/json",
          "webhook-id": deliveryId,
          "webhook-timestamp": String(timestamp),
          "webhook-signature": signature,
          "durian-hook": hookName,
          "durian-event-id": eventId,
        },
        body,
      });
      await response.arrayBuffer();
      const firstAttempt = {
        responseStatus: response.status,
        errorClass: null,
        errorMessage: null,
        durationMs: Date.now() - startedAt,
      };
      return { ...outcome, status: response.ok ? "succeeded" : "failed", firstAttempt };
    } catch (error) {
      const firstAttempt = {
        responseStatus: null,
        errorClass: "refused",
        errorMessage: String(error),
        durationMs: Date.now() - startedAt,
      };
      return { ...outcome, status: "failed", firstAttempt };
    }
  }

  async function answer(request: RecordedRequest): Promise<CannedResponse> {
    if (request.headers.authorization !== `Bearer ${apiKey}`) {
      return problem(401, "unauthorized", "Unauthorized", "A valid API key is required");
    }
    const route = `${request.method} ${request.path.replace(/^\/api\/v1/, "")}`;
    const body = (request.body ?? {}) as Record<string, unknown>;
    let match: RegExpMatchArray | null;

    if ((match = route.match(/^PUT \/hooks\/([^/]+)$/))) {
      const name = decodeURIComponent(match[1]!);
      if (!Array.isArray(body.providesArgs)) {
        return validation([{ path: ["providesArgs"], message: "Required" }]);
      }
      const existing = hooks.get(name);
      const now = new Date().toISOString();
      // Typed fields are kept by name: the fake checks names, not types.
      const providesArgs = (body.providesArgs as (string | { name: string })[]).map((field) =>
        typeof field === "string" ? field : field.name,
      );
      const dropsField = existing?.providesArgs.some((field) => !providesArgs.includes(field)) ?? false;
      const hook: StoredHook = {
        id: existing?.id ?? newId("hook"),
        name,
        verboseName: (body.verboseName as string) ?? "",
        description: (body.description as string) ?? "",
        providesArgs,
        configForm: (body.configForm as unknown[]) ?? [],
        version: (existing?.version ?? 1) + (dropsField ? 1 : 0),
        kind: (body.kind as string) ?? "custom",
        timeoutMs: (body.timeoutMs as number) ?? 10_000,
        retrySchedule: (body.retrySchedule as number[]) ?? [],
        enabled: true,
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      };
      hooks.set(name, hook);
      const versions = existing ? (fieldsByVersion.get(name) ?? []) : [];
      versions[hook.version - 1] = providesArgs;
      fieldsByVersion.set(name, versions);
      return { status: existing ? 200 : 201, body: hook };
    }
    if (route === "GET /hooks") {
      const withStats = [...hooks.values()].map((hook) => ({
        ...hook,
        stats: {
          listeners: [...listeners.values()].filter((l) => l.hook === hook.name).length,
          events24h: 0,
          successRate24h: null,
        },
      }));
      return { status: 200, body: page(withStats, request.query) };
    }
    if ((match = route.match(/^(GET|DELETE) \/hooks\/([^/]+)$/))) {
      const name = decodeURIComponent(match[2]!);
      const hook = hooks.get(name);
      if (!hook) return problem(404, "not-found", "Not Found", `No hook named "${name}"`);
      if (match[1] === "DELETE") {
        hooks.delete(name);
        return { status: 204 };
      }
      return { status: 200, body: hook };
    }
    if ((match = route.match(/^POST \/hooks\/([^/]+)\/events$/))) {
      const name = decodeURIComponent(match[1]!);
      const hook = hooks.get(name);
      if (!hook) return problem(404, "not-found", "Not Found", `No hook named "${name}"`);
      const payload = body.payload;
      if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
        return validation([{ path: ["payload"], message: "must be an object" }]);
      }
      const fields =
        typeof body.version === "number"
          ? (fieldsByVersion.get(name)?.[body.version - 1] ?? [])
          : hook.providesArgs;
      const unknown = Object.keys(payload).filter((field) => !fields.includes(field));
      if (unknown.length > 0) {
        return validation(
          unknown.map((field) => ({ path: ["payload", field], message: "not provided by the hook" })),
        );
      }
      const key = request.headers["idempotency-key"];
      if (typeof key === "string" && idempotentAnswers.has(key)) {
        return { status: 202, body: idempotentAnswers.get(key) };
      }
      const matched = [...listeners.values()].filter(
        (listener) => listener.hook === name && listener.enabled && matchesFilter(listener.filter, payload),
      );
      const eventId = newId("evt");
      const result: Record<string, unknown> = { eventId, matched: matched.length };
      const deliveries = Promise.all(matched.map((listener) => deliver(name, eventId, payload, listener)));
      if (request.query.wait !== undefined) result.deliveries = await deliveries;
      if (typeof key === "string") idempotentAnswers.set(key, result);
      return { status: 202, body: result };
    }
    if (route === "POST /listeners") {
      if (typeof body.hook !== "string" || !hooks.has(body.hook)) {
        return problem(404, "not-found", "Not Found", `No hook named "${String(body.hook)}"`);
      }
      const now = new Date().toISOString();
      const listener: StoredListener = {
        id: newId("lst"),
        hook: body.hook,
        hookId: hooks.get(body.hook)!.id,
        disabledReason: null,
        consecutiveFailures: 0,
        previousSecretUntil: null,
        createdAt: now,
        updatedAt: now,
        url: body.url as string,
        filter: body.filter ?? {},
        description: (body.description as string) ?? "",
        headers: (body.headers as Record<string, string>) ?? {},
        envelope: (body.envelope as boolean) ?? false,
        hookVersion: (body.hookVersion as number) ?? hooks.get(body.hook)!.version,
        config: (body.config as Record<string, unknown>) ?? {},
        enabled: true,
        secret: `whsec_${Buffer.from(newId("secret").padEnd(32, "x")).toString("base64")}`,
      };
      listeners.set(listener.id, listener);
      return { status: 201, body: listener };
    }
    if (route === "GET /listeners") {
      const all = [...listeners.values()].filter(
        (listener) => !request.query.hook || listener.hook === request.query.hook,
      );
      return { status: 200, body: page(all.map(withoutSecret), request.query) };
    }
    if ((match = route.match(/^(GET|PATCH|DELETE) \/listeners\/([^/]+)$/))) {
      const listener = listeners.get(decodeURIComponent(match[2]!));
      if (!listener) return problem(404, "not-found", "Not Found", "No such listener");
      if (match[1] === "DELETE") {
        listeners.delete(listener.id);
        return { status: 204 };
      }
      if (match[1] === "PATCH") Object.assign(listener, body);
      return { status: 200, body: withoutSecret(listener) };
    }
    if ((match = route.match(/^POST \/listeners\/([^/]+)\/rotate-secret$/))) {
      const listener = listeners.get(decodeURIComponent(match[1]!));
      if (!listener) return problem(404, "not-found", "Not Found", "No such listener");
      listener.secret = `whsec_${Buffer.from(newId("rotated").padEnd(32, "y")).toString("base64")}`;
      return { status: 200, body: listener };
    }
    return problem(404, "not-found", "Not Found", `No route ${route}`);
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    requests,
    hooks,
    listeners,
    respondNext: (response) => canned.push(response),
    requestsTo: (method, path) =>
      requests.filter((request) => request.method === method && request.path === path),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** Offset cursors: enough to exercise the SDK's paging. */
function page<T>(all: T[], query: Record<string, string>) {
  const limit = Number(query.limit ?? 50);
  const start = Number(query.cursor ?? 0);
  const end = start + limit;
  return { items: all.slice(start, end), nextCursor: end < all.length ? String(end) : null };
}

function withoutSecret({ secret: _secret, ...listener }: StoredListener) {
  return listener;
}

function problem(
  status: number,
  type: string,
  title: string,
  detail: string,
  extra: object = {},
): CannedResponse {
  return {
    status,
    headers: { "content-type": "application/problem+json" },
    body: { type: PROBLEM_TYPE_BASE + type, title, status, detail, ...extra },
  };
}

function validation(errors: { path: (string | number)[]; message: string }[]): CannedResponse {
  return problem(422, "validation", "Unprocessable Content", "The request has invalid fields", { errors });
}

function send(response: ServerResponse, answer: CannedResponse): void {
  const headers = { ...answer.headers };
  let text = "";
  if (answer.body !== undefined) {
    text = typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body);
    headers["content-type"] ??= typeof answer.body === "string" ? "text/plain" : "application/json";
  }
  response.writeHead(answer.status, headers);
  response.end(text);
}

/**
 * One fake API for a test file and a fresh `Durian` client per test: every test starts with no
 * requests, hooks or listeners recorded, and its registered hooks are cleared after it.
 */
export function useFakeDurianApi(): { readonly api: FakeDurianApi; readonly durian: Durian } {
  let api: FakeDurianApi | undefined;
  let durian: Durian | undefined;
  beforeAll(async () => {
    api = await startFakeDurianApi();
  });
  afterAll(() => api?.close());
  beforeEach(() => {
    api!.requests.length = 0;
    api!.hooks.clear();
    api!.listeners.clear();
    durian = new Durian({ url: api!.url, apiKey: api!.apiKey });
  });
  afterEach(() => durian?.hooks.clear());
  return {
    get api() {
      if (!api) throw new Error("the fake API runs only while the file's tests run");
      return api;
    },
    get durian() {
      if (!durian) throw new Error("the Durian client exists only inside a test");
      return durian;
    },
  };
}
