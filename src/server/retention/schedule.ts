import type { PrismaClient } from "@/generated/prisma/client";
import { PRUNE_INTERVAL_MS, type PruneResult, pruneExpiredData } from "./prune";

/** The first run waits this long after the start, so that it does not compete with starting up. */
export const PRUNE_FIRST_RUN_DELAY_MS = 60 * 1000;

export interface PruningLog {
  info(message: string): void;
  error(message: string, error?: unknown): void;
}

export interface PruningScheduleOptions {
  db: PrismaClient;
  /** `DURIAN_RETENTION_DAYS`. */
  retentionDays: number;
  log: PruningLog;
  intervalMs?: number;
  firstRunAfterMs?: number;
  now?: () => Date;
  /** Passed on to pruneExpiredData (tests use small batches and no pause). */
  batchSize?: number;
  pauseMs?: number;
}

export interface PruningSchedule {
  /** Stops the timer; a run under way stops after its current batch, and is waited for. */
  stop(): Promise<void>;
}

/**
 * Prunes expired data on a timer inside the app's process (the embedded runner's way; the Inngest
 * runner has a cron function instead). One run at a time; a failed run is logged and the next one
 * comes at the usual interval.
 */
export function startPruningSchedule(options: PruningScheduleOptions): PruningSchedule {
  const {
    db,
    retentionDays,
    log,
    intervalMs = PRUNE_INTERVAL_MS,
    firstRunAfterMs = PRUNE_FIRST_RUN_DELAY_MS,
    now = () => new Date(),
  } = options;
  const stopping = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const schedule = (delayMs: number) => {
    if (stopping.signal.aborted) return;
    timer = setTimeout(() => {
      running = runOnce().finally(() => schedule(intervalMs));
    }, delayMs);
    // A pending prune never keeps the process alive on its own.
    timer.unref();
  };

  const runOnce = async () => {
    try {
      const result = await pruneExpiredData(db, {
        now: now(),
        retentionDays,
        batchSize: options.batchSize,
        pauseMs: options.pauseMs,
        signal: stopping.signal,
      });
      const summary = describePrune(result);
      if (summary) log.info(summary);
    } catch (error) {
      log.error(
        `retention: deleting data older than ${retentionDays} days failed; trying again later`,
        error,
      );
    }
  };

  schedule(firstRunAfterMs);
  return {
    async stop() {
      stopping.abort();
      clearTimeout(timer);
      await running;
    },
  };
}

/** A log line for a run that deleted something, or null. */
export function describePrune({ cutoff, deleted, complete }: PruneResult): string | null {
  const parts = (
    [
      [deleted.events, "event", "events"],
      [deleted.deliveries, "delivery", "deliveries"],
      [deleted.deliveryAttempts, "attempt", "attempts"],
      [deleted.inspectorRequests, "inspector request", "inspector requests"],
      [deleted.attemptRollups, "hourly rollup", "hourly rollups"],
    ] as const
  )
    .filter(([count]) => count > 0)
    .map(([count, one, many]) => `${count} ${count === 1 ? one : many}`);
  if (parts.length === 0) return null;
  const more = complete ? "" : "; more remain for the next run";
  return `retention: deleted ${parts.join(", ")} from before ${cutoff.toISOString()}${more}`;
}
