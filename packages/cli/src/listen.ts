import { setTimeout as sleep } from "node:timers/promises";
import { DurianApiError } from "@durian/sdk";
import type { OpenRelayListenerInput, RelayAttemptReportInput, RelayDelivery } from "@/contracts/relay";
import type { CliApi, RelayAttemptResult } from "./api";
import { forwardDelivery } from "./forward";
import { deliveryLine, type Output, timeOf } from "./output";
import { serverSentEvents } from "./sse";

export interface ListenOptions {
  hook: string;
  forward: string;
  filter: Record<string, unknown>;
  name: string;
  /** Delete the relay listener on exit instead of keeping it (and what is sent meanwhile) for the next run. */
  forget: boolean;
}

/** Reconnection waits double from this, up to the maximum, and start over once connected. */
const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 30_000;
/** A report that found no server is sent again this many times before the hand-out is left to expire. */
const REPORT_TRIES = 4;

/**
 * `durian listen`: opens (or reuses) the relay listener, prints its signing secret, then receives its
 * deliveries on the relay stream, POSTs each to the local URL and reports the local answer, printing
 * one line per delivery. Reconnects with backoff until `stop` aborts; answers 401, 403 and 404 end
 * it (a bad key, or the listener was deleted).
 */
export async function listen(
  api: CliApi,
  options: ListenOptions,
  out: Output,
  stop: AbortSignal,
): Promise<void> {
  const { created, listener } = await api.openRelayListener({
    hook: options.hook,
    // Checked by the server, which names what is wrong with it.
    filter: options.filter as OpenRelayListenerInput["filter"],
    name: options.name,
    forward: options.forward,
  });
  out.note(
    `${created ? "Created" : "Reusing"} relay listener ${listener.id} ("${options.name}") for hook "${options.hook}"` +
      (Object.keys(options.filter).length > 0 ? ` with filter ${JSON.stringify(options.filter)}` : ""),
  );
  out.note(`Your webhook signing secret is ${listener.secret}`);

  let failures = 0;
  let connected = false;
  while (!stop.aborted) {
    let reason = "the stream ended";
    try {
      const response = await api.openRelayStream(listener.id, stop);
      if (!connected) out.note(`Ready! Forwarding deliveries to ${options.forward} (Ctrl-C to stop)`);
      else if (failures > 0) out.note(`${timeOf(new Date())}  reconnected`);
      connected = true;
      failures = 0;
      for await (const event of serverSentEvents(response.body!)) {
        if (event.event === "delivery")
          await relay(api, JSON.parse(event.data) as RelayDelivery, options, out);
        else if (event.event === "error" || event.event === "end")
          reason = `the server said: ${detailOf(event.data)}`;
      }
    } catch (error) {
      if (stop.aborted) break;
      if (error instanceof DurianApiError && [401, 403, 404].includes(error.status)) throw error;
      reason = error instanceof Error ? describe(error) : String(error);
    }
    if (stop.aborted) break;
    const delayMs = Math.min(RECONNECT_MIN_MS * 2 ** failures, RECONNECT_MAX_MS);
    failures++;
    out.note(`${timeOf(new Date())}  lost the stream (${reason}); reconnecting in ${delayMs / 1000} s`);
    await sleep(delayMs, undefined, { signal: stop }).catch(() => undefined);
  }
  if (options.forget) {
    await api.deleteListener(listener.id);
    out.note(`Deleted relay listener ${listener.id}`);
  } else {
    out.note(
      `Relay listener ${listener.id} kept: deliveries wait for the next \`durian listen\` (--forget deletes it)`,
    );
  }
}

/** One delivery: forward it, report the local answer, print its line. */
async function relay(
  api: CliApi,
  delivery: RelayDelivery,
  options: ListenOptions,
  out: Output,
): Promise<void> {
  const report = await forwardDelivery(delivery, options.forward);
  const outcome = report.response
    ? String(report.response.status)
    : `${report.error!.class} (${report.error!.message})`;
  let recorded: string;
  try {
    const result = await reportWithRetries(api, delivery.deliveryId, report);
    recorded = afterwards(result);
  } catch (error) {
    recorded = `not recorded: ${error instanceof Error ? describe(error) : String(error)}`;
  }
  out.line(
    deliveryLine({
      time: new Date(),
      hook: delivery.hook,
      eventId: delivery.eventId,
      outcome,
      durationMs: report.durationMs,
      extra: recorded,
    }),
  );
}

async function reportWithRetries(
  api: CliApi,
  deliveryId: string,
  report: RelayAttemptReportInput,
): Promise<RelayAttemptResult> {
  for (let tries = 1; ; tries++) {
    try {
      return await api.reportRelayAttempt(deliveryId, report);
    } catch (error) {
      const retryable = !(error instanceof DurianApiError) || error.status === 429 || error.status >= 500;
      if (!retryable || tries >= REPORT_TRIES) throw error;
      const waitSeconds = error instanceof DurianApiError ? (error.retryAfterSeconds ?? tries) : tries;
      await sleep(waitSeconds * 1000);
    }
  }
}

function afterwards(result: RelayAttemptResult): string {
  if (result.status === "pending" && result.nextAttemptAt)
    return `(retry at ${timeOf(new Date(result.nextAttemptAt))})`;
  if (result.status === "failed") return "(failed: no retries left)";
  return "";
}

function detailOf(data: string): string {
  try {
    return String((JSON.parse(data) as { detail?: unknown }).detail ?? data);
  } catch {
    return data;
  }
}

/** An error's message with its cause's (fetch says only "fetch failed"). */
export function describe(error: Error): string {
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.message}${cause}`;
}
