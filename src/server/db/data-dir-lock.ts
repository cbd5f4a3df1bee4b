import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import lockfile from "proper-lockfile";

/**
 * One owner per embedded database directory. PGlite has no cross-process lock: two processes on one
 * directory both open it without error and one's committed writes are silently lost. So every
 * process that opens a PGlite directory (the server through getDb, `npm run db:migrate`, the Prisma
 * CLI's schema engine, tests) first takes this lock, and a second one refuses, naming the holder.
 *
 * On disk, next to `<dir>` (never inside it: PGlite owns that directory):
 * - `<dir>.lock/`: proper-lockfile's lock, created atomically with mkdir; its holder refreshes the
 *   directory's mtime every LOCK_REFRESH_MS;
 * - `<dir>.lock.json`: who holds it (pid, host, boot, a random token), so a refusal can say whom to
 *   stop and a lock left by a killed process is recognised at once;
 * - `<dir>.lock.takeover/`: a short-lived proper-lockfile lock that serialises taking over.
 *
 * Staleness: a holder on this machine is judged by its pid (process.kill(pid, 0)) and boot, so a
 * restart after kill -9 or a power cut takes over at once; without a usable owner record (another
 * host, or killed between mkdir and writing the record) a lock whose mtime has not moved for
 * ABANDONED_AFTER_MS is abandoned. Only a process holding the takeover lock removes someone else's
 * lock, after checking again under it, so two newcomers cannot both take over one abandoned lock:
 * proper-lockfile's own stale removal is switched off (its `stale` is never reached) because two
 * processes finding the same stale lock can both remove it.
 *
 * Everything is synchronous because getDb() is.
 */

/** A process that holds (or was handed) the lock on one data directory. */
export interface DataDirLock {
  readonly dataDir: string;
  /** Gives the lock up; the last release in a process removes it. Safe to call twice. */
  release(): void;
}

/** Another live process holds the data directory. */
export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    /** The process to stop, when known. */
    readonly holderPid?: number,
    holderHost?: string,
  ) {
    const where = displayPath(dataDir);
    super(
      holderPid === undefined
        ? `Another process is taking or giving up the embedded database in ${where} (its lock ` +
            `${displayPath(lockPathOf(dataDir))} names no owner yet). Try again; if no Durian is running, ` +
            `delete that lock directory, or use another DURIAN_DATA_DIR.`
        : `Another Durian (pid ${holderPid}${holderHost ? ` on ${holderHost}` : ""}) holds the embedded ` +
            `database in ${where}: stop the other Durian (pid ${holderPid}) or use another DURIAN_DATA_DIR.`,
    );
    this.name = "DataDirLockedError";
  }
}

/**
 * Names the lock a parent holds, for the child it starts to open the database with (npm start). The
 * value is the random token in the owner record; a child accepts the handover only when the record
 * it finds on disk carries the same token and its holder is alive.
 */
export const DATA_DIR_LOCK_HANDOVER_ENV = "DURIAN_DATA_DIR_LOCK_HANDOVER";

const LOCK_REFRESH_MS = 5_000;
/** An unrefreshed lock this old, whose holder cannot be checked by pid, is abandoned. */
const ABANDONED_AFTER_MS = 30_000;
/** Beyond any lifetime: staleness is decided here, under the takeover lock (see above). */
const NEVER_STALE_MS = 100 * 365 * 24 * 60 * 60 * 1000;
/** How long a newcomer waits for a lock that is changing hands (e.g. has no owner record yet). */
const UNSETTLED_WAIT_MS = 2_000;
const TAKEOVER_WAIT_MS = 10_000;
/** proper-lockfile frees a takeover lock left by a process killed mid-takeover after this long. */
const TAKEOVER_STALE_MS = 5_000;
const POLL_MS = 50;

interface LockOwner {
  pid: number;
  hostname: string;
  /** Linux's boot id: a record from before a reboot names a pid that may belong to anyone now. */
  bootId?: string;
  token: string;
  acquiredAt: string;
  /** The child a parent handed the lock to (npm start → scripts/server.mjs): alive, it holds the lock too. */
  handedTo?: number;
}

interface HeldLock {
  count: number;
  token: string;
  /** Undefined for a handed-over lock: the parent keeps it until this process exits. */
  releaseFileLock?: () => void;
}

