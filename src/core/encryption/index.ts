export {
  isSealed,
  seal,
  sealedKeyId,
  sealedPrefix,
  sealingKey,
  unseal,
  MIN_KEY_TEXT_LENGTH,
  SEALED_PREFIX,
  SealedValueError,
  type SealedValueProblem,
  type SealingKey,
} from "./sealed-value";
