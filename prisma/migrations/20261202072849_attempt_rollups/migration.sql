-- CreateTable
CREATE TABLE "AttemptRollup" (
    "listenerId" TEXT NOT NULL,
    "hour" TIMESTAMP(3) NOT NULL,
    "projectId" TEXT NOT NULL,
    "hookId" TEXT NOT NULL,
    "succeeded" INTEGER NOT NULL DEFAULT 0,
    "retried" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "latencyMsSum" BIGINT NOT NULL DEFAULT 0,
    "latencyBuckets" INTEGER[],

    CONSTRAINT "AttemptRollup_pkey" PRIMARY KEY ("listenerId","hour")
);

-- CreateIndex
CREATE INDEX "AttemptRollup_projectId_hour_idx" ON "AttemptRollup"("projectId", "hour");

-- CreateIndex
CREATE INDEX "AttemptRollup_hookId_hour_idx" ON "AttemptRollup"("hookId", "hour");

-- AddForeignKey
ALTER TABLE "AttemptRollup" ADD CONSTRAINT "AttemptRollup_listenerId_fkey" FOREIGN KEY ("listenerId") REFERENCES "Listener"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Backfill: the attempts recorded before this migration, counted as the recording statement now counts
-- them (an attempt without an error class succeeded; a failed one with a next attempt was retried).
INSERT INTO "AttemptRollup" ("listenerId", "hour", "projectId", "hookId", "succeeded", "retried", "failed",
  "latencyMsSum", "latencyBuckets")
SELECT d."listenerId", date_trunc('hour', a."startedAt"), d."projectId", d."hookId",
  count(*) FILTER (WHERE a."errorClass" IS NULL),
  count(*) FILTER (WHERE a."errorClass" IS NOT NULL AND a."nextAttemptAt" IS NOT NULL),
  count(*) FILTER (WHERE a."errorClass" IS NOT NULL AND a."nextAttemptAt" IS NULL),
  sum(a."durationMs"),
  ARRAY[
    count(*) FILTER (WHERE width_bucket(a."durationMs", ARRAY[5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000]) = 0),
    count(*) FILTER (WHERE width_bucket(a."durationMs", ARRAY[5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000]) = 1),
    count(*) FILTER (WHERE width_bucket(a."durationMs", ARRAY[5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000]) = 2),
    count(*) FILTER (WHERE width_bucket(a."durationMs", ARRAY[5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000]) = 3),
    count(*) FILTER (WHERE width_bucket(a."durationMs", ARRAY[5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000]) = 4),
    count(*) FILTER (WHERE width_bucket(a."durationMs", ARRAY[5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000]) = 5),
    count(*) FILTER (WHERE width_bucket(a."durationMs", ARRAY[5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000]) = 6),
    count(*) FILTER (WHERE width_bucket(a."durationMs", ARRAY[5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000]) = 7),
    count(*) FILTER (WHERE width_bucket(a."durationMs", ARRAY[5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000]) = 8),
    count(*) FILTER (WHERE width_bucket(a."durationMs", ARRAY[5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000]) = 9),
    count(*) FILTER (WHERE width_bucket(a."durationMs", ARRAY[5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000]) = 10),
    count(*) FILTER (WHERE width_bucket(a."durationMs", ARRAY[5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000]) = 11),
    count(*) FILTER (WHERE width_bucket(a."durationMs", ARRAY[5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000]) = 12)
  ]::int[]
FROM "DeliveryAttempt" a
JOIN "Delivery" d ON d.id = a."deliveryId"
GROUP BY d."listenerId", date_trunc('hour', a."startedAt"), d."projectId", d."hookId";
