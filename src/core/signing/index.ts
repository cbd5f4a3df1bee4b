export { generateSecret, secretKeyBytes, InvalidSecretError, SECRET_PREFIX, SECRET_BYTES } from "./secret";
export { signMessage, signatureHeader, SIGNATURE_VERSION, type SignedContent } from "./sign";
export {
  signingSecrets,
  previousSecretExpiry,
  SECRET_ROTATION_WINDOW_MS,
  type ListenerSecrets,
} from "./rotation";
export {
  verifyWebhook,
  WebhookVerificationError,
  DEFAULT_TOLERANCE_SECONDS,
  type WebhookVerificationReason,
  type WebhookHeaders,
  type VerifyWebhookOptions,
} from "./verify";
