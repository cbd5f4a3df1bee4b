import { LATENCY_BUCKET_BOUNDS_MS, LATENCY_BUCKET_COUNT } from "@/core/delivery/latency-histogram";
import { Prisma } from "@/generated/prisma/client";

/** The bounds as a PostgreSQL array, for `width_bucket`. */
const BOUNDS = Prisma.raw(`ARRAY[${LATENCY_BUCKET_BOUNDS_MS.join(", ")}]::int[]`);

/** One count per latency bucket of the group's attempts, as an int[] (each row's `bucket` from `width_bucket`). */
const HISTOGRAM = Prisma.sql`ARRAY[${Prisma.join(
  Array.from(
    { length: LATENCY_BUCKET_COUNT },
    (_, bucket) => Prisma.sql`count(*) FILTER (WHERE bucket = ${Prisma.raw(String(bucket))})`,
  ),
)}]::int[]`;

/** A stored histogram plus the batch's, element by element (a subquery per row cost more than the rest of the upsert). */
const MERGED_HISTOGRAM = Prisma.sql`ARRAY[${Prisma.join(
  Array.from({ length: LATENCY_BUCKET_COUNT }, (_, index) => {
    const element = Prisma.raw(String(index + 1));
    return Prisma.sql`COALESCE(r."latencyBuckets"[${element}], 0) + COALESCE(EXCLUDED."latencyBuckets"[${element}], 0)`;
  }),
)}]::int[]`;

/**
 * The statement (for a CTE of the statement that records attempts) that adds a batch of recorded
 * attempts to the hourly rollups: grouped by listener and hour in the database, then one upsert per
 * group, so a batch costs one more part of its statement, whatever its size. `recorded` names a
 * relation with columns listener_id, hook_id, project_id, started_at, duration_ms and status (the
 * delivery's status after the attempt: succeeded, pending for a retry to come, or failed).
 *
 * Groups are written in key order, so two batches touching the same rows lock them in the same
 * order and cannot deadlock each other.
 */
export function addToAttemptRollups(recorded: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO "AttemptRollup" AS r ("listenerId", hour, "projectId", "hookId", succeeded, retried, failed,
      "latencyMsSum", "latencyBuckets")
    SELECT listener_id, date_trunc('hour', started_at), project_id, hook_id,
      count(*) FILTER (WHERE status = 'succeeded'),
      count(*) FILTER (WHERE status = 'pending'),
      count(*) FILTER (WHERE status = 'failed'),
      sum(duration_ms),
      ${HISTOGRAM}
    FROM (SELECT *, width_bucket(duration_ms, ${BOUNDS}) AS bucket FROM ${recorded}) recorded
    GROUP BY listener_id, date_trunc('hour', started_at), project_id, hook_id
    ORDER BY listener_id, date_trunc('hour', started_at)
    ON CONFLICT ("listenerId", hour) DO UPDATE SET
      succeeded = r.succeeded + EXCLUDED.succeeded,
      retried = r.retried + EXCLUDED.retried,
      failed = r.failed + EXCLUDED.failed,
      "latencyMsSum" = r."latencyMsSum" + EXCLUDED."latencyMsSum",
      "latencyBuckets" = ${MERGED_HISTOGRAM}`;
}
