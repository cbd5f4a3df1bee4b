-- DropIndex
DROP INDEX "Delivery_pending_nextAttemptAt_idx";

-- DropIndex
DROP INDEX "Delivery_pending_projectId_nextAttemptAt_idx";

-- AlterTable
ALTER TABLE "Delivery" ADD COLUMN     "relay" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Listener" ADD COLUMN     "relay" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE INDEX "Delivery_pending_nextAttemptAt_idx" ON "Delivery"("nextAttemptAt") WHERE (status = 'pending' AND NOT relay);

-- CreateIndex
CREATE INDEX "Delivery_pending_projectId_nextAttemptAt_idx" ON "Delivery"("projectId", "nextAttemptAt") WHERE (status = 'pending' AND NOT relay);

-- CreateIndex
CREATE INDEX "Delivery_relay_pending_listenerId_nextAttemptAt_idx" ON "Delivery"("listenerId", "nextAttemptAt") WHERE (status = 'pending' AND relay);
