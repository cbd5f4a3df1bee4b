import { setTimeout as sleep } from "node:timers/promises";
import type { RelayDelivery } from "@/contracts/relay";
import { handBackRelayDeliveries, type RelayHandOut, takeRelayDeliveries } from "@/server/services/relay";

// The relay listener's stream as Server-Sent Events: `durian listen` holds one open, and each due
// delivery of its listener arrives as a `delivery` event. The deliveries are in the database, so any
// server can serve any stream, and a stream that ends leaves nothing behind but its unreported
// hand-outs, which it returns.

/** How often an idle stream looks for due deliveries (one index range read of its listener). */
const RELAY_POLL_INTERVAL_MS = 500;
/** Deliveries claimed at once; a full batch is followed by another without waiting. */
const RELAY_BATCH = 10;
/** A comment this often keeps proxies from closing an idle stream, and finds a client that left. */
const KEEP_ALIVE_MS = 15_000;
/**
 * How often a stream checks that its caller may still hold it: a revoked key, or a deleted listener,
 * ends it (the client's reconnection is then refused, saying why).
 */
const RELAY_RECHECK_MS = 5_000;

/** Why the stream may no longer be held (the key was revoked, the listener deleted), or null. */
export type RelayStreamCheck = () => Promise<string | null>;

const EVENT_STREAM_CONTENT_TYPE = "text/event-stream";

// On globalThis: Next may bundle routes separately, and a stopping server must end every stream.
interface OpenStream {
  end(): void;
  /** Settles once the stream has ended and handed back what it must. */
  done: Promise<void>;
}
const holder = globalThis as typeof globalThis & { __durianRelayStreams?: Set<OpenStream> };
const openStreams = (holder.__durianRelayStreams ??= new Set());

/**
 * Ends every relay stream of this process (the server is stopping: a stream never finishes on its
 * own), resolving once each has handed back its unreported deliveries. Their clients reconnect, to
 * another server or to this one once it is back.
 */
export async function endRelayStreams(): Promise<void> {
  const streams = [...openStreams];
  for (const stream of streams) stream.end();
  await Promise.all(streams.map((stream) => stream.done));
}

export function relayStreamResponse(
  listenerId: string,
  requestSignal: AbortSignal,
  stillAllowed: RelayStreamCheck,
): Response {
  const ended = new AbortController();
  const end = () => ended.abort();
  requestSignal.addEventListener("abort", end, { once: true });
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const write = (text: string): boolean => {
        if (ended.signal.aborted) return false;
        try {
          controller.enqueue(encoder.encode(text));
          return true;
        } catch {
          end();
          return false;
        }
      };
      const stream: OpenStream = {
        end,
        done: pump(listenerId, write, ended.signal, stillAllowed).finally(() => {
          requestSignal.removeEventListener("abort", end);
          openStreams.delete(stream);
          try {
            controller.close();
          } catch {
            // Already cancelled by the client.
          }
        }),
      };
      openStreams.add(stream);
    },
    cancel: end,
  });
  return new Response(body, {
    headers: {
      "content-type": `${EVENT_STREAM_CONTENT_TYPE}; charset=utf-8`,
      // no-transform: compression would hold events back until a buffer fills.
      "cache-control": "no-store, no-transform",
      "x-accel-buffering": "no",
    },
  });
}

async function pump(
  listenerId: string,
  write: (text: string) => boolean,
  ended: AbortSignal,
  stillAllowed: RelayStreamCheck,
): Promise<void> {
  let outstanding: RelayHandOut["claims"] = [];
  let lastWriteAt = Date.now();
  let lastCheckAt = Date.now();
  write(": relay stream open\n\n");
  try {
    while (!ended.aborted) {
      if (Date.now() - lastCheckAt >= RELAY_RECHECK_MS) {
        lastCheckAt = Date.now();
        const refusal = await stillAllowed();
        if (refusal !== null) {
          write(`event: end\ndata: ${JSON.stringify({ detail: refusal })}\n\n`);
          return;
        }
      }
      const now = new Date();
      const handOut = await takeRelayDeliveries(listenerId, { limit: RELAY_BATCH, now });
      outstanding = [...outstanding.filter((claim) => claim.lockedUntil > now), ...handOut.claims];
      for (const delivery of handOut.deliveries) {
        if (!write(deliveryEvent(delivery))) return;
        lastWriteAt = Date.now();
      }
      if (handOut.deliveries.length === RELAY_BATCH) continue;
      if (Date.now() - lastWriteAt >= KEEP_ALIVE_MS) {
        if (!write(": keep-alive\n\n")) return;
        lastWriteAt = Date.now();
      }
      await sleep(RELAY_POLL_INTERVAL_MS, undefined, { signal: ended }).catch(() => undefined);
    }
  } catch (error) {
    console.error(`durian: relay stream of listener ${listenerId} failed`, error);
    write(`event: error\ndata: ${JSON.stringify({ detail: "The relay stream failed; reconnect" })}\n\n`);
  } finally {
    // What the client did not report goes back at once (not when its lease runs out); an answer it
    // still reports is recorded if the delivery was not handed out again meanwhile.
    await handBackRelayDeliveries(outstanding).catch((error: unknown) =>
      console.error(`durian: handing back relay deliveries of listener ${listenerId} failed`, error),
    );
  }
}

function deliveryEvent(delivery: RelayDelivery): string {
  return `event: delivery\nid: ${delivery.deliveryId}\ndata: ${JSON.stringify(delivery)}\n\n`;
}
