export { createInngestClient, INNGEST_APP_ID, type DurianInngest, type InngestClientOptions } from "./client";
export { eventAccepted, deliveryRequested, EVENT_ACCEPTED, DELIVERY_REQUESTED } from "./events";
export {
  createDeliveryFunctions,
  FAN_OUT_FUNCTION_ID,
  ATTEMPT_FUNCTION_ID,
  RECOVERY_FUNCTION_ID,
  SELF_HEALING_FUNCTION_ID,
  SELF_HEALING_CRON,
  RECOVERY_CRON,
  RECOVERY_BATCH_SIZE,
  RECOVERY_MAX_BATCHES,
  type DeliveryFunctionDeps,
} from "./functions";
export {
  findStrandedDeliveries,
  RECOVERY_GRACE_MS,
  type StrandedDelivery,
  type StrandedCursor,
} from "./find-stranded-deliveries";
export { recoveryEvent, recoveryEventId, type RecoveryEvent } from "./recovery-event";
export {
  createRetentionFunction,
  RETENTION_FUNCTION_ID,
  RETENTION_CRON,
  RETENTION_MAX_BATCHES,
  type RetentionFunctionDeps,
} from "./prune-expired-data";
export { InngestRunner } from "./runner";
export { inngestApp, type InngestApp } from "./app";
