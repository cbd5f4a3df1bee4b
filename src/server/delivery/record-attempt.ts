import { autoDisableDecision, type AttemptRecord, type NextAction } from "@/core/delivery";
import { transitionAfterAttempt } from "@/core/delivery/lifecycle";
import type { ListenerConfig } from "@/core/hook-fields";
import { Prisma, type PrismaClient } from "@/generated/prisma/client";
import { isForeignKeyViolation, isUniqueViolation } from "@/server/db/errors";
import { type DeliveryContext, deliveredConfig } from "./delivery-context";
import { type AttemptToRecord, recordAttempts, statusAfter } from "./lifecycle";

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
  /** Set when this attempt's delivery finally failed: the listener's failed deliveries in a row now. */
  consecutiveFailures?: number;
  /** Set when this attempt disabled the listener: why. */
  disabledReason?: string;
}

/** Another runner already recorded this attempt number: this runner's attempt lost the race. */
export class AttemptSupersededError extends Error {
  override name = "AttemptSupersededError";
}

/** The delivery (or its listener or event) was deleted while it was being attempted. */
export class DeliveryGoneError extends Error {
  override name = "DeliveryGoneError";
}

/** What `recordAttempts` writes for one attempt. */
export function attemptToRecord({ context, record, next, now }: RecordAttemptInput): AttemptToRecord {
  return {
    attempt: {
      deliveryId: context.deliveryId,
      projectId: context.projectId,
      number: record.number,
      startedAt: record.startedAt,
      durationMs: record.durationMs,
      requestUrl: record.requestUrl,
      requestHeaders: record.requestHeaders,
      // Not copied: the body is rebuilt from the event with these (src/server/services/deliveries-read.ts).
      bodyEnvelope: context.envelope,
      bodyConfig: configText(deliveredConfig(context)),
      responseStatus: record.responseStatus,
      responseHeaders: record.responseHeaders ?? Prisma.DbNull,
      responseBody: record.responseBody,
      errorClass: record.errorClass,
      errorMessage: record.errorMessage,
      nextAttemptAt: record.nextAttemptAt,
    },
    transition: transitionAfterAttempt(next),
    listenerId: context.listenerId,
    hookId: context.hookId,
    now,
  };
}

function configText(config: ListenerConfig | undefined): string | null {
  return config === undefined ? null : JSON.stringify(config);
}

/**
 * Writes one attempt in one transaction: the attempt row, the delivery's new state, and the listener's
 * failure count (reset by a success, raised by a delivery that finally failed) and disabling. The
 * attempt's number is unique per delivery, so if two runners ever attempted the same delivery at once,
 * only the first record lands and the other raises `AttemptSupersededError`.
 */
export async function recordAttempt(db: PrismaClient, input: RecordAttemptInput): Promise<RecordedAttempt> {
  const toRecord = attemptToRecord(input);
  const status = statusAfter(toRecord.transition);
  try {
    return await db.$transaction(async (tx) => {
      await recordAttempts(tx, [toRecord]);
      return { status, ...(await countFailure(tx, input, status)) };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw supersededError(input);
    if (isForeignKeyViolation(error) || isMissingRow(error))
      throw new DeliveryGoneError(`delivery ${input.context.deliveryId} no longer exists`);
    throw error;
  }
}

export function supersededError({ context, record }: RecordAttemptInput): AttemptSupersededError {
  return new AttemptSupersededError(
    `attempt ${record.number} of delivery ${context.deliveryId} was already recorded by another runner`,
  );
}

/** A delivery that finally failed counts against its listener; returns the count and whether that disabled it. */
async function countFailure(
  tx: Prisma.TransactionClient,
  { context, next, disableAfterFailures, now }: RecordAttemptInput,
  status: RecordedAttempt["status"],
): Promise<Omit<RecordedAttempt, "status">> {
  // Nothing was sent to a disabled listener, so there is nothing to count against it.
  if (!context.listenerEnabled || status !== "failed") return { listenerDisabled: false };
  const listener = await tx.listener.update({
    where: { id: context.listenerId },
    data: { consecutiveFailures: { increment: 1 }, updatedAt: now },
    select: { consecutiveFailures: true, enabled: true },
  });
  const decision =
    next.action === "disable-listener"
      ? ({ disable: true, reason: next.message } as const)
      : autoDisableDecision(listener.consecutiveFailures, disableAfterFailures);
  const consecutiveFailures = listener.consecutiveFailures;
  if (!decision.disable || !listener.enabled) return { listenerDisabled: false, consecutiveFailures };
  await tx.listener.update({
    where: { id: context.listenerId },
    data: { enabled: false, disabledReason: decision.reason, disabledAt: now, updatedAt: now },
  });
  return { listenerDisabled: true, consecutiveFailures, disabledReason: decision.reason };
}

export function deliveryStatusAfter(next: NextAction): RecordedAttempt["status"] {
  return statusAfter(transitionAfterAttempt(next));
}

/** An update of a deleted row (the listener, when counting a failure). */
function isMissingRow(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2025";
}
