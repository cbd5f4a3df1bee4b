// The SDK's README example, runnable: registers a hook, syncs it, creates a filtered listener that
// points at a receiver in this process, sends an event and checks the receiver verified it.
//
//   DURIAN_URL=http://localhost:3000 DURIAN_API_KEY=durian_… npx tsx src/sdk/examples/quickstart.ts
//
// The Durian server must be allowed to deliver to this machine (DURIAN_ALLOWED_HOSTS=127.0.0.1).

import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Durian, Hook, Startswith, verifyWebhook } from "../index";

const RECEIVE_TIMEOUT_MS = 30_000;

const apiKey = process.env.DURIAN_API_KEY;
if (!apiKey)
  throw new Error(
    "DURIAN_API_KEY is not set: create an API key for a project (POST /api/v1/api-keys or the dashboard)",
  );
const durian = new Durian({ url: process.env.DURIAN_URL ?? "http://localhost:3000", apiKey });

// A hook is a named event type; only its providesArgs ever leave the app.
class PersonHook extends Hook {
  name = "person";
  providesArgs = ["name", "address"];
}

// The receiver: trusts a delivery only once its signature checks out with the listener's secret.
let listenerSecret = "";
let onVerified: (payload: unknown) => void = () => {};
const verified = new Promise<unknown>((resolve) => (onVerified = resolve));
const receiver = createServer(async (request, response) => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  try {
    const payload = await verifyWebhook({
      secret: listenerSecret,
      headers: request.headers,
      body: Buffer.concat(chunks),
    });
    response.writeHead(204).end();
    onVerified(payload);
  } catch (error) {
    console.error("receiver refused a delivery:", error);
    response.writeHead(400).end();
  }
});
await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/person`;

try {
  // Register the app's hooks and sync them (idempotent: do it at every start).
  durian.hooks.register(PersonHook);
  await durian.hooks.sync();

  // Subscribe the receiver to people whose name starts with "J".
  const listener = await new PersonHook()
    .listener({ url: receiverUrl, description: "quickstart" })
    .match({ name: Startswith("J") })
    .save();
  listenerSecret = listener.secret;

  try {
    // `secret` is not in providesArgs: the SDK drops it before the request is built.
    const result = await new PersonHook().send(
      null,
      { name: "Joe", address: "Queens", secret: "bosco" },
      { wait: 10 },
    );
    console.log(`event ${result.eventId} matched ${result.matched} listener(s)`);

    const timeout = new Promise((_, reject) =>
      setTimeout(() => reject(new Error("no verified delivery within 30 s")), RECEIVE_TIMEOUT_MS).unref(),
    );
    console.log("receiver verified:", JSON.stringify(await Promise.race([verified, timeout])));
  } finally {
    await durian.deleteListener(listener.id);
  }
} finally {
  receiver.close();
}
