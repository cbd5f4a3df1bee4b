import { NonRetriableError } from "inngest";
import { MAX_RETRIES } from "@/core/delivery";
import type { PrismaClient } from "@/generated/prisma/client";
import {
  afterAttempt,
  type DeliveryAttemptOutcome,
  markDeliveryFailed,
  runDeliveryAttempt,
  type RunDeliveryAttemptOptions,
} from "@/server/delivery";
import type { DurianInngest } from "./client";
import { DELIVERY_REQUESTED, deliveryRequested, eventAccepted } from "./events";
import { loadNewDeliveries } from "./load-new-deliveries";

export const FAN_OUT_FUNCTION_ID = "fan-out-deliveries";
export const ATTEMPT_FUNCTION_ID = "attempt-delivery";

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
}

/**
 * The two Inngest functions, thin sequential wrappers over the delivery core:
 * - `durian/event.accepted` → one `durian/delivery.requested` per new delivery of the event, sent with
 *   `step.sendEvent` under the delivery's id as the Inngest event id (a replayed fan-out de-duplicates);
 * - `durian/delivery.requested` → `attempt-N` (`runDeliveryAttempt`) then `wait-N` (sleep until the next
 *   attempt) until the delivery is finished, limited per listener by a concurrency key.
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
      const { deliveryId } = event.data;
      for (let round = 1; round <= MAX_ATTEMPT_ROUNDS; round++) {
        const outcome = (await step.run(`attempt-${round}`, () =>
          runDeliveryAttempt(deps.db(), deliveryId, deps.attemptOptions()),
        )) as DeliveryAttemptOutcome;
        const next = afterAttempt(outcome);
        if (next.kind === "done") return outcome;
        await step.sleepUntil(`wait-${round}`, next.until);
      }
      throw new NonRetriableError(
        `delivery ${deliveryId}: still not finished after ${MAX_ATTEMPT_ROUNDS} rounds of attempts`,
      );
    },
  );

  return { fanOut, attempt, all: [fanOut, attempt] as const };
}
