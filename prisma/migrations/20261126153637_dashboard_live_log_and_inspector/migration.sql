-- AlterTable
ALTER TABLE "InspectorRequest" ADD COLUMN     "bodySize" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "Delivery_projectId_updatedAt_idx" ON "Delivery"("projectId", "updatedAt");
