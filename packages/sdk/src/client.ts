import type {
  CreatedPortalLink,
  CreateListenerBody,
  CreatePortalLinkBody,
  EventRecord,
  DeliveryRecord,
  HookDefinition,
  HookRecord,
  HookWithStats,
  ListHooksQuery,
  ListListenersQuery,
  ListenerRecord,
  ListenerWithSecret,
  Page,
  PortalLinkRecord,
  PortalSettings,
  PutHookResult,
  RecoveredDeliveries,
  SendEventBody,
  SendEventOptions,
  SendEventResult,
  UpdateListenerBody,
} from "./api-types";
import { InvalidPayload } from "./errors";
import { type FilterInput, serializeFilter } from "./filter";
import { Transport, type TransportOptions } from "./http";
import { HookRegistry } from "./registry";

export type DurianOptions = TransportOptions;

/** The longest `?wait=` the API accepts, in seconds. */
export const MAX_WAIT_SECONDS = 30;

/** A listener to create; `filter` may use matchers (`{ name: Startswith("J") }`) or raw filter JSON. */
export type CreateListenerInput = Omit<CreateListenerBody, "filter"> & { filter?: FilterInput };
export type UpdateListenerInput = Omit<UpdateListenerBody, "filter"> & { filter?: FilterInput };

/**
 * Client of the Durian REST API (/api/v1). One typed method per route; an error answer throws
 * DurianApiError, a request that got no answer DurianConnectionError. Nothing is retried.
 */
export class Durian {
  /** The hooks this app defines: register them, then `sync()` them to the server. */
  readonly hooks: HookRegistry;
  private readonly transport: Transport;

  constructor(options: DurianOptions) {
    this.transport = new Transport(options);
    this.hooks = new HookRegistry(this);
  }

  // Hooks ------------------------------------------------------------------------------------------

  /** `PUT /hooks/{name}`: creates or updates a hook definition (idempotent). */
  async putHook(definition: HookDefinition): Promise<PutHookResult> {
    const { name, ...body } = definition;
    const response = await this.transport.request<HookRecord>({
      method: "PUT",
      path: `/hooks/${segment(name)}`,
      body,
    });
    return { created: response.status === 201, hook: response.body };
  }

  /**
   * `GET /hooks`: one page of the project's hooks, with their 24-hour stats; `search` keeps those whose
   * name, verbose name, description or a field contains it.
   */
  async listHooks(query: ListHooksQuery = {}): Promise<Page<HookWithStats>> {
    return pageOf(await this.transport.request({ method: "GET", path: "/hooks", query: { ...query } }));
  }

  /** Every hook of the project, following `nextCursor` page after page. */
  async *iterateHooks(query: Omit<ListHooksQuery, "cursor"> = {}): AsyncGenerator<HookWithStats> {
    yield* this.iteratePages((cursor) => this.listHooks({ ...query, cursor }));
  }

  /** `GET /hooks/{name}`. */
  async getHook(name: string): Promise<HookRecord> {
    return (await this.transport.request<HookRecord>({ method: "GET", path: `/hooks/${segment(name)}` }))
      .body;
  }

  /** `DELETE /hooks/{name}`: the hook, its listeners and its events. */
  async deleteHook(name: string): Promise<void> {
    await this.transport.request({ method: "DELETE", path: `/hooks/${segment(name)}` });
  }

  // Events -----------------------------------------------------------------------------------------

  /**
   * `POST /hooks/{name}/events`. Sends the payload as given: use `hook.send()` to project it to the
   * hook's providesArgs first (the server refuses unknown fields).
   */
  async sendEvent(
    hookName: string,
    body: SendEventBody,
    options: SendEventOptions = {},
  ): Promise<SendEventResult> {
    const { idempotencyKey, wait } = options;
    if (wait !== undefined && !(Number.isFinite(wait) && wait >= 0 && wait <= MAX_WAIT_SECONDS)) {
      throw new InvalidPayload(`wait must be a number of seconds from 0 to ${MAX_WAIT_SECONDS}, got ${wait}`);
    }
    if (idempotencyKey !== undefined && (typeof idempotencyKey !== "string" || idempotencyKey === "")) {
      throw new InvalidPayload("idempotencyKey must be a non-empty string");
    }
    const response = await this.transport.request<SendEventResult>({
      method: "POST",
      path: `/hooks/${segment(hookName)}/events`,
      query: { wait },
      headers: { "idempotency-key": idempotencyKey },
      body,
    });
    return response.body;
  }

  /** `GET /events/{id}`: the stored (projected) payload, its deliveries and their attempts. */
  async getEvent(id: string): Promise<EventRecord> {
    return (await this.transport.request<EventRecord>({ method: "GET", path: `/events/${segment(id)}` }))
      .body;
  }

  /** `POST /deliveries/{id}/retry`: schedules a new attempt (409 while one is running). */
  async retryDelivery(id: string): Promise<DeliveryRecord> {
    const response = await this.transport.request<DeliveryRecord>({
      method: "POST",
      path: `/deliveries/${segment(id)}/retry`,
    });
    return response.body;
  }

  // Listeners --------------------------------------------------------------------------------------

