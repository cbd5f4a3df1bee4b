import { NonRetriableError } from "inngest";
import { MAX_RETRIES } from "@/core/delivery";
import type { PrismaClient } from "@/generated/prisma/client";
import { DEFAULT_RETENTION_DAYS } from "@/server/retention/window";
import {
  afterAttempt,
  type DeliveryAttemptOutcome,
  markDeliveryFailed,
  runDeliveryAttempt,
  type RunDeliveryAttemptOptions,
} from "@/server/delivery";
import type { DurianInngest } from "./client";
import { DELIVERY_REQUESTED, deliveryRequested, eventAccepted } from "./events";
import { findStrandedDeliveries, RECOVERY_GRACE_MS, type StrandedCursor } from "./find-stranded-deliveries";
import { loadNewDeliveries } from "./load-new-deliveries";
import { createRetentionFunction } from "./prune-expired-data";
import { recoveryEvent } from "./recovery-event";

export const FAN_OUT_FUNCTION_ID = "fan-out-deliveries";
export const ATTEMPT_FUNCTION_ID = "attempt-delivery";
export const RECOVERY_FUNCTION_ID = "recover-stranded-deliveries";

/** The recovery sweep runs every minute. */
export const RECOVERY_CRON = "* * * * *";
/** Stranded deliveries loaded and asked for again per recovery step. */
export const RECOVERY_BATCH_SIZE = 500;
/**
 * Batches per sweep: 100 × 500 deliveries in 200 steps, well below Inngest's 1,000 steps a run. A
 * larger backlog is taken up by the following sweeps as the first ones are attempted.
 */
export const RECOVERY_MAX_BATCHES = 100;

/** Deliveries loaded and sent per fan-out step, well inside Inngest's step output and send limits. */
export const FAN_OUT_PAGE_SIZE = 500;
/**
 * Rounds of attempt + sleep in one run: every attempt of the longest schedule, plus rounds that only
 * find the delivery held by someone else or rescheduled. Two steps a round stay far below Inngest's
 * 1,000 steps a run.
 */
export const MAX_ATTEMPT_ROUNDS = 2 * (MAX_RETRIES + 1);

export interface DeliveryFunctionDeps {
  db: () => PrismaClient;
  /** Read when a step runs, so the environment is read at run time rather than at import. */
  attemptOptions: () => Omit<RunDeliveryAttemptOptions, "claimed">;
  /** Attempts executing at once across all listeners (`DURIAN_RUNNER_CONCURRENCY`). */
  concurrency: number;
  /** Attempts executing at once per listener (`DURIAN_RUNNER_LISTENER_CONCURRENCY`). */
  listenerConcurrency: number;
  /** Deliveries per fan-out page; `FAN_OUT_PAGE_SIZE` by default. */
  fanOutPageSize?: number;
  /** Deliveries per recovery batch; `RECOVERY_BATCH_SIZE` by default. */
  recoveryBatchSize?: number;
  /** Batches per recovery sweep; `RECOVERY_MAX_BATCHES` by default. */
  recoveryMaxBatches?: number;
  /** `DURIAN_RETENTION_DAYS`; `DEFAULT_RETENTION_DAYS` by default. */
  retentionDays?: number;
}

/**
 * Durian's Inngest functions, thin sequential wrappers over the delivery core:
 * - `durian/event.accepted` → one `durian/delivery.requested` per new delivery of the event, sent with
 *   `step.sendEvent` under the delivery's id as the Inngest event id (a replayed fan-out de-duplicates);
 * - `durian/delivery.requested` → `attempt-N` (`runDeliveryAttempt`) then `wait-N` (sleep until the next
 *   attempt) until the delivery is finished, limited per listener by a concurrency key;
 * - every minute, the recovery sweep → `durian/delivery.requested` again for deliveries due for longer
 *   than `RECOVERY_GRACE_MS` that nothing holds: their announcement (or a retry's request) never
 *   reached Inngest, or their run ended without finishing them.
 */
