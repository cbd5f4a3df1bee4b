import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { waitUntil } from "@/testing/runner";
import { PGLITE_SUBDIR } from "./config";
import {
  acquireDataDirLock,
  DATA_DIR_LOCK_HANDOVER_ENV,
  dataDirLockHandoverEnv,
  lockPathOf,
} from "./data-dir-lock";

const PROJECT_ROOT = path.resolve(import.meta.dirname, "../../..");
const HOLDER_SCRIPT = path.join(import.meta.dirname, "../../testing/data-dir-holder-process.ts");
const MIGRATE_SCRIPT = path.join(PROJECT_ROOT, "scripts/migrate.ts");
/** Starting tsx and PGlite takes seconds on a busy machine; a fresh directory also runs initdb. */
const PROCESS_TIMEOUT_MS = 180_000;

const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const cleanup of cleanups.reverse()) {
    try {
      cleanup();
    } catch {
      // A process already gone; the rest still run.
    }
  }
});

function newDataDir(): string {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "durian-lock-"));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  return dataDir;
}

interface Child {
  process: ChildProcess;
  output(): string;
  /** Resolves with the first output line starting with `prefix`. */
  line(prefix: string): Promise<string>;
  send(command: string): void;
  exited: Promise<{ code: number | null; output: string }>;
}

/** Runs `script` with `node --import tsx` on DURIAN_DATA_DIR=`dataDir` and only the given environment. */
function run(script: string, dataDir: string, env: Record<string, string> = {}): Child {
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "test", DURIAN_DATA_DIR: dataDir, ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  cleanups.push(() => void child.kill("SIGKILL"));
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; output: string }>((resolve) =>
    child.once("exit", (code) => resolve({ code, output })),
  );
  let exitedYet = false;
  void exited.then(() => (exitedYet = true));
  const findLine = (prefix: string) => output.split("\n").find((line) => line.startsWith(prefix));
  return {
    process: child,
    output: () => output,
    async line(prefix) {
      await waitUntil(
        `a line starting "${prefix}"`,
        () => {
          if (findLine(prefix) === undefined && exitedYet)
            throw new Error(`exited before printing "${prefix}":\n${output}`);
          return findLine(prefix) !== undefined;
        },
        PROCESS_TIMEOUT_MS,
      ).catch((error: Error) => {
        throw new Error(`${error.message}; it printed:\n${output}`);
      });
      return findLine(prefix)!;
    },
    send: (command) => void child.stdin!.write(`${command}\n`),
    exited,
  };
}

const startHolder = (dataDir: string, env?: Record<string, string>) => run(HOLDER_SCRIPT, dataDir, env);

/** Starts a holder and waits until it holds the database; returns it and the pid it printed. */
async function holding(dataDir: string, env?: Record<string, string>) {
  const holder = startHolder(dataDir, env);
  const pid = Number((await holder.line("durian-test-holder-ready")).split(" ")[1]);
  return { holder, pid };
}

/** Starts a holder that must refuse; fails at once, with its output, if it opens the database instead. */
async function refused(dataDir: string, env?: Record<string, string>) {
  const holder = startHolder(dataDir, env);
  const openedInstead = holder.line("durian-test-holder-ready").then(
    () => {
      throw new Error(`it opened the database instead of refusing:\n${holder.output()}`);
    },
    () => new Promise<never>(() => {}),
  );
  return Promise.race([holder.exited, openedInstead]);
}

async function written(holder: Child, label: string): Promise<void> {
  holder.send(`write ${label}`);
  await holder.line(`wrote ${label}`);
}

const refusal = (pid: number) => `stop the other Durian (pid ${pid}) or use another DURIAN_DATA_DIR`;

