// The portal's scope rules through its real tRPC procedures on a real database: a link sees and
// changes only its own customer's listeners of its own project, and stops working when it expires
// or is revoked.
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PORTAL_TOKEN_HEADER } from "@/contracts/portal";
import { createCallerFactory, createPortalTRPCContext } from "@/server/api/trpc";
import { hashPortalToken } from "@/server/services/portal/links";
import { type ApiHarness, startApiHarness } from "@/testing/api-harness";
import { seedEvent } from "@/testing/seed";
import { portalRouter } from "./portal";

let api: ApiHarness;
let other: { projectId: string; apiKey: string };

const portalCaller = createCallerFactory(portalRouter);

function portalAs(token: string | null) {
  const headers = new Headers(token ? { [PORTAL_TOKEN_HEADER]: token } : {});
  return portalCaller(createPortalTRPCContext({ headers }));
}

async function linkFor(customer: string, apiKey?: string, expiresIn = 3600): Promise<string> {
  const response = await api.call("POST", "/portal/links", { body: { customer, expiresIn }, apiKey });
  expect(response.status).toBe(201);
  return (response.body.url as string).split("/").pop()!;
}

async function listenerFor(customer: string | undefined, apiKey?: string): Promise<string> {
  const response = await api.call("POST", "/listeners", {
    body: { hook: "invoice", url: "https://example.com/hook", customer },
    apiKey,
  });
  expect(response.status).toBe(201);
  return response.body.id;
}

async function refusal(call: Promise<unknown>): Promise<string> {
  const error = await call.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return (error as TRPCError).code;
}

let aliceToken: string;
let alicesListener: string;
let bobsListener: string;
let projectsOwnListener: string;
let otherProjectsListener: string;

beforeAll(async () => {
  api = await startApiHarness();
  other = await api.otherProject();
  for (const apiKey of [undefined, other.apiKey]) {
    await api.call("PUT", "/hooks/invoice", { body: { providesArgs: ["amount", "customer"] }, apiKey });
  }
  aliceToken = await linkFor("alice");
  alicesListener = await listenerFor("alice");
  bobsListener = await listenerFor("bob");
  projectsOwnListener = await listenerFor(undefined);
  // The same customer tag in another project belongs to another app's customer.
  otherProjectsListener = await listenerFor("alice", other.apiKey);
});
afterAll(() => api?.close());

