import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/testing/databases";
import { seedEvent, seedHook, seedListener } from "@/testing/seed";
import { createInngestClient } from "./client";
import { DELIVERY_REQUESTED, EVENT_ACCEPTED } from "./events";
import { InngestRunner } from "./runner";
import { startInngestStub, type InngestStub } from "@/testing/inngest-stub";

// What the Inngest runner sends, captured by a stub of Inngest's event API on 127.0.0.1.

const EVENT_KEY = "test-event-key";

let stub: InngestStub;
let database: TestDatabase;
beforeAll(async () => {
  [stub, database] = await Promise.all([startInngestStub(), createTestDatabase()]);
});
afterAll(async () => {
  await Promise.all([stub.close(), database.drop()]);
});

function runner() {
  const client = createInngestClient({
    baseUrl: stub.url,
    isDev: false,
    eventKey: EVENT_KEY,
    signingKey: `signkey-test-${"cd".repeat(32)}`,
  });
  return new InngestRunner(client, () => database.db);
}

function sentEvents(): { name: string; id?: string; data: Record<string, unknown> }[] {
  return stub.requests
    .filter((request) => request.path === `/e/${EVENT_KEY}`)
    .flatMap((request) => request.body as { name: string; id?: string; data: Record<string, unknown> }[]);
}

describe("InngestRunner", () => {
  it("asks for a fan-out under an event id that names it, so asking twice is de-duplicated", async () => {
    const before = sentEvents().length;
    await runner().fanOutRequested({ projectId: "p1", eventId: "e1", fanOut: 0 });
    await runner().fanOutRequested({ projectId: "p1", eventId: "e1", fanOut: 1 });

    expect(sentEvents().slice(before)).toEqual([
      expect.objectContaining({
        name: EVENT_ACCEPTED,
        id: "fan-out:e1:0",
        data: { projectId: "p1", eventId: "e1", fanOut: 0 },
      }),
      expect.objectContaining({
        name: EVENT_ACCEPTED,
        id: "fan-out:e1:1",
        data: { projectId: "p1", eventId: "e1", fanOut: 1 },
      }),
    ]);
  });

  it("asks for a retry as a new run of the delivery, under a fresh event id each time", async () => {
    const hook = await seedHook(database.db);
    const { listenerId } = await seedListener(database.db, hook, { url: "http://127.0.0.1:9/" });
    const { deliveryIds } = await seedEvent(database.db, hook, [listenerId]);
    const deliveryId = deliveryIds[0]!;
    const before = sentEvents().length;

    await runner().retryRequested({ projectId: hook.projectId, deliveryIds: [deliveryId] });
    await runner().retryRequested({ projectId: hook.projectId, deliveryIds: [deliveryId] });

    const sent = sentEvents().slice(before);
    expect(sent).toHaveLength(2);
    for (const event of sent) {
      expect(event).toMatchObject({
        name: DELIVERY_REQUESTED,
        data: { projectId: hook.projectId, deliveryId, listenerId },
      });
      expect(event.id).not.toBe(deliveryId);
    }
    expect(sent[0]!.id).not.toBe(sent[1]!.id);
  });

  it("asks for many retries at once, one run per delivery", async () => {
    const hook = await seedHook(database.db);
    const first = await seedListener(database.db, hook, { url: "http://127.0.0.1:9/a" });
    const second = await seedListener(database.db, hook, { url: "http://127.0.0.1:9/b" });
    const { deliveryIds } = await seedEvent(database.db, hook, [first.listenerId, second.listenerId]);
    const before = sentEvents().length;

    await runner().retryRequested({ projectId: hook.projectId, deliveryIds });

    const sent = sentEvents().slice(before);
    expect(sent.map((event) => event.data.deliveryId).sort()).toEqual([...deliveryIds].sort());
    expect(sent.map((event) => event.data.listenerId).sort()).toEqual(
      [first.listenerId, second.listenerId].sort(),
    );
  });

  it("refuses a retry of a delivery it cannot find in the project", async () => {
    await expect(runner().retryRequested({ projectId: "p1", deliveryIds: ["missing"] })).rejects.toThrow(
      /delivery missing not found in project p1/,
    );
  });
});
