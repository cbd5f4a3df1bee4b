import { DurianApiError, DurianConnectionError, type FieldError } from "./errors";

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface TransportOptions {
  /** The Durian app's base URL, e.g. `https://durian.example.com` (a trailing `/api/v1` is accepted). */
  url: string;
  apiKey: string;
  /** Defaults to the global `fetch`. */
  fetch?: FetchLike;
}

export interface ApiRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Path below `/api/v1`, already encoded, e.g. `/hooks/person`. */
  path: string;
  query?: Record<string, string | number | undefined>;
  headers?: Record<string, string | undefined>;
  body?: unknown;
}

export interface ApiResponse<T> {
  status: number;
  body: T;
}

const API_PREFIX = "/api/v1";

/** Sends JSON requests to /api/v1 with the API key, and turns error answers into DurianApiError. */
export class Transport {
  private readonly baseUrl: string;
  private readonly apiKey: string;
  private readonly fetch: FetchLike;

  constructor(options: TransportOptions) {
    if (typeof options.url !== "string" || !/^https?:\/\//i.test(options.url)) {
      throw new TypeError(`Durian: url must be an http(s) URL, got ${JSON.stringify(options.url)}`);
    }
    if (typeof options.apiKey !== "string" || options.apiKey.trim() === "") {
      throw new TypeError("Durian: apiKey must be a non-empty string");
    }
    this.baseUrl = options.url.replace(/\/+$/, "").replace(/\/api\/v1$/, "") + API_PREFIX;
    this.apiKey = options.apiKey;
    // Called through a wrapper: browsers and edge runtimes throw "Illegal invocation" when fetch is
    // called with another `this`.
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  async request<T>(request: ApiRequest): Promise<ApiResponse<T>> {
    const url = this.baseUrl + request.path + queryString(request.query);
    const headers: Record<string, string> = {
      accept: "application/json, application/problem+json",
      authorization: `Bearer ${this.apiKey}`,
    };
    for (const [name, value] of Object.entries(request.headers ?? {})) {
      if (value !== undefined) headers[name] = value;
    }
    const init: RequestInit = { method: request.method, headers };
    if (request.body !== undefined) {
      headers["content-type"] = "application/json";
      init.body = JSON.stringify(request.body);
    }

    let response: Response;
    try {
      response = await this.fetch(url, init);
    } catch (error) {
      throw new DurianConnectionError(request.method, url, error);
    }
    const body = await readBody(response, request.method, url);
    if (!response.ok) throw problemError(request.method, url, response, body);
    return { status: response.status, body: body as T };
  }
}

function queryString(query: ApiRequest["query"]): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined) params.set(name, String(value));
  }
  const encoded = params.toString();
  return encoded ? `?${encoded}` : "";
}

async function readBody(response: Response, method: string, url: string): Promise<unknown> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw new DurianConnectionError(method, url, error);
  }
  if (text === "") return undefined;
  const contentType = response.headers.get("content-type") ?? "";
  if (!/[/+]json\b/i.test(contentType)) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    if (!response.ok) return text;
    throw new DurianApiError({
      method,
      url,
      status: response.status,
      type: "about:blank",
      title: "Invalid JSON response",
      detail: `The server said ${contentType} but sent: ${text.slice(0, 200)}`,
      errors: [],
      retryAfterSeconds: undefined,
      body: text,
    });
  }
}

function problemError(method: string, url: string, response: Response, body: unknown): DurianApiError {
  const problem = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  const title = stringOr(problem.title, response.statusText || `HTTP ${response.status}`);
  const fallbackDetail = typeof body === "string" ? body.slice(0, 500) : "";
  return new DurianApiError({
    method,
    url,
    status: response.status,
    type: stringOr(problem.type, "about:blank"),
    title,
    detail: stringOr(problem.detail, fallbackDetail),
    errors: fieldErrors(problem.errors),
    retryAfterSeconds: retryAfterSeconds(response.headers.get("retry-after")),
    body,
  });
}

function fieldErrors(errors: unknown): FieldError[] {
  if (!Array.isArray(errors)) return [];
  return errors.map((error: unknown) => {
    const entry = typeof error === "object" && error !== null ? (error as Record<string, unknown>) : {};
    const path = Array.isArray(entry.path) ? entry.path.join(".") : stringOr(entry.path, "");
    return { path, message: stringOr(entry.message, String(error)) };
  });
}

function retryAfterSeconds(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === "string" ? value : fallback;
}
