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
  const kept = readKeptSecret(file);
  if (kept) return kept;
  mkdirSync(path.dirname(file), { recursive: true });
  try {
    writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600, flag: "wx" });
  } catch (error) {
    // Another process starting at the same moment wrote it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const secret = readKeptSecret(file);
  if (!secret) throw new Error(`${file} is empty: delete it, or set BETTER_AUTH_SECRET`);
  return secret;
}

function readKeptSecret(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8").trim() || undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}
