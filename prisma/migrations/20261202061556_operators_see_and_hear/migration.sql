-- AlterTable
ALTER TABLE "Event" ADD COLUMN     "traceparent" TEXT;

-- AlterTable
ALTER TABLE "Listener" ADD COLUMN     "disabledAt" TIMESTAMP(3),
ADD COLUMN     "nextProbeAt" TIMESTAMP(3),
ADD COLUMN     "probeFailures" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "probeSuccesses" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "selfHealing" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE INDEX "Listener_selfHealing_enabled_nextProbeAt_idx" ON "Listener"("selfHealing", "enabled", "nextProbeAt");