export function createDeliveryFunctions(client: DurianInngest, deps: DeliveryFunctionDeps) {
  const pageSize = deps.fanOutPageSize ?? FAN_OUT_PAGE_SIZE;
  const fanOut = client.createFunction(
    { id: FAN_OUT_FUNCTION_ID, name: "Fan out an accepted event's deliveries", triggers: [eventAccepted] },
    async ({ event, step }) => {
      const { projectId, eventId } = event.data;
      let afterId: string | null = null;
      let sent = 0;
      for (let page = 0; ; page++) {
        const batch = await step.run(`load-deliveries-${page}`, () =>
          loadNewDeliveries(deps.db(), { eventId, afterId, limit: pageSize }),
        );
        if (batch.length === 0) break;
        await step.sendEvent(
          `fan-out-${page}`,
          batch.map((delivery) => ({
            name: DELIVERY_REQUESTED,
            id: delivery.id,
            data: { projectId, deliveryId: delivery.id, listenerId: delivery.listenerId },
          })),
        );
        sent += batch.length;
        afterId = batch[batch.length - 1]!.id;
        if (batch.length < pageSize) break;
      }
      return { eventId, deliveriesRequested: sent };
    },
  );

  const attempt = client.createFunction(
    {
      id: ATTEMPT_FUNCTION_ID,
      name: "Attempt a delivery until it succeeds or its schedule runs out",
      triggers: [deliveryRequested],
      concurrency: [
        { limit: deps.concurrency },
        { key: "event.data.listenerId", limit: deps.listenerConcurrency },
      ],
      // The run ran out of retries (the database was unreachable, say): end the delivery as failed
      // rather than leave it pending with nothing scheduled to attempt it.
      onFailure: async ({ event, step }) => {
        const deliveryId = (event.data.event.data as { deliveryId?: unknown }).deliveryId;
        if (typeof deliveryId !== "string") return { recorded: false };
        const recorded = await step.run("record-failure", () => markDeliveryFailed(deps.db(), deliveryId));
        return { recorded };
      },
    },
    async ({ event, step }) => {
      const { deliveryId, recovery } = event.data;
      let attempted = false;
      for (let round = 1; round <= MAX_ATTEMPT_ROUNDS; round++) {
        const outcome = (await step.run(`attempt-${round}`, () =>
          runDeliveryAttempt(deps.db(), deliveryId, deps.attemptOptions()),
        )) as DeliveryAttemptOutcome;
        // A recovery request that finds the delivery rescheduled before it attempted anything came in
        // behind a run that did attempt it; that run sleeps until the next attempt, so this one ends.
        if (recovery && !attempted && outcome.kind === "skipped" && outcome.reason === "not-due")
          return outcome;
        attempted ||= outcome.kind !== "skipped";
        const next = afterAttempt(outcome);
        if (next.kind === "done") return outcome;
        await step.sleepUntil(`wait-${round}`, next.until);
      }
      throw new NonRetriableError(
        `delivery ${deliveryId}: still not finished after ${MAX_ATTEMPT_ROUNDS} rounds of attempts`,
      );
    },
  );

  const recoveryBatchSize = deps.recoveryBatchSize ?? RECOVERY_BATCH_SIZE;
  const recoveryMaxBatches = deps.recoveryMaxBatches ?? RECOVERY_MAX_BATCHES;
  const recover = client.createFunction(
    {
      id: RECOVERY_FUNCTION_ID,
      name: "Ask again for deliveries that nothing is attempting",
      triggers: [{ cron: RECOVERY_CRON }],
      // One sweep at a time; a sweep still running when the next minute comes is not doubled.
      concurrency: [{ limit: 1 }],
    },
    async ({ step }) => {
      let after: StrandedCursor | null = null;
      let requested = 0;
      for (let batch = 0; batch < recoveryMaxBatches; batch++) {
        const found = await step.run(`find-stranded-${batch}`, async () => {
          const stranded = await findStrandedDeliveries(deps.db(), {
            now: new Date(),
            graceMs: RECOVERY_GRACE_MS,
            after,
            limit: recoveryBatchSize,
          });
          const last = stranded[stranded.length - 1];
          const cursor: StrandedCursor | null = last
            ? { nextAttemptAt: last.nextAttemptAt.toISOString(), id: last.id }
            : null;
          return { events: stranded.map(recoveryEvent), cursor };
        });
        if (found.events.length === 0) return { requested, batchLimitReached: false };
        await step.sendEvent(`request-stranded-${batch}`, found.events);
        requested += found.events.length;
        after = found.cursor;
        if (found.events.length < recoveryBatchSize) return { requested, batchLimitReached: false };
      }
      return { requested, batchLimitReached: true };
    },
  );

  const prune = createRetentionFunction(client, {
    db: deps.db,
    retentionDays: deps.retentionDays ?? DEFAULT_RETENTION_DAYS,
  });

  return { fanOut, attempt, recover, prune, all: [fanOut, attempt, recover, prune] as const };
}