describe("the portal's scope", () => {
  it("lists only the link's customer's listeners of the link's project", async () => {
    const page = await portalAs(aliceToken).listener.list({});
    expect(page.items.map((listener) => listener.id)).toEqual([alicesListener]);
  });

  it("finds no other customer's, project-owned or other project's listener, whatever it is asked", async () => {
    const alice = portalAs(aliceToken);
    for (const id of [bobsListener, projectsOwnListener, otherProjectsListener]) {
      expect(await refusal(alice.listener.get({ id }))).toBe("NOT_FOUND");
      expect(await refusal(alice.listener.secret({ id }))).toBe("NOT_FOUND");
      expect(await refusal(alice.listener.rotateSecret({ id }))).toBe("NOT_FOUND");
      expect(await refusal(alice.listener.delete({ id }))).toBe("NOT_FOUND");
      expect(await refusal(alice.listener.recentDeliveries({ id }))).toBe("NOT_FOUND");
    }
    expect((await alice.listener.get({ id: alicesListener })).customer).toBe("alice");
    expect(await alice.listener.secret({ id: alicesListener })).toMatch(/^whsec_/);
  });

  it("tags what it creates with the link's customer, ignoring a customer or project in the input", async () => {
    const created = await portalAs(aliceToken).listener.create({
      projectId: other.projectId,
      hook: "invoice",
      url: "https://example.com/created-in-portal",
      customer: "bob",
    } as Parameters<ReturnType<typeof portalAs>["listener"]["create"]>[0]);
    const row = await api.db.listener.findUniqueOrThrow({ where: { id: created.id } });
    expect(row).toMatchObject({ projectId: api.projectId, customer: "alice" });
  });

  it("offers the project's own hooks, never Durian's durian.* hooks, and refuses listening to one", async () => {
    const alice = portalAs(aliceToken);
    expect((await alice.hook.list()).map((hook) => hook.name)).toEqual(["invoice"]);
    expect(
      await refusal(
        alice.listener.create({ hook: "durian.listener.disabled", url: "https://example.com/ops" } as never),
      ),
    ).toBe("BAD_REQUEST");
  });

  it("shows, retries and previews only deliveries and events of the customer's own listeners", async () => {
    const hook = await api.db.hook.findFirstOrThrow({ where: { projectId: api.projectId, name: "invoice" } });
    const seeded = { projectId: api.projectId, hookId: hook.id, hookName: "invoice" };
    const bobs = await seedEvent(api.db, seeded, [bobsListener], { amount: 2, customer: "bob" });
    const alices = await seedEvent(api.db, seeded, [alicesListener], { amount: 1, customer: "alice" });
    const alice = portalAs(aliceToken);

    const bobsDelivery = bobs.deliveryIds[0]!;
    expect(await refusal(alice.delivery.get({ deliveryId: bobsDelivery }))).toBe("NOT_FOUND");
    expect(await refusal(alice.delivery.retry({ deliveryId: bobsDelivery }))).toBe("NOT_FOUND");
    expect((await alice.delivery.get({ deliveryId: alices.deliveryIds[0]! })).listenerId).toBe(
      alicesListener,
    );
    const recent = await alice.listener.recentDeliveries({ id: alicesListener });
    expect(recent.items.map((delivery) => delivery.id)).toEqual(alices.deliveryIds);

    const events = await alice.hook.recentEvents({ name: "invoice", limit: 50 });
    expect(events.items.map((event) => event.id)).toEqual([alices.eventId]);
  });

  it("refuses a missing, unknown, expired or revoked link as unauthorized", async () => {
    expect(await refusal(portalAs(null).listener.list({}))).toBe("UNAUTHORIZED");
    expect(await refusal(portalAs("dpl_" + "x".repeat(43)).listener.list({}))).toBe("UNAUTHORIZED");

    const expiring = await linkFor("alice");
    await api.db.portalLink.updateMany({
      where: { tokenHash: hashPortalToken(expiring) },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const expired = await refusal(portalAs(expiring).listener.get({ id: alicesListener }));
    expect(expired).toBe("UNAUTHORIZED");

    const revoking = await linkFor("alice");
    const caller = portalAs(revoking);
    expect((await caller.listener.list({})).items.length).toBeGreaterThan(0);
    const { id } = (await api.call("GET", "/portal/links?customer=alice")).body.items[0];
    expect((await api.call("DELETE", `/portal/links/${id}`)).status).toBe(204);
    expect(await refusal(caller.listener.list({}))).toBe("UNAUTHORIZED");
  });
});

describe("the way back for a disabled listener", () => {
  const REASON = "The endpoint answered 410 Gone; the listener was disabled.";

  async function disable(listenerId: string): Promise<void> {
    await api.db.listener.update({
      where: { id: listenerId },
      data: { enabled: false, disabledReason: REASON, disabledAt: new Date() },
    });
  }

  /** A disabled listener of the customer's, with one delivery that failed. */
  async function disabledWithFailedDelivery(customer: string): Promise<{ id: string; deliveryId: string }> {
    const id = await listenerFor(customer);
    const hook = await api.db.hook.findFirstOrThrow({ where: { projectId: api.projectId, name: "invoice" } });
    const seeded = { projectId: api.projectId, hookId: hook.id, hookName: "invoice" };
    const { deliveryIds } = await seedEvent(api.db, seeded, [id], { amount: 3, customer });
    const deliveryId = deliveryIds[0]!;
    await api.db.delivery.update({
      where: { id: deliveryId },
      data: { status: "failed", nextAttemptAt: null },
    });
    await disable(id);
    return { id, deliveryId };
  }

  async function stateOf(listenerId: string, deliveryId: string) {
    const listener = await api.db.listener.findUniqueOrThrow({ where: { id: listenerId } });
    const delivery = await api.db.delivery.findUniqueOrThrow({ where: { id: deliveryId } });
    return { enabled: listener.enabled, disabledReason: listener.disabledReason, delivery: delivery.status };
  }

  it("re-enables the customer's own listener, leaving its failed delivery failed", async () => {
    const { id, deliveryId } = await disabledWithFailedDelivery("alice");
    const alice = portalAs(aliceToken);
    expect((await alice.listener.get({ id })).disabledReason).toBe(REASON);

    expect(await alice.listener.setEnabled({ id, enabled: true })).toMatchObject({ id, enabled: true });
    expect(await stateOf(id, deliveryId)).toEqual({
      enabled: true,
      disabledReason: null,
      delivery: "failed",
    });
  });

  it("re-enables the customer's own listener and attempts its failed delivery again", async () => {
    const { id, deliveryId } = await disabledWithFailedDelivery("alice");

    expect(await portalAs(aliceToken).listener.restore({ id })).toEqual({ restored: true, recovered: 1 });
    expect(await stateOf(id, deliveryId)).toEqual({
      enabled: true,
      disabledReason: null,
      delivery: "pending",
    });
    const recovered = await api.db.event.findFirstOrThrow({
      where: { projectId: api.projectId, hookName: "durian.listener.recovered" },
      orderBy: { createdAt: "desc" },
    });
    expect(recovered.payload).toMatchObject({ listenerId: id, by: "customer", recoveredDeliveries: 1 });
  });

  it("only enables: disabling is not the portal's to do", async () => {
    const { id } = await disabledWithFailedDelivery("alice");
    const alice = portalAs(aliceToken);
    await alice.listener.setEnabled({ id, enabled: true });
    expect(await refusal(alice.listener.setEnabled({ id, enabled: false } as never))).toBe("BAD_REQUEST");
    expect((await alice.listener.get({ id })).enabled).toBe(true);
  });

  it("finds no other customer's, project-owned or other project's listener to re-enable or recover", async () => {
    const alice = portalAs(aliceToken);
    for (const id of [bobsListener, projectsOwnListener, otherProjectsListener]) {
      await disable(id);
      expect(await refusal(alice.listener.setEnabled({ id, enabled: true }))).toBe("NOT_FOUND");
      expect(await refusal(alice.listener.restore({ id }))).toBe("NOT_FOUND");
      const row = await api.db.listener.findUniqueOrThrow({ where: { id } });
      expect(row).toMatchObject({ enabled: false, disabledReason: REASON });
    }
  });

  it("refuses an expired or revoked link, leaving the listener disabled", async () => {
    const { id, deliveryId } = await disabledWithFailedDelivery("alice");
    const expiring = await linkFor("alice");
    await api.db.portalLink.updateMany({
      where: { tokenHash: hashPortalToken(expiring) },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const revoking = await linkFor("alice");
    const revoked = await api.db.portalLink.findUniqueOrThrow({
      where: { tokenHash: hashPortalToken(revoking) },
    });
    expect((await api.call("DELETE", `/portal/links/${revoked.id}`)).status).toBe(204);

    for (const token of [expiring, revoking]) {
      const caller = portalAs(token);
      expect(await refusal(caller.listener.setEnabled({ id, enabled: true }))).toBe("UNAUTHORIZED");
      expect(await refusal(caller.listener.restore({ id }))).toBe("UNAUTHORIZED");
    }
    expect(await stateOf(id, deliveryId)).toEqual({
      enabled: false,
      disabledReason: REASON,
      delivery: "failed",
    });
  });
});
