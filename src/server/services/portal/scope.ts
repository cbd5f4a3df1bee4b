import type { PrismaClient } from "@/generated/prisma/client";
import { getDb } from "@/server/db/client";
import { isOperationalHookName, OPERATIONAL_HOOK_PREFIX } from "@/server/operational/hooks";
import { type RestoredListener, restoreListener } from "@/server/operational/restore-listener";
import { DEFAULT_PAGE_SIZE } from "@/contracts/common";
import type { CreateListener, ListListenersQuery } from "@/contracts/listeners";
import {
  type DeliveryRecord,
  type DeliveryWithAttempts,
  type EventSummary,
  getDelivery,
  listDeliveries,
  toEventSummary,
} from "../deliveries-read";
import { NotFoundError, ValidationError } from "../errors";
import { retryDelivery } from "../events/retry-delivery";
import {
  createListener,
  deleteListener,
  getListener,
  listListeners,
  type ListenerRecord,
  type ListenerWithSecret,
  rotateListenerSecret,
  updateListener,
} from "../listeners";
import type { Page } from "../pagination";
import { fieldsOfHook } from "../hooks";
import { type ConfigOption, type HookField, storedConfigForm } from "@/core/hook-fields";
import { type OpenedPortalLink, openPortalLink } from "./links";
import { type PortalPresentation, portalPresentation } from "./settings";

/** A hook as the portal offers it: what a customer needs to subscribe, nothing about other customers. */
export interface PortalHook {
  name: string;
  verboseName: string;
  description: string;
  providesArgs: string[];
  /** The same fields with their types, for the generated form. */
  fields: HookField[];
  /** The options each listener sets (durian's config_form). */
  configForm: ConfigOption[];
}

/**
 * Everything a portal page may read or change, and the one place its scope is enforced: the link's
 * project and customer come from the token, never from the client, and every id the client names is
 * checked to be one of that customer's listeners (or their deliveries) before a service touches it.
 * Another customer's or another project's listener is "not found", exactly like one that never was.
 * Durian's own `durian.*` hooks are not offered: their events describe every listener of the project.
 */
export class PortalScope {
  private constructor(
    readonly link: OpenedPortalLink,
    private readonly db: PrismaClient,
  ) {}

  /** The scope of a presented token, or PortalLinkRefusedError (unknown, expired, revoked). */
  static async open(token: string, db: PrismaClient = getDb(), now: Date = new Date()): Promise<PortalScope> {
    return new PortalScope(await openPortalLink(token, db, now), db);
  }

  get projectId(): string {
    return this.link.projectId;
  }

  get customer(): string {
    return this.link.customer;
  }

  presentation(): Promise<PortalPresentation> {
    return portalPresentation(this.projectId, this.db);
  }

  /** The project's hooks a customer may listen to, by name. */
  async hooks(): Promise<PortalHook[]> {
    const hooks = await this.db.hook.findMany({
      where: {
        projectId: this.projectId,
        enabled: true,
        NOT: { name: { startsWith: OPERATIONAL_HOOK_PREFIX } },
      },
      select: {
        name: true,
        verboseName: true,
        description: true,
        providesArgs: true,
        fieldTypes: true,
        configForm: true,
      },
      orderBy: { name: "asc" },
    });
    return hooks.map(({ fieldTypes, configForm, ...hook }) => ({
      ...hook,
      fields: fieldsOfHook({ ...hook, fieldTypes }),
      configForm: storedConfigForm(configForm),
    }));
  }

  async hook(name: string): Promise<PortalHook> {
    const hook = (await this.hooks()).find((candidate) => candidate.name === name);
    if (!hook) throw new NotFoundError("Hook");
    return hook;
  }

  listListeners(query: Omit<ListListenersQuery, "customer">): Promise<Page<ListenerRecord>> {
    return listListeners(this.projectId, { ...query, customer: this.customer }, this.db);
  }

  async getListener(id: string): Promise<ListenerWithSecret> {
    await this.requireOwnListener(id);
    return getListener(this.projectId, id, this.db);
  }

  /** Always tagged with the link's customer, whatever the input says. */
  async createListener(input: Omit<CreateListener, "customer">): Promise<ListenerWithSecret> {
    if (isOperationalHookName(input.hook)) {
      throw new ValidationError([
        { path: "hook", message: "Durian's own hooks are not offered in the portal" },
      ]);
    }
    return createListener(this.projectId, { ...input, customer: this.customer }, this.db);
  }

  async rotateListenerSecret(id: string): Promise<ListenerWithSecret> {
    await this.requireOwnListener(id);
    return rotateListenerSecret(this.projectId, id, this.db);
  }

  /** Enables a disabled listener again; its failed deliveries stay as they are. */
  async enableListener(id: string): Promise<ListenerRecord> {
    await this.requireOwnListener(id);
    return updateListener(this.projectId, id, { enabled: true }, this.db);
  }

  /** The dashboard's "re-enable and recover", done by the link's customer. */
  async restoreListener(id: string): Promise<RestoredListener> {
    await this.requireOwnListener(id);
    return restoreListener({ db: this.db }, { projectId: this.projectId, listenerId: id, by: "customer" });
  }

  async deleteListener(id: string): Promise<void> {
    await this.requireOwnListener(id);
    await deleteListener(this.projectId, id, this.db);
  }

  async listenerDeliveries(id: string, limit = DEFAULT_PAGE_SIZE): Promise<Page<DeliveryRecord>> {
    await this.requireOwnListener(id);
    return listDeliveries(this.projectId, { listenerId: id, limit }, this.db);
  }

  async getDelivery(id: string): Promise<DeliveryWithAttempts> {
    await this.requireOwnDelivery(id);
    return getDelivery(this.projectId, id, this.db);
  }

  async retryDelivery(id: string): Promise<DeliveryRecord> {
    await this.requireOwnDelivery(id);
    return retryDelivery(this.projectId, id, { db: this.db });
  }

  /**
   * A hook's latest events that reached this customer's listeners (for the form's filter preview):
   * the hook's other events may be other customers' business.
   */
  async recentEvents(hookName: string, limit: number): Promise<Page<EventSummary>> {
    const rows = await this.db.event.findMany({
      where: {
        projectId: this.projectId,
        hook: { name: hookName },
        deliveries: { some: { listener: { customer: this.customer } } },
      },
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      take: limit,
    });
    return { items: rows.map(toEventSummary), nextCursor: null };
  }

  private async requireOwnListener(id: string): Promise<void> {
    const owned = await this.db.listener.count({
      where: { id, projectId: this.projectId, customer: this.customer },
    });
    if (owned === 0) throw new NotFoundError("Listener");
  }

  private async requireOwnDelivery(id: string): Promise<void> {
    const owned = await this.db.delivery.count({
      where: { id, projectId: this.projectId, listener: { customer: this.customer } },
    });
    if (owned === 0) throw new NotFoundError("Delivery");
  }
}
