import { Prisma, type PrismaClient } from "@/generated/prisma/client";
import {
  attemptRow,
  deliveryChange,
  deliveryStatusAfter,
  type RecordAttemptInput,
  type RecordedAttempt,
  recordAttempt,
} from "./record-attempt";
import { newRecordId } from "./record-id";

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
/** Batches being written at once; records arriving meanwhile wait and form the next batch. */
const MAX_BATCHES_IN_FLIGHT = 2;

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
      await this.writeInOneStatement(batch);
    } catch {
      await Promise.all(
        batch.map(({ input, resolve, reject }) => recordAttempt(this.db, input).then(resolve, reject)),
      );
      return;
    }
    for (const { status, resolve } of batch) resolve({ status, listenerDisabled: false });
  }

  /**
   * The attempt rows, the deliveries' new state and the reset of listeners' failure counts, in one
   * statement: one round trip and one commit for the whole batch.
   */
  private async writeInOneStatement(batch: Waiting[]): Promise<void> {
    const rows = batch.map(({ input, status }) => ({
      id: newRecordId(),
      row: attemptRow(input),
      change: deliveryChange(input, status),
    }));
    const column = <T>(pick: (entry: (typeof rows)[number]) => T) => rows.map(pick);
    const timestamp = (date: Date | string | null | undefined) =>
      date === null || date === undefined ? null : new Date(date).toISOString();
    const json = (value: unknown) =>
      value === null || value === undefined || value === Prisma.DbNull ? null : JSON.stringify(value);
    const succeededListenerIds = [
      ...new Set(
        batch.filter(({ status }) => status === "succeeded").map(({ input }) => input.context.listenerId),
      ),
    ];
    await this.db.$executeRaw`
      WITH input AS (
        SELECT * FROM unnest(
          ${column((entry) => entry.id)}::text[],
          ${column((entry) => entry.row.deliveryId)}::text[],
          ${column((entry) => entry.row.projectId)}::text[],
          ${column((entry) => entry.row.number)}::int[],
          ${column((entry) => timestamp(entry.row.startedAt))}::timestamp(3)[],
          ${column((entry) => entry.row.durationMs)}::int[],
          ${column((entry) => entry.row.requestUrl)}::text[],
          ${column((entry) => json(entry.row.requestHeaders))}::jsonb[],
          ${column((entry) => entry.row.requestBody)}::text[],
          ${column((entry) => entry.row.responseStatus ?? null)}::int[],
          ${column((entry) => json(entry.row.responseHeaders))}::jsonb[],
          ${column((entry) => entry.row.responseBody ?? null)}::text[],
          ${column((entry) => entry.row.errorClass ?? null)}::text[],
          ${column((entry) => entry.row.errorMessage ?? null)}::text[],
          ${column((entry) => timestamp(entry.row.nextAttemptAt))}::timestamp(3)[],
          ${column((entry) => entry.change.status)}::text[],
          ${column((entry) => timestamp(entry.change.updatedAt))}::timestamp(3)[]
        ) AS i(id, delivery_id, project_id, number, started_at, duration_ms, request_url, request_headers, request_body,
               response_status, response_headers, response_body, error_class, error_message, next_attempt_at,
               status, recorded_at)
      ), attempts AS (
        INSERT INTO "DeliveryAttempt" (id, "deliveryId", "projectId", number, "startedAt", "durationMs", "requestUrl",
          "requestHeaders", "requestBody", "responseStatus", "responseHeaders", "responseBody", "errorClass",
          "errorMessage", "nextAttemptAt", "createdAt")
        SELECT id, delivery_id, project_id, number, started_at, duration_ms, request_url, request_headers, request_body,
          response_status, response_headers, response_body, error_class, error_message, next_attempt_at, recorded_at
        FROM input
      ), deliveries AS (
        UPDATE "Delivery" d
        SET status = i.status::"DeliveryStatus", "attemptCount" = i.number, "nextAttemptAt" = i.next_attempt_at,
          "lockedUntil" = NULL, "lastAttemptAt" = i.started_at, "lastStatusCode" = i.response_status,
          "updatedAt" = i.recorded_at
        FROM input i
        WHERE d.id = i.delivery_id
      )
      -- A success ends a listener's run of failures; only listeners that had one are written.
      UPDATE "Listener" SET "consecutiveFailures" = 0, "updatedAt" = ${timestamp(batch[0]!.input.now)}::timestamp(3)
      WHERE id = ANY(${succeededListenerIds}::text[]) AND "consecutiveFailures" <> 0`;
  }
}
