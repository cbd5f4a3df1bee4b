import path from "node:path";
import { env } from "../env";

/** Sub-directory of DURIAN_DATA_DIR that holds the embedded PGlite database. */
export const PGLITE_SUBDIR = "pglite";

export type DatabaseConfig = { kind: "postgres"; url: string } | { kind: "pglite"; dataDir: string };

/** The database this process uses: DATABASE_URL when set, otherwise the embedded PGlite directory. */
export function configuredDatabase(): DatabaseConfig {
  const { DATABASE_URL, DURIAN_DATA_DIR } = env();
  if (DATABASE_URL) return { kind: "postgres", url: DATABASE_URL };
  return { kind: "pglite", dataDir: path.resolve(DURIAN_DATA_DIR, PGLITE_SUBDIR) };
}

export function describeDatabase(config: DatabaseConfig): string {
  return config.kind === "postgres"
    ? `PostgreSQL at ${redactUrl(config.url)}`
    : `embedded PGlite in ${displayPath(config.dataDir)}`;
}

function displayPath(absolute: string): string {
  const relative = path.relative(process.cwd(), absolute);
  return relative && !relative.startsWith("..") ? relative : absolute;
}

export function assertPostgresUrl(url: string): void {
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new Error(`Expected a postgres:// or postgresql:// URL, got "${redactUrl(url)}"`);
  }
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+):[^@]*@/, "$1:***@");
}
