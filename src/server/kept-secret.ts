import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { env } from "@/server/env";

/**
 * A random secret generated once and kept in DURIAN_DATA_DIR/<fileName>, for a setting left unset:
 * a fresh clone works without configuration and the value survives restarts. `variable` is the
 * setting that replaces it, named when the kept file is unusable. Several servers sharing one
 * database must set the variable instead, to the same value.
 */
export function keptSecret(fileName: string, variable: string): string {
  const file = path.resolve(env().DURIAN_DATA_DIR, fileName);
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
  if (!secret) throw new Error(`${file} is empty: delete it, or set ${variable}`);
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
