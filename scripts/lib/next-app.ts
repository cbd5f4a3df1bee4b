/**
 * Building and serving the app from scripts: `npm start`, the browser tests' server and the
 * benchmarks that measure the real server (scripts/server.mjs).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

export const LOOPBACK = "127.0.0.1";
const BUILD_INPUTS = [
  "src",
  "public",
  "next.config.js",
  "postcss.config.mjs",
  "package-lock.json",
  "tsconfig.json",
];
const BUILD_ID = ".next/BUILD_ID";
const SERVER_START_TIMEOUT_MS = 60_000;

export function nextBin(): string {
  return path.resolve("node_modules/next/dist/bin/next");
}

/** Durian's HTTP server (Next's handler, Durian's own stop): what `npm start` runs after building. */
export function serverEntry(): string {
  return path.resolve("scripts/server.mjs");
}

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

/** Runs `next build` unless the build is current; `log` says which. */
export function ensureCurrentBuild(log: (line: string) => void): void {
  if (buildIsCurrent()) return;
  log("no current build, running `next build` (about a minute)…");
  const build = spawnSync(process.execPath, [nextBin(), "build"], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (build.status !== 0) throw new Error(`next build failed with status ${build.status}`);
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, LOOPBACK, resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The app's server (as `npm start` serves it) on 127.0.0.1 for a benchmark, on its own database and
 * data directory, in production mode; `env` adds or overrides settings, and BENCH_NODE_ARGS adds
 * options for node itself.
 */
export function startNextServer(options: {
  port: number;
  databaseUrl: string;
  dataDir: string;
  env?: Record<string, string>;
}): ChildProcess {
  const { port, databaseUrl, dataDir } = options;
  // e.g. BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the server under load
  // (NODE_OPTIONS refuses --cpu-prof).
  const nodeArgs = process.env.BENCH_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  return spawn(process.execPath, [...nodeArgs, serverEntry()], {
    stdio: ["ignore", "inherit", "inherit"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(port),
      HOSTNAME: LOOPBACK,
      DATABASE_URL: databaseUrl,
      DURIAN_DATA_DIR: dataDir,
      DURIAN_PUBLIC_URL: `http://${LOOPBACK}:${port}`,
      ...options.env,
    },
  });
}

/** Waits until `url` answers 2xx, failing early when the server exits. */
export async function waitForServer(url: string, server: ChildProcess): Promise<void> {
  const deadline = Date.now() + SERVER_START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(250);
  }
  throw new Error(`the server did not answer ${url} within ${SERVER_START_TIMEOUT_MS / 1000} s`);
}
