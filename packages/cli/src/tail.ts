import { setTimeout as sleep } from "node:timers/promises";
import type { DeliveryAttempt, DeliveryRecord } from "@durian/sdk";
import type { CliApi } from "./api";
import { deliveryLine, type Output } from "./output";

export interface TailOptions {
  hook?: string;
  listenerId?: string;
  /** Print the attempts of the deliveries created since then first; from now on when left out. */
  since?: Date;
}

/** How often the delivery log is read again. */
const POLL_INTERVAL_MS = 1_000;
/** The newest deliveries read each time (the API's largest page). */
const PAGE_SIZE = 200;

const SINCE_UNITS_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const SINCE_DURATION = /^(\d+)([smhd])$/;
const SINCE_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?$/i;

/**
 * `--since`: a duration back from `now` (`90s`, `10m`, `2h`, `1d`) or an ISO 8601 time
 * (`2026-12-02T10:00:00Z`; without an offset it is local time); null when it is neither.
 */
export function parseSince(text: string, now = new Date()): Date | null {
  const duration = SINCE_DURATION.exec(text);
  if (duration) {
    return new Date(
      now.getTime() - Number(duration[1]) * SINCE_UNITS_MS[duration[2] as keyof typeof SINCE_UNITS_MS],
    );
  }
  if (!SINCE_TIME.test(text)) return null;
  // JavaScript reads a date alone as UTC but a date and time without an offset as local time; a date
  // alone is local midnight here, as the help says of every time without an offset.
  const time = new Date(text.length === 10 ? `${text}T00:00` : text);
  return Number.isNaN(time.getTime()) ? null : time;
}

/**
 * `durian tail`: follows the delivery log, one line per attempt (time, hook, event id, the receiver's
 * status, duration, the delivery's status), by reading the newest deliveries created since it started
 * (or since `--since`) every second and, for each whose attempt count grew, its new attempts. With
 * `--since`, the first read pages through all of them, so the attempts made before it started come
 * first; the attempts already printed are remembered, so following repeats none. Runs until `stop`
 * aborts.
 */
export async function tail(api: CliApi, options: TailOptions, out: Output, stop: AbortSignal): Promise<void> {
  const since = (options.since ?? new Date()).toISOString();
  const attemptsSeen = new Map<string, number>();
  const hookNames = new Map<string, string>();
  const query: Record<string, string> = { since, limit: String(PAGE_SIZE) };
  if (options.hook) query.hook = options.hook;
  if (options.listenerId) query.listenerId = options.listenerId;
  out.note(
    `Following deliveries created from ${since}${options.since ? ", the attempts made so far first" : ""} (Ctrl-C to stop)`,
  );
  let readAllPages = options.since !== undefined;
  while (!stop.aborted) {
    const deliveries = readAllPages
      ? await allDeliveries(api, query)
      : (await api.listDeliveries(query)).items;
    readAllPages = false;
    const attempted = deliveries.filter(
      (delivery) => delivery.attemptCount > (attemptsSeen.get(delivery.id) ?? 0),
    );
    if (attempted.some((delivery) => !hookNames.has(delivery.hookId))) {
      for (const hook of await api.listHooks()) hookNames.set(hook.id, hook.name);
    }
    const lines: { startedAt: string; line: string }[] = [];
    for (const delivery of attempted) {
      const seen = attemptsSeen.get(delivery.id) ?? 0;
      const { attempts, ...current } = await api.getDelivery(delivery.id);
      const hook = hookNames.get(delivery.hookId) ?? delivery.hookId;
      for (const attempt of attempts.filter((attempt) => attempt.number > seen)) {
        lines.push({ startedAt: attempt.startedAt, line: attemptLine(current, attempt, hook) });
      }
      attemptsSeen.set(delivery.id, Math.max(seen, ...attempts.map((attempt) => attempt.number)));
    }
    lines.sort((a, b) => a.startedAt.localeCompare(b.startedAt)).forEach(({ line }) => out.line(line));
    await sleep(POLL_INTERVAL_MS, undefined, { signal: stop }).catch(() => undefined);
  }
}

/** Every delivery the query matches, page after page. */
async function allDeliveries(api: CliApi, query: Record<string, string>): Promise<DeliveryRecord[]> {
  const deliveries: DeliveryRecord[] = [];
  let cursor: string | null = null;
  do {
    const page = await api.listDeliveries(cursor === null ? query : { ...query, cursor });
    deliveries.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return deliveries;
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
