/** How long the previous secret keeps signing after a rotation. */
export const SECRET_ROTATION_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface ListenerSecrets {
  secret: string;
  previousSecret?: string | null;
  previousSecretUntil?: Date | null;
}

/** When a secret rotated at `rotatedAt` stops signing. */
export function previousSecretExpiry(rotatedAt: Date): Date {
  return new Date(rotatedAt.getTime() + SECRET_ROTATION_WINDOW_MS);
}

/** The secrets that sign a request at `now`: the current one, plus the previous one inside its window. */
export function signingSecrets(listener: ListenerSecrets, now: Date = new Date()): string[] {
  const { secret, previousSecret, previousSecretUntil } = listener;
  const previousStillSigns =
    previousSecret != null && previousSecretUntil != null && now.getTime() < previousSecretUntil.getTime();
  return previousStillSigns && previousSecret !== secret ? [secret, previousSecret] : [secret];
}
