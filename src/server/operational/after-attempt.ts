import type { AttemptRecord, NextAction } from "@/core/delivery";
import type { DeliveryContext } from "@/server/delivery/delivery-context";
import type { RecordedAttempt } from "@/server/delivery/record-attempt";
import { emitOperationalEvent, type OperationalEvent, type OperationalEventDeps } from "./emit";
import { isOperationalHookName, OPERATIONAL_HOOKS } from "./hooks";

/** Failed deliveries in a row after which `durian.listener.failing` is sent (`DURIAN_FAILING_AFTER_FAILURES`). */
export const DEFAULT_FAILING_AFTER_FAILURES = 5;

/** One attempt as recorded: what `runDeliveryAttempt` tells `afterRecorded`. */
export interface RecordedAttemptReport {
  context: DeliveryContext;
  record: AttemptRecord;
  next: NextAction;
  recorded: RecordedAttempt;
}

/**
 * The operational events an attempt causes. None for a delivery of an operational event itself: a
 * listener of `durian.*` hooks whose receiver is down would otherwise make an event per failure, whose
 * own deliveries fail and make more, without end. Such a listener still counts its failures and is
 * still disabled after too many; its page in the dashboard says so.
 */
export function operationalEventsFor(
  { context, record, next, recorded }: RecordedAttemptReport,
  failingAfterFailures: number,
): OperationalEvent[] {
  if (!context.listenerEnabled || isOperationalHookName(context.hookName)) return [];
  const listener = { listenerId: context.listenerId, hook: context.hookName, url: context.url };
  const lastError = record.errorMessage ?? null;
  const events: OperationalEvent[] = [];
  if (recorded.status === "failed" && next.action === "failed" && next.reason === "exhausted") {
    events.push({
      hook: OPERATIONAL_HOOKS.deliveryExhausted.name,
      key: `${OPERATIONAL_HOOKS.deliveryExhausted.name}:${context.deliveryId}`,
      payload: {
        deliveryId: context.deliveryId,
        eventId: context.eventId,
        ...listener,
        attempts: record.number,
        lastStatusCode: record.responseStatus,
        lastError,
      },
    });
  }
  const failures = recorded.consecutiveFailures;
  if (failures === failingAfterFailures && !recorded.listenerDisabled) {
    events.push({
      hook: OPERATIONAL_HOOKS.listenerFailing.name,
      key: `${OPERATIONAL_HOOKS.listenerFailing.name}:${context.deliveryId}`,
      payload: {
        ...listener,
        consecutiveFailures: failures,
        lastStatusCode: record.responseStatus,
        lastError,
      },
    });
  }
  if (recorded.listenerDisabled) {
    events.push({
      hook: OPERATIONAL_HOOKS.listenerDisabled.name,
      key: `${OPERATIONAL_HOOKS.listenerDisabled.name}:${context.deliveryId}`,
      payload: {
        ...listener,
        reason: recorded.disabledReason ?? null,
        consecutiveFailures: failures ?? null,
        disabledAt: record.startedAt.toISOString(),
      },
    });
  }
  return events;
}

/** `runDeliveryAttempt`'s `afterRecorded`: sends the attempt's operational events (never throws). */
export function sendOperationalEventsAfterAttempt(
  deps: OperationalEventDeps & { failingAfterFailures?: number },
): (report: RecordedAttemptReport) => Promise<void> {
  const failingAfter = deps.failingAfterFailures ?? DEFAULT_FAILING_AFTER_FAILURES;
  return async (report) => {
    for (const event of operationalEventsFor(report, failingAfter)) {
      await emitOperationalEvent(deps, report.context.projectId, event);
    }
  };
}
