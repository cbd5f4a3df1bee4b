-- DropIndex
DROP INDEX "Delivery_eventId_listenerId_idx";

-- AlterTable
ALTER TABLE "Delivery" ADD COLUMN     "fanOut" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "FanOut" (
    "eventId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "projectId" TEXT NOT NULL,
    "hookId" TEXT NOT NULL,
    "done" BOOLEAN NOT NULL DEFAULT false,
    "afterListenerId" TEXT,
    "matched" INTEGER NOT NULL DEFAULT 0,
    "lockedUntil" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FanOut_pkey" PRIMARY KEY ("eventId","number")
);

-- CreateIndex
CREATE INDEX "FanOut_done_createdAt_idx" ON "FanOut"("done", "createdAt");

-- CreateIndex
CREATE INDEX "Delivery_status_projectId_nextAttemptAt_idx" ON "Delivery"("status", "projectId", "nextAttemptAt");

-- Deliveries made before fan-outs were numbered: a replay created a second delivery for the same
-- listener, so each listener's deliveries of an event are numbered in the order they were made.
UPDATE "Delivery" d SET "fanOut" = numbered.n
FROM (
  SELECT id, row_number() OVER (PARTITION BY "eventId", "listenerId" ORDER BY "createdAt", id) - 1 AS n
  FROM "Delivery"
) numbered
WHERE d.id = numbered.id AND numbered.n > 0;

-- Every event accepted so far was matched when it was accepted: its fan-outs are done.
INSERT INTO "FanOut" ("eventId", "number", "projectId", "hookId", "done", "matched", "createdAt", "updatedAt")
SELECT e.id, f.number, e."projectId", e."hookId", true, f.matched, e."createdAt", e."createdAt"
FROM "Event" e
CROSS JOIN LATERAL (
  SELECT n AS number, (SELECT count(*) FROM "Delivery" d WHERE d."eventId" = e.id AND d."fanOut" = n)::int AS matched
  FROM generate_series(0, COALESCE((SELECT max("fanOut") FROM "Delivery" d WHERE d."eventId" = e.id), 0)) AS n
) f;

-- CreateIndex
CREATE UNIQUE INDEX "Delivery_eventId_fanOut_listenerId_key" ON "Delivery"("eventId", "fanOut", "listenerId");

-- AddForeignKey
ALTER TABLE "FanOut" ADD CONSTRAINT "FanOut_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FanOut" ADD CONSTRAINT "FanOut_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- CreateIndex
CREATE INDEX "Listener_hookId_indexKind_id_idx" ON "Listener"("hookId", "indexKind", "id");

-- Deliveries are a queue: a fan-out can add 100,000 rows in seconds and attempts update them at once.
-- The claim query's plan depends on fresh statistics (with stale ones it sorts every due row), so the
-- table is analysed and vacuumed after 1 % of it changed rather than the default 10–20 %.
ALTER TABLE "Delivery" SET (autovacuum_analyze_scale_factor = 0.01, autovacuum_vacuum_scale_factor = 0.01);
