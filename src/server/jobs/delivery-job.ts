import { MAX_RETRIES } from "@/core/delivery";
import { afterAttempt, type DeliveryAttemptOutcome } from "@/server/delivery";
import type { DeliveryRequestedData, JobSteps } from "./steps";

/**
 * Rounds of attempt + sleep in one run: every attempt of the longest schedule, plus rounds that only
 * find the delivery held by someone else or rescheduled. Two steps a round stay far below Inngest's
 * 1,000 steps a run.
 */
export const MAX_ATTEMPT_ROUNDS = 2 * (MAX_RETRIES + 1);

export class AttemptRoundsExhaustedError extends Error {
  override name = "AttemptRoundsExhaustedError";
}

/**
 * Attempts a delivery, sleeps until its next attempt, attempts again, until it succeeds or its schedule
 * runs out. `attempt` is one attempt against the database (`runDeliveryAttempt`): it claims the
 * delivery, so two runs never attempt it at once, and reads its attempts so far.
 */
export async function deliveryJob(
  steps: JobSteps,
  attempt: (deliveryId: string) => Promise<DeliveryAttemptOutcome>,
  data: DeliveryRequestedData,
): Promise<DeliveryAttemptOutcome> {
  const { deliveryId, recovery } = data;
  let attempted = false;
  for (let round = 1; round <= MAX_ATTEMPT_ROUNDS; round++) {
    const outcome = await steps.run(`attempt-${round}`, () => attempt(deliveryId));
    // A recovery request that finds the delivery rescheduled before it attempted anything came in
    // behind a run that did attempt it; that run sleeps until the next attempt, so this one ends.
    if (recovery && !attempted && outcome.kind === "skipped" && outcome.reason === "not-due") return outcome;
    attempted ||= outcome.kind !== "skipped";
    const next = afterAttempt(outcome);
    if (next.kind === "done") return outcome;
    await steps.sleepUntil(`wait-${round}`, next.until);
  }
  throw new AttemptRoundsExhaustedError(
    `delivery ${deliveryId}: still not finished after ${MAX_ATTEMPT_ROUNDS} rounds of attempts`,
  );
}
