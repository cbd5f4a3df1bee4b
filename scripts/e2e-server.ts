/**
 * The server the browser tests run against: `npm start` on a database of its own (a fresh
 * PostgreSQL database when DATABASE_URL names a server, else a fresh embedded one), dropped on exit.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";

const port = process.env.E2E_PORT ?? "3100";
// Receivers of the tests listen on this port of 127.0.0.1; every other loopback port stays blocked.
const receiverPort = process.env.E2E_RECEIVER_PORT ?? String(Number(port) + 1000);
const dataDir = mkdtempSync(path.join(os.tmpdir(), "durian-e2e-"));
const adminUrl = process.env.DATABASE_URL;
const databaseName = `durian_e2e_${process.pid}_${Date.now()}`;

async function withAdmin(sql: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

let databaseUrl: string | undefined;
if (adminUrl) {
  await withAdmin(`CREATE DATABASE "${databaseName}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${databaseName}`;
  databaseUrl = url.toString();
}

// `node --import tsx`, not the tsx CLI: its signal relay kills a child that takes over 30 ms to
// acknowledge a signal, which would orphan the server instead of letting it stop gracefully.
const server = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
  stdio: "inherit",
  env: {
    ...process.env,
    PORT: port,
    HOSTNAME: "127.0.0.1",
    DURIAN_PUBLIC_URL: `http://127.0.0.1:${port}`,
    DURIAN_DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl ?? "",
    NODE_ENV: "production",
    // Every browser test signs up from the same address within a minute or two.
    DURIAN_AUTH_ATTEMPTS_PER_MINUTE: "1000",
    DURIAN_ALLOWED_HOSTS: `127.0.0.1:${receiverPort}`,
    // A listener is disabled after 3 failed deliveries rather than 20: few enough attempts that the
    // runner's per-listener circuit (open after 10 failed attempts) does not stretch the test to minutes.
    DURIAN_DISABLE_AFTER_FAILURES: "3",
  },
});

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  server.kill("SIGTERM");
  await new Promise((resolve) => server.once("exit", resolve));
  if (adminUrl) await withAdmin(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`).catch(() => {});
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
}

process.on("SIGTERM", stop);
process.on("SIGINT", stop);
server.on("exit", (code) => {
  if (!stopping) process.exit(code ?? 1);
});
