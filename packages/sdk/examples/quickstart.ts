import { createServer } from "node:http";
import { Durian, Hook, Startswith, verifyWebhook } from "@durian/sdk";

const durian = new Durian({
  url: process.env.DURIAN_URL ?? "http://localhost:3000",
  apiKey: process.env.DURIAN_API_KEY ?? "", // an API key from the dashboard's API keys page
});

// A hook is a named event type; only its providesArgs ever leave the app.
class PersonHook extends Hook {
  name = "person";
  providesArgs = ["name", "address"];
}

// The receiver trusts a delivery only once its signature checks out with the listener's secret.
let listenerSecret = "";
let onVerified: (payload: unknown) => void = () => {};
const verified = new Promise<unknown>((resolve) => (onVerified = resolve));
const receiver = createServer(async (request, response) => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk);
  try {
    const payload = await verifyWebhook({
      secret: listenerSecret,
      headers: request.headers,
      body: Buffer.concat(chunks),
    });
    response.writeHead(204).end();
    onVerified(payload);
  } catch (error) {
    console.error("refused a delivery:", error);
    response.writeHead(400).end();
  }
});
const receiverPort = Number(process.env.RECEIVER_PORT ?? 4000);
await new Promise<void>((resolve) => receiver.listen(receiverPort, "127.0.0.1", resolve));
const port = (receiver.address() as { port: number }).port;

// Register the app's hooks and sync them: idempotent, so do it at every start.
durian.hooks.register(PersonHook);
await durian.hooks.sync();

// Subscribe the receiver to people whose name starts with "J".
const listener = await new PersonHook()
  .listener({ url: `http://127.0.0.1:${port}/webhooks/person` })
  .match({ name: Startswith("J") })
  .save();
listenerSecret = listener.secret;

// `secret` is not in providesArgs: the SDK drops it before the request is built. Durian answers once
// the event is stored and matches it afterwards; `wait` waits for the matching and each delivery's
// first attempt, and then says how many listeners matched.
const { eventId, matched } = await new PersonHook().send(
  null,
  { name: "Joe", address: "Queens", secret: "bosco" },
  { wait: 10 },
);
console.log(`event ${eventId} matched ${matched} listener(s)`);
console.log("receiver verified:", JSON.stringify(await verified)); // {"name":"Joe","address":"Queens"}

await durian.deleteListener(listener.id);
receiver.close();