// On globalThis, like the database itself (client.ts): Next may load this module in several chunks.
const processState = globalThis as typeof globalThis & {
  __durianDataDirLocks?: Map<string, HeldLock>;
  __durianDataDirHandover?: { token?: string };
};
const heldLocks = (processState.__durianDataDirLocks ??= new Map());

export function lockPathOf(dataDir: string): string {
  return `${path.resolve(dataDir)}.lock`;
}

function ownerPathOf(dataDir: string): string {
  return `${lockPathOf(dataDir)}.json`;
}

function takeoverPathOf(dataDir: string): string {
  return `${lockPathOf(dataDir)}.takeover`;
}

/**
 * Takes the lock on a PGlite directory for this process, or throws DataDirLockedError naming the live
 * holder. Re-entrant: a process that already holds it (npm start migrating before it serves) gets it
 * again, and the last release gives it up. `onCompromised` runs if the lock is lost while held
 * (someone deleted it); by default the process stops, since another may now be writing the directory.
 */
export function acquireDataDirLock(
  dataDir: string,
  options: { onCompromised?: (error: Error) => void } = {},
): DataDirLock {
  const dir = path.resolve(dataDir);
  let held = heldLocks.get(dir);
  if (held) held.count++;
  else {
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    held = acceptHandover(dir) ?? lockExclusively(dir, options.onCompromised ?? stopOnLostLock(dir));
    heldLocks.set(dir, held);
  }
  const entry = held;
  let released = false;
  return {
    dataDir: dir,
    release() {
      if (released) return;
      released = true;
      if (--entry.count > 0 || heldLocks.get(dir) !== entry) return;
      heldLocks.delete(dir);
      entry.releaseFileLock?.();
    },
  };
}

/** The environment for a child process that should open the database under this process's lock. */
export function dataDirLockHandoverEnv(lock: DataDirLock): Record<string, string> {
  const held = heldLocks.get(lock.dataDir);
  if (!held) throw new Error(`This process does not hold the lock on ${lock.dataDir}`);
  return { [DATA_DIR_LOCK_HANDOVER_ENV]: held.token };
}

function lockExclusively(dir: string, onCompromised: (error: Error) => void): HeldLock {
  const waitUntil = Date.now() + UNSETTLED_WAIT_MS;
  for (;;) {
    try {
      const releaseFileLock = lockfile.lockSync(dir, {
        lockfilePath: lockPathOf(dir),
        realpath: false,
        stale: NEVER_STALE_MS,
        update: LOCK_REFRESH_MS,
        fs: lockFsRemovingOwnerFirst(dir),
        onCompromised,
      });
      const owner = newOwner();
      writeOwner(dir, owner);
      return { count: 1, token: owner.token, releaseFileLock };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ELOCKED") throw error;
    }
    const owner = readOwner(dir);
    const verdict = judge(owner, lockStat(dir));
    if (verdict.state === "held") throw new DataDirLockedError(dir, verdict.pid, verdict.host);
    // Taken, released or taken over right now: look again shortly, for a while.
    if (Date.now() > waitUntil) throw new DataDirLockedError(dir);
    if (verdict.state === "abandoned") takeOverIfStillAbandoned(dir, owner);
    else if (verdict.state === "unrecorded") sleep(POLL_MS);
  }
}

/**
 * proper-lockfile removes its lock directory with rmdir: when released, on process exit, and (for
 * the takeover lock) when stale. Removing the owner record first means a record never outlives its
 * lock, so a newcomer never mistakes an old record for the owner of a newer lock.
 */
function lockFsRemovingOwnerFirst(dir: string): typeof fs {
  const lockPath = lockPathOf(dir);
  return {
    ...fs,
    rmdirSync(target: fs.PathLike, ...rest: unknown[]) {
      if (path.resolve(String(target)) === lockPath) fs.rmSync(ownerPathOf(dir), { force: true });
      return (fs.rmdirSync as (...args: unknown[]) => void)(target, ...rest);
    },
  } as typeof fs;
}

type Verdict =
  | { state: "held"; pid: number; host?: string }
  | { state: "abandoned" }
  | { state: "unrecorded" }
  | { state: "gone" };

