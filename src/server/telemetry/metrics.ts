import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { DeliveryErrorClass } from "@/core/delivery/error-class";

// Durian's Prometheus metrics. Counters and the histogram count what this process did (each server
// process has its own: sum them across processes); the backlog gauges are read from the database
// when scraped (backlog.ts), so every process reports the same backlog.

/** Seconds; an attempt's timeout is at most 60 s. */
const ATTEMPT_DURATION_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export type DeliveryOutcomeLabel = "succeeded" | "failed" | "not_sent";

export interface DurianMetrics {
  registry: Registry;
  eventsAccepted: Counter;
  deliveriesFinished: Counter<"outcome">;
  attempts: Counter<"result">;
  attemptDuration: Histogram<"result">;
  operationalEvents: Counter<"hook">;
  deliveriesDue: Gauge;
  oldestDueAge: Gauge;
  listenerLag: Gauge<"listener_id">;
  runnerSlotsInUse: Gauge;
  runnerSlots: Gauge;
}

function createMetrics(): DurianMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    eventsAccepted: new Counter({
      name: "durian_events_accepted_total",
      help: "Events accepted (stored with their fan-out) by this process",
      registers,
    }),
    deliveriesFinished: new Counter({
      name: "durian_deliveries_finished_total",
      help: "Deliveries that ended, by outcome (not_sent: the listener was disabled), in this process",
      labelNames: ["outcome"],
      registers,
    }),
    attempts: new Counter({
      name: "durian_delivery_attempts_total",
      help: "Delivery attempts made by this process, by result (success, or the error class)",
      labelNames: ["result"],
      registers,
    }),
    attemptDuration: new Histogram({
      name: "durian_delivery_attempt_duration_seconds",
      help: "Time from sending a delivery attempt to its response (or failure)",
      labelNames: ["result"],
      buckets: ATTEMPT_DURATION_BUCKETS,
      registers,
    }),
    operationalEvents: new Counter({
      name: "durian_operational_events_total",
      help: "Operational events (durian.*) sent by this process, by hook",
      labelNames: ["hook"],
      registers,
    }),
    deliveriesDue: new Gauge({
      name: "durian_deliveries_due",
      help: "Pending deliveries whose attempt is due now (all processes)",
      registers,
    }),
    oldestDueAge: new Gauge({
      name: "durian_deliveries_oldest_due_age_seconds",
      help: "How long the longest-waiting due delivery has been due (0 when none is)",
      registers,
    }),
    listenerLag: new Gauge({
      name: "durian_listener_lag_seconds",
      help: "How long each listener's oldest due delivery has been due, for the most lagging listeners",
      labelNames: ["listener_id"],
      registers,
    }),
    runnerSlotsInUse: new Gauge({
      name: "durian_runner_slots_in_use",
      help: "Delivery requests under way in this process's embedded runner",
      registers,
    }),
    runnerSlots: new Gauge({
      name: "durian_runner_slots",
      help: "Delivery requests this process's embedded runner may have under way (DURIAN_RUNNER_CONCURRENCY)",
      registers,
    }),
  };
}

// On globalThis: Next's module reloads (dev) and its separate bundles share the process's metrics.
const holder = globalThis as typeof globalThis & { __durianMetrics?: DurianMetrics };

export function metrics(): DurianMetrics {
  holder.__durianMetrics ??= createMetrics();
  return holder.__durianMetrics;
}

export function countEventAccepted(): void {
  metrics().eventsAccepted.inc();
}

export function countOperationalEvent(hookName: string): void {
  metrics().operationalEvents.inc({ hook: hookName });
}

/** One attempt's result and duration, and its delivery's outcome when the attempt ended it. */
export function countAttempt(attempt: {
  errorClass: DeliveryErrorClass | null;
  durationMs: number;
  sent: boolean;
  deliveryStatus: "succeeded" | "pending" | "failed";
}): void {
  const { attempts, attemptDuration, deliveriesFinished } = metrics();
  if (attempt.sent) {
    const result = attempt.errorClass ?? "success";
    attempts.inc({ result });
    attemptDuration.observe({ result }, attempt.durationMs / 1000);
  }
  if (attempt.deliveryStatus === "pending") return;
  const outcome: DeliveryOutcomeLabel = !attempt.sent ? "not_sent" : attempt.deliveryStatus;
  deliveriesFinished.inc({ outcome });
}
