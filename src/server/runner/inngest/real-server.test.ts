import http from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "inngest/node";
import { afterAll, describe, expect, it } from "vitest";
import { parseAllowlist } from "@/core/delivery";
import { startReceiver } from "@/testing/receiver";
import { createTestDatabase } from "@/testing/databases";
import { seedEvent, seedHook, seedListener } from "@/testing/seed";
import { allSucceeded, waitUntil } from "@/testing/runner";
import { createInngestClient } from "./client";
import { createDeliveryFunctions } from "./functions";
import { InngestRunner } from "./runner";

// End to end through a real Inngest server (the Dev Server, or `inngest start`): our functions are
// served on 127.0.0.1, registered with the server, and an accepted event must reach the receiver.
// No Inngest server can be installed on machines without internet (see the Inngest notes), so this
// runs only when one is given, and says loudly when it did not run.

const serverUrl = process.env.INNGEST_TEST_SERVER_URL;
const SKIP_REASON =
  "SKIPPED: no Inngest server to test against. Start one (`npx inngest-cli@latest dev --no-discovery`) and set " +
  "INNGEST_TEST_SERVER_URL=http://127.0.0.1:8288 to run this test.";
if (!serverUrl) console.warn(`real-server.test.ts: ${SKIP_REASON}`);

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe("with a real Inngest server", () => {
  it.skipIf(!serverUrl)(
    "fans out an accepted event and delivers every delivery through Inngest",
    async () => {
      const database = await createTestDatabase();
      cleanups.push(() => database.drop());
      const target = await startReceiver();
      cleanups.push(() => target.close());
      const hook = await seedHook(database.db);
      const listenerIds: string[] = [];
      for (const path of ["a", "b"]) {
        listenerIds.push(
          (await seedListener(database.db, hook, { url: `${target.url}/${path}` })).listenerId,
        );
      }

      const client = createInngestClient({ isDev: true, baseUrl: serverUrl });
      const { all } = createDeliveryFunctions(client, {
        db: () => database.db,
        attemptOptions: () => ({ allowlist: parseAllowlist("127.0.0.1") }),
        projectConcurrency: 10,
        listenerConcurrency: 2,
      });
      const app = http.createServer(serve({ client, functions: [...all], servePath: "/api/inngest" }));
      await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
      cleanups.push(() => new Promise<void>((resolve) => app.close(() => resolve())));
      const appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/api/inngest`;
      const registered = await fetch(appUrl, { method: "PUT" });
      expect(registered.status, await registered.text()).toBe(200);

      const { deliveryIds } = await seedEvent(database.db, hook, listenerIds);
      await new InngestRunner(client, () => database.db).deliveriesCreated({
        projectId: hook.projectId,
        deliveries: deliveryIds.map((id, index) => ({ id, listenerId: listenerIds[index]! })),
      });

      await waitUntil(
        "Inngest delivered every delivery",
        () => allSucceeded(database.db, deliveryIds),
        60_000,
      );
      expect(target.requests.map((request) => request.headers["webhook-id"]).sort()).toEqual(
        [...deliveryIds].sort(),
      );
    },
    90_000,
  );
});
