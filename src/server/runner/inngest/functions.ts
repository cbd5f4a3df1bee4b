import { NonRetriableError } from "inngest";
import type { PrismaClient } from "@/generated/prisma/client";
import { giveUpDelivery, runDeliveryAttempt, type RunDeliveryAttemptOptions } from "@/server/delivery";
import { claimFanOuts } from "@/server/fan-out/fan-outs";
import { AttemptRoundsExhaustedError, deliveryJob } from "@/server/jobs/delivery-job";
import { fanOutJob } from "@/server/jobs/fan-out-job";
import { fanOutRequested, type JobSteps } from "@/server/jobs/steps";
import type { ProbeSchedule } from "@/core/delivery/probe-schedule";
import { sendOperationalEventsAfterAttempt } from "@/server/operational/after-attempt";
import { selfHealingJob } from "@/server/operational/self-healing";
import { DEFAULT_RETENTION_DAYS } from "@/server/retention/window";
import type { DeliveryRunner } from "../port";
import type { DurianInngest } from "./client";
import { deliveryRequested, eventAccepted } from "./events";
import { findStrandedDeliveries, RECOVERY_GRACE_MS, type StrandedCursor } from "./find-stranded-deliveries";
import { createRetentionFunction } from "./prune-expired-data";
import { recoveryEvent } from "./recovery-event";
import { InngestRunner } from "./runner";

export const FAN_OUT_FUNCTION_ID = "fan-out-deliveries";
export const ATTEMPT_FUNCTION_ID = "attempt-delivery";
export const RECOVERY_FUNCTION_ID = "recover-stranded-deliveries";
export const SELF_HEALING_FUNCTION_ID = "ping-self-healing-listeners";
/** Self-healing listeners due a ping are looked for every minute. */
export const SELF_HEALING_CRON = "* * * * *";

/** The recovery sweep runs every minute. */
export const RECOVERY_CRON = "* * * * *";
/** Stranded deliveries loaded and asked for again per recovery step. */
export const RECOVERY_BATCH_SIZE = 500;
/**
 * Batches per sweep: 100 × 500 deliveries in 200 steps, well below Inngest's 1,000 steps a run. A
 * larger backlog is taken up by the following sweeps as the first ones are attempted.
 */
export const RECOVERY_MAX_BATCHES = 100;

export interface DeliveryFunctionDeps {
  db: () => PrismaClient;
  /** Read when a step runs, so the environment is read at run time rather than at import. */
  attemptOptions: () => Omit<RunDeliveryAttemptOptions, "claimed">;
  /** Attempts executing at once per project (`DURIAN_RUNNER_PROJECT_CONCURRENCY`). */
  projectConcurrency: number;
  /** Attempts executing at once per listener (`DURIAN_RUNNER_LISTENER_CONCURRENCY`). */
  listenerConcurrency: number;
  /** Listeners per fan-out page; `FAN_OUT_PAGE_SIZE` by default. */
  fanOutPageSize?: number;
  /** Deliveries per recovery batch; `RECOVERY_BATCH_SIZE` by default. */
  recoveryBatchSize?: number;
  /** Batches per recovery sweep; `RECOVERY_MAX_BATCHES` by default. */
  recoveryMaxBatches?: number;
  /** `DURIAN_RETENTION_DAYS`; `DEFAULT_RETENTION_DAYS` by default. */
  retentionDays?: number;
  /** `DURIAN_FAILING_AFTER_FAILURES`. */
  failingAfterFailures?: number;
  /** When self-healing listeners are pinged; the default schedule otherwise. */
  probeSchedule?: ProbeSchedule;
  /** Where operational events and recovered deliveries are handed; an Inngest runner on `client` by default. */
  runner?: () => DeliveryRunner;
}

type InngestStep = {
  run: (id: string, work: () => Promise<unknown>) => Promise<unknown>;
  sleepUntil: (id: string, until: string) => Promise<unknown>;
  sendEvent: (id: string, events: never[]) => Promise<unknown>;
};

/** The jobs' steps on Inngest's: durable, memoized by id. */
function inngestSteps(step: InngestStep): JobSteps {
  return {
    run: async <T>(id: string, work: () => Promise<T>) => (await step.run(id, work)) as T,
    sleepUntil: async (id, until) => void (await step.sleepUntil(id, until)),
    sendEvents: async (id, events) => void (await step.sendEvent(id, events as never[])),
  };
}

/**
 * Durian's Inngest functions run the jobs (src/server/jobs) on Inngest's steps:
 * - `durian/event.accepted` → the fan-out job: match the event page by page, create the deliveries and
 *   send one `durian/delivery.requested` per delivery (its id as the event id, so a repeated page asks once);
 * - `durian/delivery.requested` → the delivery job: attempt, sleep until the next attempt, attempt again,
 *   limited per project and per listener by concurrency keys;
 * - every minute, the recovery sweep asks again for fan-outs and deliveries that nothing is working on
 *   (their request never reached Inngest, or their run ended without finishing them).
 */
