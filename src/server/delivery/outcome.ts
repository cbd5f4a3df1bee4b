import type { DeliveryErrorClass } from "@/core/delivery";

/**
 * What `runDeliveryAttempt` did. Plain JSON (times as ISO strings), because the Inngest function
 * returns it from `step.run` and reads it back from the run's memoized state.
 */
export type DeliveryAttemptOutcome =
  | {
      kind: "attempted";
      deliveryId: string;
      attemptNumber: number;
      /** The delivery's status after the attempt: `pending` means another attempt is scheduled. */
      status: "succeeded" | "pending" | "failed";
      nextAttemptAt: string | null;
      responseStatus: number | null;
      errorClass: DeliveryErrorClass | null;
      /** This attempt disabled the listener (410 Gone, or too many failed deliveries in a row). */
      listenerDisabled: boolean;
    }
  | {
      /** The listener is disabled: nothing was sent, the attempt is recorded and the delivery failed. */
      kind: "not-sent";
      deliveryId: string;
      attemptNumber: number;
      status: "failed";
      reason: "listener-disabled";
    }
  | {
      /** No attempt was made; `retryAt` says when looking again makes sense (null: never). */
      kind: "skipped";
      deliveryId: string;
      reason: "not-found" | "finished" | "not-due" | "leased" | "superseded" | "relayed";
      retryAt: string | null;
    };

export type AfterAttempt = { kind: "done" } | { kind: "wait"; until: string };

/** Whether a delivery loop is finished after `outcome`, or must sleep until a time and call again. */
export function afterAttempt(outcome: DeliveryAttemptOutcome): AfterAttempt {
  switch (outcome.kind) {
    case "attempted":
      return outcome.status === "pending" && outcome.nextAttemptAt
        ? { kind: "wait", until: outcome.nextAttemptAt }
        : { kind: "done" };
    case "not-sent":
      return { kind: "done" };
    case "skipped":
      return outcome.retryAt ? { kind: "wait", until: outcome.retryAt } : { kind: "done" };
  }
}
