// For receivers: the core's Standard Webhooks verification (Web Crypto only, so it runs on edge
// runtimes too), re-exported so apps need only the SDK.
export {
  verifyWebhook,
  WebhookVerificationError,
  InvalidSecretError,
  DEFAULT_TOLERANCE_SECONDS,
  type VerifyWebhookOptions,
  type WebhookHeaders,
  type WebhookVerificationReason,
} from "../../../src/core/signing";
