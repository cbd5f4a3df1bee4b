export {
  secretKeyring,
  secretKeyringFrom,
  setSecretKeyringForTesting,
  SecretKeyError,
  SECRET_KEY_FILE,
  type SecretKeyring,
} from "./secret-keyring";
export { openListenerSecret, openListenerSecrets, sealListenerSecret } from "./listener-secrets";
export {
  assertListenerSecretKeysKnown,
  prepareListenerSecrets,
  resealListenerSecrets,
  RESEAL_BATCH_SIZE,
  type ResealOptions,
} from "./reseal-listener-secrets";
