/**
 * `npm start`: build when no current build exists, apply migrations, then serve on PORT.
 * Works with no configuration at all (embedded PGlite database under .data/).
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { EnvError, parseEnv } from "../src/server/env";
import { migrateConfiguredDatabase } from "../src/server/db/migrate";

const BUILD_INPUTS = [
  "src",
  "public",
  "next.config.js",
  "postcss.config.mjs",
  "package-lock.json",
  "tsconfig.json",
];
const BUILD_ID = ".next/BUILD_ID";

function newestModification(entry: string): number {
  if (!existsSync(entry)) return 0;
  const stats = statSync(entry);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return readdirSync(entry).reduce(
    (newest, child) => Math.max(newest, newestModification(path.join(entry, child))),
    stats.mtimeMs,
  );
}

/** A build is current when it exists and no source it was built from changed since. */
export function buildIsCurrent(): boolean {
  if (!existsSync(BUILD_ID)) return false;
  const builtAt = statSync(BUILD_ID).mtimeMs;
  return BUILD_INPUTS.every((input) => newestModification(input) <= builtAt);
}

function nextBin() {
  return path.resolve("node_modules/next/dist/bin/next");
}

async function main() {
  let env;
  try {
    env = parseEnv(process.env);
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  process.env.NEXT_TELEMETRY_DISABLED = "1";

  if (!buildIsCurrent()) {
    console.log("durian: no current build, running `next build` (about half a minute)…");
    const build = spawnSync(process.execPath, [nextBin(), "build"], { stdio: "inherit" });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }

  await migrateConfiguredDatabase({ log: (line) => console.log(`durian: ${line}`) });

  const hostArgs = process.env.HOSTNAME ? ["-H", process.env.HOSTNAME] : [];
  const server = spawn(process.execPath, [nextBin(), "start", "-p", String(env.PORT), ...hostArgs], {
    stdio: "inherit",
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => server.kill(signal));
  }
  server.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
}

await main();
