-- DropIndex
DROP INDEX "Delivery_projectId_status_createdAt_id_idx";

-- CreateIndex
CREATE INDEX "Delivery_unsucceeded_projectId_status_createdAt_id_idx" ON "Delivery"("projectId", "status", "createdAt" DESC, "id") WHERE (status <> 'succeeded');
