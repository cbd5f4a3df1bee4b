export {
  attemptBody,
  attemptOutcome,
  attemptRequest,
  performDeliveryAttempt,
  type AttemptSubject,
  type BodySubject,
  type PerformAttemptInput,
  type PerformedAttempt,
  type AttemptRecord,
} from "./perform-attempt";
export {
  buildDeliveryRequest,
  deliveryBody,
  recordableHeaders,
  REDACTED_HEADER_VALUE,
  type DeliveryRequestInput,
  type DeliveryRequest,
} from "./request";
export {
  customHeaderProblems,
  usableCustomHeaders,
  DELIVERY_HEADER_NAMES,
  MAX_CUSTOM_HEADERS,
  MAX_HEADER_NAME_LENGTH,
  MAX_HEADER_VALUE_LENGTH,
  type CustomHeaderProblem,
} from "./custom-headers";
export { attemptDelivery, MAX_RESPONSE_BODY_BYTES, type AttemptInput, type AttemptResult } from "./attempt";
export { type DeliveryErrorClass, DELIVERY_ERROR_CLASSES } from "./error-class";
export {
  decideNextAction,
  parseRetryAfter,
  MAX_RETRY_AFTER_SECONDS,
  type NextAction,
  type NextActionInput,
} from "./classify";
export {
  DEFAULT_RETRY_SCHEDULE_SECONDS,
  RETRY_JITTER_RATIO,
  MAX_RETRIES,
  MAX_RETRY_DELAY_SECONDS,
  effectiveRetrySchedule,
  maxAttempts,
  scheduledRetryDelayMs,
  retryScheduleProblems,
} from "./retry-schedule";
export {
  autoDisableDecision,
  DEFAULT_DISABLE_AFTER_CONSECUTIVE_FAILURES,
  type AutoDisableDecision,
} from "./auto-disable";
export { checkDestination, guardedLookup, resolveWithSystemDns } from "./destination-dns";
export {
  checkDestinationUrl,
  addressRefusal,
  BlockedDestinationError,
  type DestinationCheck,
  type ResolvedDestinationCheck,
  type DestinationRefusalReason,
  type ResolveHost,
  type ResolvedAddress,
} from "./destination";
export { parseAllowlist, AllowlistParseError, EMPTY_ALLOWLIST, type DestinationAllowlist } from "./allowlist";
export { blockedAddressKind, type BlockedAddressKind } from "./address-ranges";
export { DURIAN_VERSION, USER_AGENT } from "./user-agent";