function judge(owner: LockOwner | undefined, lock: fs.Stats | undefined): Verdict {
  if (!lock) return { state: "gone" };
  if (owner && isOnThisMachine(owner)) {
    if (owner.bootId !== undefined && owner.bootId !== bootId()) return { state: "abandoned" };
    const livePid = [owner.pid, owner.handedTo].find((pid) => pid !== undefined && isAlive(pid));
    return livePid === undefined ? { state: "abandoned" } : { state: "held", pid: livePid };
  }
  if (Date.now() - lock.mtimeMs > ABANDONED_AFTER_MS) return { state: "abandoned" };
  return owner ? { state: "held", pid: owner.pid, host: owner.hostname } : { state: "unrecorded" };
}

/** Removes an abandoned lock, unless, checked again under the takeover lock, it changed hands. */
function takeOverIfStillAbandoned(dir: string, observed: LockOwner | undefined): void {
  const releaseTakeover = lockTakeover(dir);
  try {
    const owner = readOwner(dir);
    if (owner?.token !== observed?.token) return;
    if (judge(owner, lockStat(dir)).state !== "abandoned") return;
    fs.rmSync(ownerPathOf(dir), { force: true });
    fs.rmSync(lockPathOf(dir), { recursive: true, force: true });
  } finally {
    releaseTakeover();
  }
}

function lockTakeover(dir: string): () => void {
  const deadline = Date.now() + TAKEOVER_WAIT_MS;
  for (;;) {
    try {
      return lockfile.lockSync(lockPathOf(dir), {
        lockfilePath: takeoverPathOf(dir),
        realpath: false,
        stale: TAKEOVER_STALE_MS,
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ELOCKED" || Date.now() > deadline) throw error;
      sleep(POLL_MS);
    }
  }
}

/**
 * npm start holds the lock in its own process for its whole life and passes its token to the child
 * it starts (DATA_DIR_LOCK_HANDOVER_ENV). The child checks that the lock on disk still carries that
 * token and that its holder lives, then records itself as `handedTo`: were the parent killed, the
 * live child still keeps others out. The token is kept and removed from the environment, so the
 * child can reopen the database but processes it starts do not inherit the handover.
 */
function acceptHandover(dir: string): HeldLock | undefined {
  const handover = (processState.__durianDataDirHandover ??= {
    token: process.env[DATA_DIR_LOCK_HANDOVER_ENV],
  });
  delete process.env[DATA_DIR_LOCK_HANDOVER_ENV];
  if (!handover.token || !lockStat(dir)) return undefined;
  const owner = readOwner(dir);
  if (owner?.token !== handover.token || !isOnThisMachine(owner) || !isAlive(owner.pid)) return undefined;
  writeOwner(dir, { ...owner, handedTo: process.pid });
  return { count: 1, token: owner.token };
}

function newOwner(): LockOwner {
  return {
    pid: process.pid,
    hostname: os.hostname(),
    bootId: bootId(),
    token: randomBytes(16).toString("hex"),
    acquiredAt: new Date().toISOString(),
  };
}

/** Written under a temporary name and renamed, so a reader sees a whole record or none. */
function writeOwner(dir: string, owner: LockOwner): void {
  const file = ownerPathOf(dir);
  const partial = `${file}.${process.pid}.partial`;
  fs.writeFileSync(partial, JSON.stringify(owner, null, 2) + "\n");
  fs.renameSync(partial, file);
}

function readOwner(dir: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(fs.readFileSync(ownerPathOf(dir), "utf8")) as Partial<LockOwner>;
    return typeof owner.pid === "number" && typeof owner.token === "string"
      ? (owner as LockOwner)
      : undefined;
  } catch {
    return undefined;
  }
}

function lockStat(dir: string): fs.Stats | undefined {
  try {
    return fs.statSync(lockPathOf(dir));
  } catch {
    return undefined;
  }
}

function isOnThisMachine(owner: LockOwner): boolean {
  return owner.hostname === os.hostname();
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

let cachedBootId: string | undefined | null = null;
function bootId(): string | undefined {
  if (cachedBootId === null) {
    try {
      cachedBootId = fs.readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim() || undefined;
    } catch {
      cachedBootId = undefined;
    }
  }
  return cachedBootId;
}

function stopOnLostLock(dir: string): (error: Error) => void {
  return (error) => {
    console.error(
      `durian: lost the lock on the embedded database in ${displayPath(dir)} (${error.message}); ` +
        `stopping, since another process may now be writing it.`,
    );
    process.exit(1);
  };
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function displayPath(absolute: string): string {
  const relative = path.relative(process.cwd(), absolute);
  return relative && !relative.startsWith("..") ? relative : absolute;
}
