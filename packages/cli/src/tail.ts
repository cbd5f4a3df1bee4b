import { setTimeout as sleep } from "node:timers/promises";
import type { DeliveryAttempt, DeliveryRecord } from "@durian/sdk";
import type { CliApi } from "./api";
import { deliveryLine, type Output } from "./output";

export interface TailOptions {
  hook?: string;
  listenerId?: string;
}

/** How often the delivery log is read again. */
const POLL_INTERVAL_MS = 1_000;
/** The newest deliveries read each time (the API's largest page). */
const PAGE_SIZE = 200;

/**
 * `durian tail`: follows the delivery log from now on, one line per attempt (time, hook, event id,
 * the receiver's status, duration, the delivery's status), by reading the newest deliveries created
 * since it started every second and, for each whose attempt count grew, its new attempts. Runs until
 * `stop` aborts.
 */
export async function tail(api: CliApi, options: TailOptions, out: Output, stop: AbortSignal): Promise<void> {
  const since = new Date().toISOString();
  const attemptsSeen = new Map<string, number>();
  const hookNames = new Map<string, string>();
  const query: Record<string, string> = { since, limit: String(PAGE_SIZE) };
  if (options.hook) query.hook = options.hook;
  if (options.listenerId) query.listenerId = options.listenerId;
  out.note(`Following deliveries created from ${since} (Ctrl-C to stop)`);
  while (!stop.aborted) {
    const { items } = await api.listDeliveries(query);
    const attempted = items
      .filter((delivery) => delivery.attemptCount > (attemptsSeen.get(delivery.id) ?? 0))
      .sort((a, b) => (a.lastAttemptAt ?? "").localeCompare(b.lastAttemptAt ?? ""));
    if (attempted.some((delivery) => !hookNames.has(delivery.hookId))) {
      for (const hook of await api.listHooks()) hookNames.set(hook.id, hook.name);
    }
    for (const delivery of attempted) {
      const seen = attemptsSeen.get(delivery.id) ?? 0;
      const { attempts, ...current } = await api.getDelivery(delivery.id);
      const hook = hookNames.get(delivery.hookId) ?? delivery.hookId;
      for (const attempt of attempts.filter((attempt) => attempt.number > seen)) {
        out.line(attemptLine(current, attempt, hook));
      }
      attemptsSeen.set(delivery.id, Math.max(seen, ...attempts.map((attempt) => attempt.number)));
    }
    await sleep(POLL_INTERVAL_MS, undefined, { signal: stop }).catch(() => undefined);
  }
}

function attemptLine(delivery: DeliveryRecord, attempt: DeliveryAttempt, hook: string): string {
  const outcome =
    attempt.responseStatus === null ? `${attempt.errorClass ?? "no answer"}` : String(attempt.responseStatus);
  return deliveryLine({
    time: new Date(attempt.startedAt),
    hook,
    eventId: delivery.eventId,
    outcome,
    durationMs: attempt.durationMs,
    extra: `attempt ${attempt.number}, ${delivery.status}  → ${delivery.listenerName ?? delivery.listenerUrl}`,
  });
}