describe("the embedded database's directory lock, between processes", () => {
  it(
    "makes a second process refuse, naming the holder's pid, and loses nothing the first stored",
    async () => {
      const dataDir = newDataDir();
      const { holder: first, pid } = await holding(dataDir);
      await written(first, "before");

      const second = await refused(dataDir);
      expect(second.code).toBe(1);
      expect(second.output).toContain(`Another Durian (pid ${pid}) holds the embedded database`);
      expect(second.output).toContain(refusal(pid));
      const migrate = await run(MIGRATE_SCRIPT, dataDir).exited;
      expect(migrate.code).toBe(1);
      expect(migrate.output).toContain(refusal(pid));

      await written(first, "after");
      // closeDb() gives the lock up: a newcomer gets in while the first process still runs.
      first.send("close");
      await first.line("closed");
      const { holder: third } = await holding(dataDir);
      third.send("rows");
      expect(await third.line("rows ")).toBe("rows after,before");
    },
    4 * PROCESS_TIMEOUT_MS,
  );

  it(
    "lets a new process take over at once from a holder killed with SIGKILL",
    async () => {
      const dataDir = newDataDir();
      const { holder: killed } = await holding(dataDir);
      await written(killed, "committed");
      killed.process.kill("SIGKILL");
      await killed.exited;
      // The killed process could not remove its lock: the next one has to recognise it as abandoned.
      expect(existsSync(lockPathOf(path.join(dataDir, PGLITE_SUBDIR)))).toBe(true);

      const { holder: next } = await holding(dataDir);
      next.send("rows");
      expect(await next.line("rows ")).toBe("rows committed");
    },
    3 * PROCESS_TIMEOUT_MS,
  );

  it(
    "keeps others out while npm start's server holds the lock it was handed, even with its parent killed",
    async () => {
      const dataDir = newDataDir();
      const parent = startHolder(dataDir, { DURIAN_TEST_HAND_OVER: "1" });
      const serverPid = Number((await parent.line("durian-test-holder-ready")).split(" ")[1]);
      expect(serverPid).not.toBe(parent.process.pid);

      const whileParentLives = await refused(dataDir);
      expect(whileParentLives.output).toContain(refusal(parent.process.pid!));
      parent.process.kill("SIGKILL");
      await parent.exited;
      cleanups.push(() => process.kill(serverPid, "SIGKILL"));
      const afterParentDied = await refused(dataDir);
      expect(afterParentDied.code).toBe(1);
      expect(afterParentDied.output).toContain(refusal(serverPid));
    },
    3 * PROCESS_TIMEOUT_MS,
  );
});

describe("the embedded database's directory lock, within a process", () => {
  it("is re-entrant and given up by the last release", () => {
    const pgliteDir = path.join(newDataDir(), PGLITE_SUBDIR);
    const outer = acquireDataDirLock(pgliteDir);
    const inner = acquireDataDirLock(pgliteDir);
    inner.release();
    inner.release();
    expect(existsSync(lockPathOf(pgliteDir))).toBe(true);
    outer.release();
    expect(existsSync(lockPathOf(pgliteDir))).toBe(false);
    expect(existsSync(`${lockPathOf(pgliteDir)}.json`)).toBe(false);
  });

  it(
    "hands over only to a child given this lock's token",
    async () => {
      const dataDir = newDataDir();
      const lock = acquireDataDirLock(path.join(dataDir, PGLITE_SUBDIR));
      cleanups.push(() => lock.release());

      const forged = await refused(dataDir, { [DATA_DIR_LOCK_HANDOVER_ENV]: "not-the-token" });
      expect(forged.code).toBe(1);
      expect(forged.output).toContain(refusal(process.pid));

      const { holder: child } = await holding(dataDir, dataDirLockHandoverEnv(lock));
      await written(child, "handed-over");
      child.send("close");
      await child.line("closed");
      // The child's closeDb() leaves the lock to its holder, this process.
      expect(existsSync(lockPathOf(path.join(dataDir, PGLITE_SUBDIR)))).toBe(true);
    },
    3 * PROCESS_TIMEOUT_MS,
  );
});
