import { autoDisableDecision, type AttemptRecord, type NextAction } from "@/core/delivery";
import { Prisma, type PrismaClient } from "@/generated/prisma/client";
import { isUniqueViolation } from "@/server/services/prisma-errors";
import type { DeliveryContext } from "./delivery-context";

export interface RecordAttemptInput {
  context: DeliveryContext;
  record: AttemptRecord;
  next: NextAction;
  /** Listener failures in a row that disable it. */
  disableAfterFailures: number;
  now: Date;
}

export interface RecordedAttempt {
  status: "succeeded" | "pending" | "failed";
  listenerDisabled: boolean;
}

/** Another runner already recorded this attempt number: this runner's attempt lost the race. */
export class AttemptSupersededError extends Error {
  override name = "AttemptSupersededError";
}

/** The delivery (or its listener or event) was deleted while it was being attempted. */
export class DeliveryGoneError extends Error {
  override name = "DeliveryGoneError";
}

/**
 * Writes one attempt in one transaction: the attempt row, the delivery's new state, and the listener's
 * failure count (reset by a success, raised by a delivery that finally failed) and disabling. The
 * attempt's number is unique per delivery, so if two runners ever attempted the same delivery at once,
 * only the first record lands and the other raises `AttemptSupersededError`.
 */
export async function recordAttempt(db: PrismaClient, input: RecordAttemptInput): Promise<RecordedAttempt> {
  const status = deliveryStatusAfter(input.next);
  try {
    return await db.$transaction(async (tx) => {
      await tx.deliveryAttempt.create({ data: attemptRow(input) });
      await tx.delivery.update({
        where: { id: input.context.deliveryId },
        data: deliveryChange(input, status),
      });
      const listenerDisabled = await updateListener(tx, input, status);
      return { status, listenerDisabled };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw supersededError(input);
    if (isMissingRow(error))
      throw new DeliveryGoneError(`delivery ${input.context.deliveryId} no longer exists`);
    throw error;
  }
}

/** The `DeliveryAttempt` row of an attempt. */
export function attemptRow({ context, record }: RecordAttemptInput): Prisma.DeliveryAttemptCreateManyInput {
  return {
    deliveryId: context.deliveryId,
    projectId: context.projectId,
    number: record.number,
    startedAt: record.startedAt,
    durationMs: record.durationMs,
    requestUrl: record.requestUrl,
    requestHeaders: record.requestHeaders,
    requestBody: record.requestBody,
    responseStatus: record.responseStatus,
    responseHeaders: record.responseHeaders ?? Prisma.DbNull,
    responseBody: record.responseBody,
    errorClass: record.errorClass,
    errorMessage: record.errorMessage,
    nextAttemptAt: record.nextAttemptAt,
  };
}

/** The delivery's state after an attempt; the claim's lease ends with it. */
export function deliveryChange({ record, now }: RecordAttemptInput, status: RecordedAttempt["status"]) {
  return {
    status,
    attemptCount: record.number,
    nextAttemptAt: record.nextAttemptAt,
    lockedUntil: null,
    lastAttemptAt: record.startedAt,
    lastStatusCode: record.responseStatus,
    updatedAt: now,
  };
}

export function supersededError({ context, record }: RecordAttemptInput): AttemptSupersededError {
  return new AttemptSupersededError(
    `attempt ${record.number} of delivery ${context.deliveryId} was already recorded by another runner`,
  );
}

type Transaction = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

/** Returns whether the listener was disabled by this attempt. */
async function updateListener(
  tx: Transaction,
  { context, next, disableAfterFailures, now }: RecordAttemptInput,
  status: RecordedAttempt["status"],
): Promise<boolean> {
  // Nothing was sent to a disabled listener, so there is nothing to count against it.
  if (!context.listenerEnabled) return false;
  if (status === "succeeded") {
    // Conditional, so the common case (no failures to forget) neither writes nor locks the listener row.
    await tx.listener.updateMany({
      where: { id: context.listenerId, consecutiveFailures: { not: 0 } },
      data: { consecutiveFailures: 0, updatedAt: now },
    });
    return false;
  }
  if (status === "pending") return false;

  const listener = await tx.listener.update({
    where: { id: context.listenerId },
    data: { consecutiveFailures: { increment: 1 }, updatedAt: now },
    select: { consecutiveFailures: true, enabled: true },
  });
  const decision =
    next.action === "disable-listener"
      ? ({ disable: true, reason: next.message } as const)
      : autoDisableDecision(listener.consecutiveFailures, disableAfterFailures);
  if (!decision.disable || !listener.enabled) return false;
  await tx.listener.update({
    where: { id: context.listenerId },
    data: { enabled: false, disabledReason: decision.reason, updatedAt: now },
  });
  return true;
}

export function deliveryStatusAfter(next: NextAction): RecordedAttempt["status"] {
  switch (next.action) {
    case "succeeded":
      return "succeeded";
    case "retry":
      return "pending";
    case "failed":
    case "disable-listener":
      return "failed";
  }
}

/** A foreign key to a deleted row (P2003), or an update of a deleted row (P2025). */
function isMissingRow(error: unknown): boolean {
  return (
    error instanceof Prisma.PrismaClientKnownRequestError &&
    (error.code === "P2003" || error.code === "P2025")
  );
}
