import type { PrismaClient } from "@/generated/prisma/client";
import { recordAttempts } from "./lifecycle";
import {
  attemptToRecord,
  deliveryStatusAfter,
  type RecordAttemptInput,
  type RecordedAttempt,
  recordAttempt,
} from "./record-attempt";

/** Where `runDeliveryAttempt` writes what an attempt did. */
export interface AttemptRecorder {
  record(input: RecordAttemptInput): Promise<RecordedAttempt>;
}

/** Each attempt in a transaction of its own (see `recordAttempt`). */
export function transactionPerAttempt(db: PrismaClient): AttemptRecorder {
  return { record: (input) => recordAttempt(db, input) };
}

/** Records written by one batch at most. */
export const MAX_RECORD_BATCH = 200;
/**
 * Batches being written at once; records arriving meanwhile wait and form the next batch. One: with
 * two, batches were half the size, so each delivery paid twice the statement's planning and commit, and
 * two batches touching the same listener's rollup row waited for each other anyway.
 */
const MAX_BATCHES_IN_FLIGHT = 1;

interface Waiting {
  input: RecordAttemptInput;
  status: RecordedAttempt["status"];
  resolve(recorded: RecordedAttempt): void;
  reject(error: unknown): void;
}

/**
 * Records many attempts in one statement, for a runner with many attempts in
 * flight: a transaction per attempt costs a commit (a disk flush) and several round trips each, which
 * would cap delivery at a few hundred a second. Nothing waits to fill a batch: an attempt finishing
 * while no batch is being written is written at once, so an idle runner records as fast as before;
 * under load, the attempts finishing during a write go into the next one. Each attempt still lands
 * atomically (its batch does). Only the common outcomes are batched, a success or a scheduled retry
 * of an enabled listener; final failures, which may disable a listener, use `recordAttempt`. If a
 * batch fails (an attempt already recorded by another runner, a delivery deleted meanwhile) its
 * attempts are recorded one by one, so each gets its own result.
 */
export class BatchingAttemptRecorder implements AttemptRecorder {
  private readonly waiting: Waiting[] = [];
  private batchesInFlight = 0;

  constructor(private readonly db: PrismaClient) {}

  record(input: RecordAttemptInput): Promise<RecordedAttempt> {
    const status = deliveryStatusAfter(input.next);
    if (!input.context.listenerEnabled || status === "failed") return recordAttempt(this.db, input);
    return new Promise((resolve, reject) => {
      this.waiting.push({ input, status, resolve, reject });
      this.writeWaiting();
    });
  }

  private writeWaiting(): void {
    while (this.batchesInFlight < MAX_BATCHES_IN_FLIGHT && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, MAX_RECORD_BATCH);
      this.batchesInFlight++;
      void this.write(batch).finally(() => {
        this.batchesInFlight--;
        this.writeWaiting();
      });
    }
  }

  private async write(batch: Waiting[]): Promise<void> {
    try {
      await recordAttempts(
        this.db,
        batch.map(({ input }) => attemptToRecord(input)),
      );
    } catch {
      await Promise.all(
        batch.map(({ input, resolve, reject }) => recordAttempt(this.db, input).then(resolve, reject)),
      );
      return;
    }
    for (const { status, resolve } of batch) resolve({ status, listenerDisabled: false });
  }
}