export function createDeliveryFunctions(client: DurianInngest, deps: DeliveryFunctionDeps) {
  const runner = deps.runner ?? (() => new InngestRunner(client, deps.db));
  const fanOut = client.createFunction(
    {
      id: FAN_OUT_FUNCTION_ID,
      name: "Match an accepted event and create its deliveries",
      triggers: [eventAccepted],
    },
    async ({ event, step }) =>
      fanOutJob(
        inngestSteps(step as unknown as InngestStep),
        { db: deps.db, pageSize: deps.fanOutPageSize },
        event.data,
      ),
  );

  const attempt = client.createFunction(
    {
      id: ATTEMPT_FUNCTION_ID,
      name: "Attempt a delivery until it succeeds or its schedule runs out",
      triggers: [deliveryRequested],
      // Inngest takes at most two keys: one project's or one listener's slow receivers cannot take
      // every slot, while the account's own limit bounds the whole.
      concurrency: [
        { key: "event.data.projectId", limit: deps.projectConcurrency },
        { key: "event.data.listenerId", limit: deps.listenerConcurrency },
      ],
      // The run ran out of retries (the database was unreachable, say): end the delivery as failed
      // rather than leave it pending with nothing scheduled to attempt it.
      onFailure: async ({ event, step }) => {
        const deliveryId = (event.data.event.data as { deliveryId?: unknown }).deliveryId;
        if (typeof deliveryId !== "string") return { recorded: false };
        const recorded = await step.run("record-failure", () => giveUpDelivery(deps.db(), deliveryId));
        return { recorded };
      },
    },
    async ({ event, step }) => {
      try {
        return await deliveryJob(
          inngestSteps(step as unknown as InngestStep),
          (deliveryId) =>
            runDeliveryAttempt(deps.db(), deliveryId, {
              ...deps.attemptOptions(),
              afterRecorded: sendOperationalEventsAfterAttempt({
                db: deps.db(),
                runner: runner(),
                failingAfterFailures: deps.failingAfterFailures,
              }),
            }),
          event.data,
        );
      } catch (error) {
        if (error instanceof AttemptRoundsExhaustedError) throw new NonRetriableError(error.message);
        throw error;
      }
    },
  );

  const recoveryBatchSize = deps.recoveryBatchSize ?? RECOVERY_BATCH_SIZE;
  const recoveryMaxBatches = deps.recoveryMaxBatches ?? RECOVERY_MAX_BATCHES;
  const recover = client.createFunction(
    {
      id: RECOVERY_FUNCTION_ID,
      name: "Ask again for fan-outs and deliveries that nothing is working on",
      triggers: [{ cron: RECOVERY_CRON }],
      // One sweep at a time; a sweep still running when the next minute comes is not doubled.
      concurrency: [{ limit: 1 }],
    },
    async ({ step }) => {
      const fanOuts = await step.run("find-stalled-fan-outs", async () => {
        const now = new Date();
        // Claimed only to find them: the lease keeps the next sweep from asking again while the run starts.
        const stalled = await claimFanOuts(deps.db(), {
          limit: recoveryBatchSize,
          now,
          olderThan: new Date(now.getTime() - RECOVERY_GRACE_MS),
        });
        return stalled.map((key) => fanOutRequested(key));
      });
      if (fanOuts.length > 0) await step.sendEvent("request-stalled-fan-outs", fanOuts as never[]);
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
        if (found.events.length === 0)
          return { fanOuts: fanOuts.length, requested, batchLimitReached: false };
        await step.sendEvent(`request-stranded-${batch}`, found.events);
        requested += found.events.length;
        after = found.cursor;
        if (found.events.length < recoveryBatchSize)
          return { fanOuts: fanOuts.length, requested, batchLimitReached: false };
      }
      return { fanOuts: fanOuts.length, requested, batchLimitReached: true };
    },
  );

  const prune = createRetentionFunction(client, {
    db: deps.db,
    retentionDays: deps.retentionDays ?? DEFAULT_RETENTION_DAYS,
  });

  const heal = client.createFunction(
    {
      id: SELF_HEALING_FUNCTION_ID,
      name: "Ping self-healing listeners disabled by failures, and enable those that answer",
      triggers: [{ cron: SELF_HEALING_CRON }],
      concurrency: [{ limit: 1 }],
    },
    async ({ step }) =>
      selfHealingJob(inngestSteps(step as unknown as InngestStep), {
        db: deps.db,
        allowlist: deps.attemptOptions().allowlist,
        runner: runner(),
        schedule: deps.probeSchedule,
      }),
  );

  return { fanOut, attempt, recover, prune, heal, all: [fanOut, attempt, recover, prune, heal] as const };
}
