import type { PrismaClient } from "@/generated/prisma/client";
import type { DeliveryRunner } from "@/server/runner/port";
import { NotFoundError } from "@/server/services/errors";
import { sendEvent } from "@/server/services/events/send-event";
import { countOperationalEvent } from "@/server/telemetry/metrics";
import { ensureOperationalHooks, OPERATIONAL_EVENT_SENDER, type OperationalHookName } from "./hooks";

export interface OperationalEvent {
  hook: OperationalHookName;
  payload: Record<string, unknown>;
  /**
   * Names the occurrence (e.g. `durian.delivery.exhausted:<delivery id>`), sent as the event's
   * Idempotency-Key: an attempt recorded twice (a step retried) sends it once.
   */
  key: string;
}

export interface OperationalEventDeps {
  db: PrismaClient;
  /** Told about the event's fan-out; the process's runner by default. */
  runner?: DeliveryRunner;
  log?: { error(message: string, error?: unknown): void };
}

const consoleLog = {
  error: (message: string, error?: unknown) => console.error(`durian: ${message}`, error ?? ""),
};

/**
 * Sends an operational event through the ordinary event path (stored, matched, delivered, retried),
 * creating the project's operational hooks first if it has none. Never throws: what went wrong is
 * logged, and the delivery or listener change that caused it stands.
 */
export async function emitOperationalEvent(
  deps: OperationalEventDeps,
  projectId: string,
  event: OperationalEvent,
): Promise<void> {
  const send = () =>
    sendEvent(
      projectId,
      event.hook,
      { payload: event.payload, sender: OPERATIONAL_EVENT_SENDER },
      { idempotencyKey: event.key, operational: true },
      { db: deps.db, runner: deps.runner },
    );
  try {
    try {
      await send();
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      await ensureOperationalHooks(deps.db, projectId);
      await send();
    }
    countOperationalEvent(event.hook);
  } catch (error) {
    (deps.log ?? consoleLog).error(
      `operational event ${event.hook} of project ${projectId} was not sent`,
      error,
    );
  }
}
