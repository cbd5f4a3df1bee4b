import type { PrismaClient } from "@/generated/prisma/client";
import { getRunner } from "@/server/runner";
import type { DeliveryRunner } from "@/server/runner/port";

/** What the event services use; each defaults to the process's own. */
export interface EventServiceDeps {
  db?: PrismaClient;
  /** Told about new and retried deliveries; the configured runner by default. */
  runner?: DeliveryRunner;
  now?: () => Date;
}

/** Tells the runner; a failure is logged, not raised: the work is stored and will be found. */
export async function notifyRunner(
  deps: EventServiceDeps,
  notify: (runner: DeliveryRunner) => Promise<void>,
): Promise<void> {
  try {
    await notify(deps.runner ?? getRunner());
  } catch (error) {
    console.error(
      "durian: could not notify the delivery runner; the stored work waits for its next look",
      error,
    );
  }
}
