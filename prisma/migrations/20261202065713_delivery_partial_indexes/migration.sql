-- DropIndex
DROP INDEX "Delivery_status_nextAttemptAt_idx";

-- DropIndex
DROP INDEX "Delivery_status_projectId_nextAttemptAt_idx";

-- CreateIndex
CREATE INDEX "Delivery_pending_nextAttemptAt_idx" ON "Delivery"("nextAttemptAt") WHERE (status = 'pending');

-- CreateIndex
CREATE INDEX "Delivery_pending_projectId_nextAttemptAt_idx" ON "Delivery"("projectId", "nextAttemptAt") WHERE (status = 'pending');

-- CreateIndex
CREATE INDEX "Delivery_delivering_lockedUntil_idx" ON "Delivery"("lockedUntil") WHERE (status = 'delivering');
