import {
  type DeliveryAttempt,
  type DeliveryRecord,
  DurianApiError,
  DurianConnectionError,
  type ListenerWithSecret,
} from "@durian/sdk";
import type { OpenRelayListenerInput, RelayAttemptReportInput } from "@/contracts/relay";

/** Where the CLI talks to, and as whom. */
export interface Connection {
  /** The Durian app's origin, e.g. `http://localhost:3000`. */
  url: string;
  apiKey: string;
}

export interface RelayAttemptResult {
  status: "succeeded" | "pending" | "failed";
  nextAttemptAt: string | null;
}

export interface DeliveryPage {
  items: DeliveryRecord[];
  nextCursor: string | null;
}

export interface HookSummary {
  id: string;
  name: string;
}

/**
 * The /api/v1 calls the CLI makes beyond the SDK's client: the relay's, and the delivery log. Errors
 * are the SDK's (`DurianApiError` naming the problem, `DurianConnectionError`), so they read alike.
 */
export class CliApi {
  private readonly base: string;

  constructor(private readonly connection: Connection) {
    this.base = connection.url.replace(/\/+$/, "").replace(/\/api\/v1$/, "") + "/api/v1";
  }

  /** Creates the relay listener for this hook, filter and name, or reuses it (`created` says which). */
  async openRelayListener(
    input: OpenRelayListenerInput,
  ): Promise<{ created: boolean; listener: ListenerWithSecret }> {
    const { status, body } = await this.json<ListenerWithSecret>("POST", "/relay/listeners", input);
    return { created: status === 201, listener: body };
  }

  async reportRelayAttempt(deliveryId: string, report: RelayAttemptReportInput): Promise<RelayAttemptResult> {
    const path = `/relay/deliveries/${encodeURIComponent(deliveryId)}/attempts`;
    return (await this.json<RelayAttemptResult>("POST", path, report)).body;
  }

  async deleteListener(id: string): Promise<void> {
    await this.json("DELETE", `/listeners/${encodeURIComponent(id)}`);
  }

  /** Opens the relay listener's event stream; the answer's body is the stream (see sse.ts). */
  async openRelayStream(listenerId: string, signal: AbortSignal): Promise<Response> {
    const url = `${this.base}/relay/listeners/${encodeURIComponent(listenerId)}/deliveries`;
    const response = await this.fetch("GET", url, { accept: "text/event-stream" }, undefined, signal);
    if (!response.ok) throw await problemError("GET", url, response);
    return response;
  }

  async listDeliveries(query: Record<string, string>): Promise<DeliveryPage> {
    const search = new URLSearchParams(query).toString();
    return (await this.json<DeliveryPage>("GET", `/deliveries?${search}`)).body;
  }

  async getDelivery(id: string): Promise<DeliveryRecord & { attempts: DeliveryAttempt[] }> {
    return (
      await this.json<DeliveryRecord & { attempts: DeliveryAttempt[] }>(
        "GET",
        `/deliveries/${encodeURIComponent(id)}`,
      )
    ).body;
  }

  async listHooks(): Promise<HookSummary[]> {
    return (await this.json<{ items: HookSummary[] }>("GET", "/hooks?limit=200")).body.items;
  }

  private async json<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const url = this.base + path;
    const headers: Record<string, string> = { accept: "application/json, application/problem+json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    const response = await this.fetch(
      method,
      url,
      headers,
      body === undefined ? undefined : JSON.stringify(body),
    );
    if (!response.ok) throw await problemError(method, url, response);
    const text = await response.text();
    return { status: response.status, body: (text === "" ? undefined : JSON.parse(text)) as T };
  }

  private async fetch(
    method: string,
    url: string,
    headers: Record<string, string>,
    body?: string,
    signal?: AbortSignal,
  ): Promise<Response> {
    try {
      return await fetch(url, {
        method,
        headers: { ...headers, authorization: `Bearer ${this.connection.apiKey}` },
        body,
        signal,
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new DurianConnectionError(method, url, error);
    }
  }
}

async function problemError(method: string, url: string, response: Response): Promise<DurianApiError> {
  const text = await response.text().catch(() => "");
  let problem: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === "object" && parsed !== null) problem = parsed as Record<string, unknown>;
  } catch {
    // Not JSON: described by its status and text below.
  }
  const retryAfter = Number(response.headers.get("retry-after"));
  return new DurianApiError({
    method,
    url,
    status: response.status,
    type: typeof problem.type === "string" ? problem.type : "about:blank",
    title: typeof problem.title === "string" ? problem.title : `HTTP ${response.status}`,
    detail: typeof problem.detail === "string" ? problem.detail : text.slice(0, 500),
    errors: Array.isArray(problem.errors) ? (problem.errors as DurianApiError["errors"]) : [],
    retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    body: problem,
  });
}
