import path from "node:path";
import { sealingKey, type SealingKey } from "@/core/encryption";
import { env } from "@/server/env";
import { keptSecret } from "@/server/kept-secret";

/** Where the key lives when DURIAN_SECRET_KEY is unset, beside the generated auth secret. */
export const SECRET_KEY_FILE = "secret-key";

/** The keys listener secrets are encrypted with in the database. */
export interface SecretKeyring {
  /** DURIAN_SECRET_KEY: encrypts every value written. */
  current: SealingKey;
  /** Keys that decrypt: the current one, then each of DURIAN_SECRET_KEY_PREVIOUS. */
  readable: readonly SealingKey[];
}

/** A missing, wrong or unusable DURIAN_SECRET_KEY; the message says which and what to set. */
export class SecretKeyError extends Error {
  override name = "SecretKeyError";
}

export function secretKeyringFrom(
  currentKeyText: string,
  previousKeyTexts: readonly string[] = [],
): SecretKeyring {
  const current = sealingKey(currentKeyText);
  const previous = previousKeyTexts.map(sealingKey).filter((key) => key.id !== current.id);
  return { current, readable: [current, ...previous] };
}

let configured: SecretKeyring | undefined;
let overridden: SecretKeyring | undefined;

/**
 * This process's keyring: DURIAN_SECRET_KEY, or a key generated once into DURIAN_DATA_DIR (so a
 * fresh clone needs no configuration), plus DURIAN_SECRET_KEY_PREVIOUS.
 */
export function secretKeyring(): SecretKeyring {
  if (overridden) return overridden;
  configured ??= loadConfiguredKeyring();
  return configured;
}

function loadConfiguredKeyring(): SecretKeyring {
  const { DURIAN_SECRET_KEY, DURIAN_SECRET_KEY_PREVIOUS, DURIAN_DATA_DIR } = env();
  const currentKeyText = DURIAN_SECRET_KEY ?? keptSecret(SECRET_KEY_FILE, "DURIAN_SECRET_KEY");
  try {
    return secretKeyringFrom(currentKeyText, DURIAN_SECRET_KEY_PREVIOUS);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    // env.ts validates the variables, so only a hand-edited kept file gets here.
    throw new SecretKeyError(
      `${path.resolve(DURIAN_DATA_DIR, SECRET_KEY_FILE)}: ${error.message}; set DURIAN_SECRET_KEY instead`,
    );
  }
}

/** For tests: makes secretKeyring() return `keyring` until called again; `undefined` restores the configured one. */
export function setSecretKeyringForTesting(keyring: SecretKeyring | undefined): void {
  overridden = keyring;
}
