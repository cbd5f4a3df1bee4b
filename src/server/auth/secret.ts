import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { env } from "@/server/env";

const SECRET_FILE = "auth-secret";

/**
 * BETTER_AUTH_SECRET when set; otherwise a secret generated once and kept beside the embedded
 * database, so a fresh clone signs in without configuration and sessions survive restarts.
 * Several servers behind a load balancer must share BETTER_AUTH_SECRET.
 */
export function authSecret(): string {
  const configured = env().BETTER_AUTH_SECRET;
  if (configured) return configured;
  const file = path.resolve(env().DURIAN_DATA_DIR, SECRET_FILE);
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    const secret = randomBytes(32).toString("base64url");
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
    return secret;
  }
}
