import type { PrismaClient } from "@/generated/prisma/client";
import {
  ANALYZE_EVERY_DELIVERIES,
  type FanOutKey,
  matchFanOutPage,
  refreshDeliveryStatistics,
  startFanOut,
} from "@/server/fan-out/fan-outs";
import { deliveryRequested, fanOutRequested, type FanOutRequestedData, type JobSteps } from "./steps";

/**
 * Pages per run: two steps a page stay far below Inngest's 1,000 steps a run; a larger audience goes
 * on in a new run of the same fan-out, which resumes from the progress the database holds.
 */
export const MAX_FAN_OUT_PAGES_PER_RUN = 400;

export interface FanOutJobDeps {
  db: () => PrismaClient;
  pageSize?: number;
}

export interface FanOutJobResult {
  deliveriesRequested: number;
  /** The fan-out goes on in another run. */
  continued: boolean;
}

/**
 * Matches an accepted event against its hook's listeners page by page, creating each page's
 * deliveries and asking for them at once, so the first deliveries leave while later pages are matched.
 */
export async function fanOutJob(
  steps: JobSteps,
  deps: FanOutJobDeps,
  data: FanOutRequestedData,
): Promise<FanOutJobResult> {
  const key: FanOutKey = { eventId: data.eventId, fanOut: data.fanOut };
  const start = await steps.run("start", () => startFanOut(deps.db(), key));
  let requested = 0;
  if (!start) return { deliveriesRequested: requested, continued: false };
  let after = start.after;
  for (let page = 0; page < MAX_FAN_OUT_PAGES_PER_RUN; page++) {
    const before = requested;
    const result = await steps.run(`match-${page}`, () =>
      matchFanOutPage(deps.db(), { ...key, ...start, after, pageSize: deps.pageSize }),
    );
    if (result.deliveries.length > 0) {
      await steps.sendEvents(
        `request-${page}`,
        result.deliveries.map((delivery) => deliveryRequested(start.projectId, delivery)),
      );
      requested += result.deliveries.length;
    }
    if (Math.floor(requested / ANALYZE_EVERY_DELIVERIES) > Math.floor(before / ANALYZE_EVERY_DELIVERIES))
      await steps.run(`analyze-${page}`, () => refreshDeliveryStatistics(deps.db()));
    if (result.after === null) return { deliveriesRequested: requested, continued: false };
    after = result.after;
  }
  const next = fanOutRequested(data);
  await steps.sendEvents("continue", [{ ...next, id: `${next.id}:after:${after}` }]);
  return { deliveriesRequested: requested, continued: true };
}
