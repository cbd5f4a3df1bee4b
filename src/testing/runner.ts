import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import type { PrismaClient } from "@/generated/prisma/client";
import type { DeliveryRunner } from "@/server/runner/port";

/** Polls `condition` every `everyMs` until it holds; fails with `what` after `timeoutMs`. */
export async function waitUntil(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
  everyMs = 20,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

export async function deliveryStatuses(
  db: PrismaClient,
  deliveryIds: string[],
): Promise<Map<string, string>> {
  const rows = await db.delivery.findMany({
    where: { id: { in: deliveryIds } },
    select: { id: true, status: true },
  });
  return new Map(rows.map((row) => [row.id, row.status]));
}

export async function allSucceeded(db: PrismaClient, deliveryIds: string[]): Promise<boolean> {
  const statuses = await deliveryStatuses(db, deliveryIds);
  return deliveryIds.every((id) => statuses.get(id) === "succeeded");
}

/** A log that keeps messages for assertions instead of printing them. */
export function memoryLog() {
  const lines: string[] = [];
  return {
    lines,
    info: (message: string) => void lines.push(`info ${message}`),
    warn: (message: string) => void lines.push(`warn ${message}`),
    error: (message: string, error?: unknown) => void lines.push(`error ${message} ${String(error ?? "")}`),
  };
}

const READY_LINE = "durian-test-runner-ready";

export interface RunnerProcess {
  process: ChildProcess;
  /** Everything it printed until it was ready; rejects if it exits first. */
  ready: Promise<string>;
  /** Its exit code (null when killed by a signal) and everything it printed. */
  exited: Promise<{ code: number | null; output: string }>;
}

/** Runs runner-process.ts (the server's runner start-up) in a child process with only `env`. */
export function spawnRunnerProcess(env: Record<string, string>): RunnerProcess {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join(import.meta.dirname, "runner-process.ts")],
    {
      cwd: path.resolve(import.meta.dirname, "../.."),
      env: { PATH: process.env.PATH ?? "", NODE_ENV: "test", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; output: string }>((resolve) =>
    child.once("exit", (code) => resolve({ code, output })),
  );
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", () => {
      if (output.includes(READY_LINE)) resolve(output);
    });
    void exited.then(({ code }) =>
      reject(new Error(`the runner process exited (${code}) before it was ready:\n${output}`)),
    );
  });
  // A test that expects the process to fail never awaits `ready`.
  ready.catch(() => {});
  return { process: child, ready, exited };
}

/**
 * A runner that is told of new work and does nothing with it: another server's, or none at all (the
 * work stays in the database for a runner that looks).
 */
export const idleRunner: DeliveryRunner = {
  kind: "embedded",
  start: async () => {},
  stop: async () => {},
  fanOutRequested: async () => {},
  deliveriesCreated: async () => {},
  retryRequested: async () => {},
};
