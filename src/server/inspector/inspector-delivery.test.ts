import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EMPTY_ALLOWLIST } from "@/core/delivery";
import { startReceiver, type TestReceiver } from "@/testing/receiver";
import { runDeliveryAttempt } from "@/server/delivery";
import { seedEvent, seedHook, seedListener } from "@/testing/seed";
import { createTestDatabase, type TestDatabase } from "@/testing/databases";

// The runner's side of the inspector exemption: with no allowed hosts at all, a delivery to the app's
// own inspector on loopback goes through, and any other loopback path on the same origin stays blocked.

let database: TestDatabase;
let app: TestReceiver;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await startReceiver();
});
afterAll(async () => {
  await app.close();
  await database.drop();
});

async function attemptTo(path: string, ownOrigins: string[]) {
  const hook = await seedHook(database.db);
  const { listenerId } = await seedListener(database.db, hook, { url: `${app.url}${path}` });
  const { deliveryIds } = await seedEvent(database.db, hook, [listenerId]);
  return runDeliveryAttempt(database.db, deliveryIds[0]!, { allowlist: EMPTY_ALLOWLIST, ownOrigins });
}

describe("deliveries to the app's own request inspector", () => {
  it("are sent although the inspector is on loopback", async () => {
    const outcome = await attemptTo("/api/inspect/cktoken123", [app.url]);
    expect(outcome).toMatchObject({ kind: "attempted", status: "succeeded", responseStatus: 200 });
    expect(app.requests.at(-1)?.path).toBe("/api/inspect/cktoken123");
  });

  it("stay blocked for any other path of the app, and for the inspector path of another origin", async () => {
    const received = app.requests.length;
    const otherPath = await attemptTo("/api/v1/hooks", [app.url]);
    expect(otherPath).toMatchObject({ kind: "attempted", errorClass: "blocked" });
    const notOurs = await attemptTo("/api/inspect/cktoken123", ["http://localhost:3000"]);
    expect(notOurs).toMatchObject({ kind: "attempted", errorClass: "blocked" });
    expect(app.requests.length).toBe(received);
  });
});
