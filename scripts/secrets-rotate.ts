// Usage: npm run secrets:rotate
// Re-encrypts every listener signing secret with the current DURIAN_SECRET_KEY, in batches, so the
// keys in DURIAN_SECRET_KEY_PREVIOUS can then be dropped. Safe to run while servers deliver on
// PostgreSQL (a secret rotated meanwhile is left as it is); on the embedded database stop the server
// first: PGlite has no cross-process lock.
import { closeDb, getDb } from "../src/server/db/client";
import { EnvError, parseEnv } from "../src/server/env";
import { resealListenerSecrets, SecretKeyError, secretKeyring } from "../src/server/secrets";

try {
  parseEnv(process.env);
  const { current } = secretKeyring();
  console.log(`Re-encrypting listener secrets with key ${current.id} (DURIAN_SECRET_KEY)`);
  const resealed = await resealListenerSecrets(getDb(), {
    scope: "stale",
    onBatch: (soFar) => console.log(`  ${soFar} listener(s) re-encrypted`),
  });
  console.log(
    resealed === 0
      ? "Every listener secret is already encrypted with the current key."
      : `Re-encrypted ${resealed} listener(s); DURIAN_SECRET_KEY_PREVIOUS is no longer needed by them.`,
  );
} catch (error) {
  if (!(error instanceof EnvError || error instanceof SecretKeyError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
} finally {
  await closeDb();
}