  /** `POST /listeners`: the created listener, with its `whsec_…` signing secret. */
  async createListener(input: CreateListenerInput): Promise<ListenerWithSecret> {
    const body: CreateListenerBody = { ...input, filter: optionalFilter(input.filter) };
    return (await this.transport.request<ListenerWithSecret>({ method: "POST", path: "/listeners", body }))
      .body;
  }

  /** `GET /listeners?hook=`: one page of the project's listeners, or of one hook's. */
  async listListeners(query: ListListenersQuery = {}): Promise<Page<ListenerRecord>> {
    return pageOf(await this.transport.request({ method: "GET", path: "/listeners", query: { ...query } }));
  }

  /** Every listener of the project (or of one hook), following `nextCursor` page after page. */
  async *iterateListeners(query: Omit<ListListenersQuery, "cursor"> = {}): AsyncGenerator<ListenerRecord> {
    yield* this.iteratePages((cursor) => this.listListeners({ ...query, cursor }));
  }

  /** `GET /listeners/{id}`: the listener with its signing secret (list pages leave secrets out). */
  async getListener(id: string): Promise<ListenerWithSecret> {
    return (
      await this.transport.request<ListenerWithSecret>({ method: "GET", path: `/listeners/${segment(id)}` })
    ).body;
  }

  /** `PATCH /listeners/{id}`: changes only the fields given. */
  async updateListener(id: string, changes: UpdateListenerInput): Promise<ListenerRecord> {
    const body: UpdateListenerBody = { ...changes, filter: optionalFilter(changes.filter) };
    const response = await this.transport.request<ListenerRecord>({
      method: "PATCH",
      path: `/listeners/${segment(id)}`,
      body,
    });
    return response.body;
  }

  /** `DELETE /listeners/{id}`. */
  async deleteListener(id: string): Promise<void> {
    await this.transport.request({ method: "DELETE", path: `/listeners/${segment(id)}` });
  }

  /** `POST /listeners/{id}/rotate-secret`: the listener with its new secret. */
  async rotateListenerSecret(id: string): Promise<ListenerWithSecret> {
    const response = await this.transport.request<ListenerWithSecret>({
      method: "POST",
      path: `/listeners/${segment(id)}/rotate-secret`,
    });
    return response.body;
  }

  /**
   * `POST /listeners/{id}/recover`: every failed delivery of the listener created since `since` is
   * attempted again, now, with its own webhook-id (for after the receiver's outage). 409 while the
   * listener is disabled.
   */
  async recoverFailedDeliveries(
    id: string,
    { since }: { since: Date | string },
  ): Promise<RecoveredDeliveries> {
    const response = await this.transport.request<RecoveredDeliveries>({
      method: "POST",
      path: `/listeners/${segment(id)}/recover`,
      body: { since: since instanceof Date ? since.toISOString() : since },
    });
    return response.body;
  }

  // The customer portal ------------------------------------------------------------------------------

  /**
   * `POST /portal/links`: a link to the portal for one of your customers, showing and managing only
   * the listeners tagged with `customer`. Open it, or put it in an iframe on an origin listed in the
   * portal settings. It expires after `expiresIn` seconds (default an hour, at most 7 days).
   */
  async createPortalLink(input: CreatePortalLinkBody): Promise<CreatedPortalLink> {
    const response = await this.transport.request<CreatedPortalLink>({
      method: "POST",
      path: "/portal/links",
      body: input,
    });
    return response.body;
  }

  /** `GET /portal/links`: links without their tokens, newest first; `customer` narrows them. */
  async listPortalLinks(query: { customer?: string } = {}): Promise<{ items: PortalLinkRecord[] }> {
    const response = await this.transport.request<{ items: PortalLinkRecord[] }>({
      method: "GET",
      path: "/portal/links",
      query,
    });
    return response.body;
  }

  /** `DELETE /portal/links/{id}`: the link stops working at once. */
  async revokePortalLink(id: string): Promise<void> {
    await this.transport.request({ method: "DELETE", path: `/portal/links/${segment(id)}` });
  }

  /** `PUT /portal/settings`: the origins that may frame the portal, and its theme. */
  async putPortalSettings(settings: PortalSettings): Promise<PortalSettings> {
    const response = await this.transport.request<PortalSettings>({
      method: "PUT",
      path: "/portal/settings",
      body: settings,
    });
    return response.body;
  }

  private async *iteratePages<T>(
    fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
  ): AsyncGenerator<T> {
    let cursor: string | undefined;
    do {
      const page = await fetchPage(cursor);
      yield* page.items;
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
  }
}

function segment(value: string): string {
  if (typeof value !== "string" || value === "") {
    throw new InvalidPayload(`expected a non-empty name or id, got ${JSON.stringify(value)}`);
  }
  return encodeURIComponent(value);
}

function optionalFilter(filter: FilterInput | undefined) {
  return filter === undefined ? undefined : serializeFilter(filter);
}

function pageOf<T>(response: { body: unknown }): Page<T> {
  const body = response.body as Partial<Page<T>> | undefined;
  if (!body || !Array.isArray(body.items)) {
    throw new TypeError(
      `Durian: expected a page ({items, nextCursor}), got ${JSON.stringify(response.body)?.slice(0, 200)}`,
    );
  }
  return { items: body.items, nextCursor: body.nextCursor ?? null };
}
