export { runDeliveryAttempt, type RunDeliveryAttemptOptions } from "./run-delivery-attempt";
export { afterAttempt, type AfterAttempt, type DeliveryAttemptOutcome } from "./outcome";
export { claimDelivery, DUE_TOLERANCE_MS, type DeliveryClaim } from "./claim-delivery";
export {
  DELIVERY_CONTEXT_COLUMNS,
  LEASE_MARGIN_MS,
  claimableSql,
  leaseUntilSql,
  type DeliveryContext,
} from "./delivery-context";
export {
  AttemptSupersededError,
  DeliveryGoneError,
  type RecordAttemptInput,
  type RecordedAttempt,
} from "./record-attempt";
export {
  BatchingAttemptRecorder,
  transactionPerAttempt,
  MAX_RECORD_BATCH,
  type AttemptRecorder,
} from "./attempt-recorder";
export { markDeliveryFailed } from "./mark-delivery-failed";
