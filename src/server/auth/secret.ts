import { env } from "@/server/env";
import { keptSecret } from "@/server/kept-secret";

const SECRET_FILE = "auth-secret";

/**
 * BETTER_AUTH_SECRET when set; otherwise a secret generated once and kept beside the embedded
 * database, so a fresh clone signs in without configuration and sessions survive restarts.
 * Several servers behind a load balancer must share BETTER_AUTH_SECRET.
 */
export function authSecret(): string {
  return env().BETTER_AUTH_SECRET ?? keptSecret(SECRET_FILE, "BETTER_AUTH_SECRET");
}
