-- CreateIndex
CREATE INDEX "Listener_failing_id_idx" ON "Listener"("id") WHERE ("consecutiveFailures" <> 0);
