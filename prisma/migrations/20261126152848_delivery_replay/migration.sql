-- DropIndex
DROP INDEX "Delivery_eventId_listenerId_key";

-- CreateIndex
CREATE INDEX "Delivery_eventId_listenerId_idx" ON "Delivery"("eventId", "listenerId");
