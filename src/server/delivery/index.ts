export { runDeliveryAttempt, type RunDeliveryAttemptOptions } from "./run-delivery-attempt";
export { afterAttempt, type AfterAttempt, type DeliveryAttemptOutcome } from "./outcome";
export {
  attemptSubjectOf,
  DELIVERY_CONTEXT_COLUMNS,
  deliveredConfig,
  type DeliveryContext,
} from "./delivery-context";
export {
  claimDelivery,
  claimDueDeliveries,
  claimRelayDeliveries,
  createDeliveries,
  expireLeases,
  giveUpDelivery,
  handBackClaims,
  recoverDeliveries,
  retryDelivery,
  DUE_TOLERANCE_MS,
  LEASE_MARGIN_MS,
  type ClaimDueDeliveriesInput,
  type DeliveryClaim,
} from "./lifecycle";
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
