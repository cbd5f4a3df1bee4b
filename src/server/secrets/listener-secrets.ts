import { isSealed, seal, SealedValueError, unseal } from "@/core/encryption";
import { SecretKeyError, secretKeyring, type SecretKeyring } from "./secret-keyring";

// Listener signing secrets (whsec_…) are stored encrypted with DURIAN_SECRET_KEY. Rows written before
// encryption hold them in plain text until `npm start` / `npm run db:migrate` encrypts them; until
// then they are read as they are.

/** The value to store for a listener signing secret. */
export function sealListenerSecret(secret: string, keyring: SecretKeyring = secretKeyring()): string {
  return seal(secret, keyring.current);
}

/** A stored listener secret as it signs; throws `SecretKeyError` when no configured key opens it. */
export function openListenerSecret(stored: string, keyring: SecretKeyring = secretKeyring()): string {
  if (!isSealed(stored)) return stored;
  try {
    return unseal(stored, keyring.readable);
  } catch (error) {
    if (error instanceof SealedValueError) throw new SecretKeyError(explain(error, keyring));
    throw error;
  }
}

/**
 * A row read from the database with its listener's secrets decrypted: the one place rows that carry
 * `secret` and `previousSecret` (delivery claims, the inspector) turn them back into whsec_ secrets.
 */
export function openListenerSecrets<Row extends { secret: string; previousSecret: string | null }>(
  row: Row,
  keyring: SecretKeyring = secretKeyring(),
): Row {
  return {
    ...row,
    secret: openListenerSecret(row.secret, keyring),
    previousSecret: row.previousSecret === null ? null : openListenerSecret(row.previousSecret, keyring),
  };
}

function explain(error: SealedValueError, keyring: SecretKeyring): string {
  const configured =
    `DURIAN_SECRET_KEY is key ${keyring.current.id}` +
    (keyring.readable.length > 1
      ? `, DURIAN_SECRET_KEY_PREVIOUS has ${keyring.readable
          .slice(1)
          .map((key) => key.id)
          .join(", ")}`
      : "");
  switch (error.problem) {
    case "unknown-key":
      return (
        `A listener secret is encrypted with key ${error.keyId}, which no configured key matches ` +
        `(${configured}). Set DURIAN_SECRET_KEY, or add the old key to DURIAN_SECRET_KEY_PREVIOUS; when ` +
        `DURIAN_SECRET_KEY is unset the key is the one generated into DURIAN_DATA_DIR/secret-key.`
      );
    case "authentication-failed":
      return (
        `A listener secret encrypted with key ${error.keyId} does not decrypt with DURIAN_SECRET_KEY ` +
        `(${configured}): the stored value was altered.`
      );
    case "malformed":
      return `A listener secret in the database cannot be decrypted with DURIAN_SECRET_KEY: ${error.message}.`;
  }
}
