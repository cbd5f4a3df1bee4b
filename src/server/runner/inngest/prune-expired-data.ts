import type { PrismaClient } from "@/generated/prisma/client";
import { noneDeleted, PRUNE_BATCH_SIZE, PRUNED_TABLES, pruneBatch } from "@/server/retention/prune";
import { retentionCutoff } from "@/server/retention/window";
import type { DurianInngest } from "./client";

export const RETENTION_FUNCTION_ID = "prune-expired-data";
/** Every 10 minutes, as the embedded runner's timer (`PRUNE_INTERVAL_MS`). */
export const RETENTION_CRON = "*/10 * * * *";
/**
 * Batches per run, one step each: 200 × 2,000 rows, well below Inngest's 1,000 steps a run. A larger
 * backlog is taken up by the following runs. Each step is a round trip through Inngest, which is the
 * pause between batches that leaves the database to ingest.
 */
export const RETENTION_MAX_BATCHES = 200;

export interface RetentionFunctionDeps {
  db: () => PrismaClient;
  /** `DURIAN_RETENTION_DAYS`. */
  retentionDays: number;
  /** Rows per batch; `PRUNE_BATCH_SIZE` by default. */
  batchSize?: number;
  /** Batches per run; `RETENTION_MAX_BATCHES` by default. */
  maxBatches?: number;
}

/**
 * The Inngest runner's retention: on a cron, deletes what is older than the window with the same
 * statements as the embedded runner (`src/server/retention`), one batch per step. The cutoff is taken
 * once, in its own step, so every batch of a run (and every retry of a step) agrees on it.
 */
export function createRetentionFunction(client: DurianInngest, deps: RetentionFunctionDeps) {
  const batchSize = deps.batchSize ?? PRUNE_BATCH_SIZE;
  const maxBatches = deps.maxBatches ?? RETENTION_MAX_BATCHES;
  return client.createFunction(
    {
      id: RETENTION_FUNCTION_ID,
      name: "Delete events, deliveries, attempts and inspector requests past the retention window",
      triggers: [{ cron: RETENTION_CRON }],
      // One run at a time; a run still going when the next one is due is not doubled.
      concurrency: [{ limit: 1 }],
    },
    async ({ step }) => {
      const cutoff = await step.run("cutoff", () =>
        retentionCutoff(new Date(), deps.retentionDays).toISOString(),
      );
      const deleted = noneDeleted();
      let batches = 0;
      let batchLimitReached = false;
      for (const table of PRUNED_TABLES) {
        for (let batch = 0; !batchLimitReached; batch++) {
          if (batches === maxBatches) {
            batchLimitReached = true;
            break;
          }
          batches++;
          const count = await step.run(`prune-${table}-${batch}`, () =>
            pruneBatch(deps.db(), table, { cutoff: new Date(cutoff), batchSize }),
          );
          deleted[table] += count;
          if (count < batchSize) break;
        }
      }
      return { cutoff, deleted, batchLimitReached };
    },
  );
}
