import type { DestinationAllowlist, ResolveHost } from "@/core/delivery";
import type { PrismaClient } from "@/generated/prisma/client";
import {
  type AttemptRecorder,
  BatchingAttemptRecorder,
  type DeliveryContext,
  runDeliveryAttempt,
} from "@/server/delivery";
import { claimDueDeliveries, releaseClaims, releaseExpiredLeases } from "./claim-due-deliveries";
import type { DeliveryRunner } from "./port";

/** Without a wake-up, the database is looked at this often (work from elsewhere, clock drift). */
export const DEFAULT_POLL_INTERVAL_MS = 1_000;
/** How often deliveries abandoned by a stopped runner are looked for. */
export const LEASE_SWEEP_INTERVAL_MS = 5_000;
/**
 * Attempts whose request is over wait to be recorded (in batches) while new requests go out; at most
 * this many times `concurrency` attempts are under way in all, so a slow database slows the claims.
 */
const UNRECORDED_FACTOR = 3;
/**
 * Claimed deliveries are kept ready to send, up to `concurrency` of them beyond those sending, so a
 * finished request is followed by the next at once and claims come in batches rather than one per
 * finished request.
 */
const READY_FACTOR = 1;
/** A ready delivery is sent only while its lease still covers its hook's timeout plus this. */
const LAUNCH_LEASE_MARGIN_MS = 5_000;
/** After a database error the loop waits this long before trying again. */
const ERROR_BACKOFF_MS = 1_000;

export interface EmbeddedRunnerOptions {
  db: PrismaClient;
  allowlist: DestinationAllowlist;
  /** Attempts in flight at once (`DURIAN_RUNNER_CONCURRENCY`). */
  concurrency: number;
  /** Attempts in flight at once per listener (`DURIAN_RUNNER_LISTENER_CONCURRENCY`). */
  listenerConcurrency: number;
  /** `DURIAN_DISABLE_AFTER_FAILURES`. */
  disableAfterFailures?: number;
  pollIntervalMs?: number;
  now?: () => Date;
  resolveHost?: ResolveHost;
  random?: () => number;
  log?: RunnerLog;
}

export interface RunnerLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

const consoleLog: RunnerLog = {
  info: (message) => console.log(`durian: ${message}`),
  warn: (message) => console.warn(`durian: ${message}`),
  error: (message, error) => console.error(`durian: ${message}`, error ?? ""),
};

/**
 * Delivers webhooks inside the app's own process, with the database as its only state: it claims due
 * deliveries atomically (so a second process, or a restarted one, never takes the same delivery while
 * its lease lasts), runs each attempt with `runDeliveryAttempt` under a global and a per-listener
 * limit, and schedules itself to wake when a retry it recorded falls due. `deliveriesCreated` and
 * `retryRequested` wake it at once. A runner that dies mid-attempt leaves leases that expire; the
 * deliveries are then attempted again, with the same webhook-id.
 */
export class EmbeddedRunner implements DeliveryRunner {
  readonly kind = "embedded" as const;
  private readonly options: Required<Pick<EmbeddedRunnerOptions, "pollIntervalMs" | "now" | "log">> &
    EmbeddedRunnerOptions;
  private readonly recorder: AttemptRecorder;
  /** Attempts under way, from the claim until they are recorded. */
  private readonly inFlight = new Set<Promise<void>>();
  /** Claimed, not yet sent. */
  private readonly ready: DeliveryContext[] = [];
  /** Requests under way: what the global limit is about. */
  private requests = 0;
  /** Requests under way plus ready deliveries, per listener: what the per-listener limit is about. */
  private readonly heldByListener = new Map<string, number>();
  private running = false;
  private loopFinished: Promise<void> = Promise.resolve();
  private wakeRequested = false;
  private wakeLoop: (() => void) | undefined;
  /** The earliest retry this runner scheduled and has a timer for. */
  private retryTimer: { at: number; timer: NodeJS.Timeout } | undefined;
  /** The last claim filled every free slot or met a listener at its limit: completions may free work. */
  private backlogLikely = false;
  private lastSweepAt = 0;

  constructor(options: EmbeddedRunnerOptions) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
      throw new RangeError(`concurrency: expected a positive integer, got ${options.concurrency}`);
    }
    if (!Number.isInteger(options.listenerConcurrency) || options.listenerConcurrency < 1) {
      throw new RangeError(
        `listenerConcurrency: expected a positive integer, got ${options.listenerConcurrency}`,
      );
    }
    this.options = {
      pollIntervalMs: DEFAULT_POLL_INTERVAL_MS,
      now: () => new Date(),
      log: consoleLog,
      ...options,
    };
    this.recorder = new BatchingAttemptRecorder(options.db);
  }

  /** Attempts under way right now (sending or being recorded). */
  get activeAttempts(): number {
    return this.inFlight.size;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.lastSweepAt = 0;
    this.loopFinished = this.loop();
  }

  /** Stops claiming, then waits for the attempts in flight to be recorded. */
  async stop(_options: { deadlineMs?: number } = {}): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.clearRetryTimer();
    this.wake();
    await this.loopFinished;
    const unsent = this.ready.splice(0);
    for (const context of unsent) this.release(context.listenerId);
    await Promise.allSettled([...this.inFlight]);
    if (unsent.length > 0) {
      // Handed back at once rather than after their leases run out.
      await releaseClaims(this.options.db, unsent, this.options.now()).catch((error: unknown) =>
        this.options.log.error(
          "delivery runner: could not hand back unsent claims; their leases will expire",
          error,
        ),
      );
    }
  }

  /** The deliveries are already stored and due: claim them now rather than at the next poll. */
  async deliveriesCreated(_input: Parameters<DeliveryRunner["deliveriesCreated"]>[0]): Promise<void> {
    this.wake();
  }

  async retryRequested(_input: Parameters<DeliveryRunner["retryRequested"]>[0]): Promise<void> {
    this.wake();
  }

  private wake(): void {
    this.wakeRequested = true;
    this.wakeLoop?.();
  }

  private async loop(): Promise<void> {
    while (this.running) {
      this.wakeRequested = false;
      try {
        await this.sweepIfDue();
        await this.claimAndLaunch();
      } catch (error) {
        this.options.log.error("delivery runner: the database query failed; trying again shortly", error);
        await this.sleep(ERROR_BACKOFF_MS);
        continue;
      }
      if (!this.wakeRequested) await this.sleep(this.options.pollIntervalMs);
    }
  }

  private async sweepIfDue(): Promise<void> {
    const now = this.options.now();
    if (now.getTime() - this.lastSweepAt < LEASE_SWEEP_INTERVAL_MS) return;
    this.lastSweepAt = now.getTime();
    const released = await releaseExpiredLeases(this.options.db, now);
    if (released > 0) {
      this.options.log.warn(
        `delivery runner: ${released} delivery attempt(s) abandoned by a stopped runner will be retried`,
      );
    }
  }

  private async claimAndLaunch(): Promise<void> {
    const { concurrency, listenerConcurrency } = this.options;
    this.launchReady();
    const wanted = Math.min(
      concurrency * (1 + READY_FACTOR) - this.requests - this.ready.length,
      concurrency * UNRECORDED_FACTOR - this.inFlight.size - this.ready.length,
    );
    // Claims wait until the ready deliveries run low, so that they come in batches.
    if (wanted <= 0 || this.ready.length >= concurrency * READY_FACTOR) {
      this.backlogLikely = true;
      return;
    }
    const claimed = await claimDueDeliveries(this.options.db, {
      limit: wanted,
      perListenerLimit: listenerConcurrency,
      inFlightByListener: this.heldByListener,
      now: this.options.now(),
    });
    for (const context of claimed) this.hold(context.listenerId);
    this.ready.push(...claimed);
    const someListenerFull = [...this.heldByListener.values()].some((count) => count >= listenerConcurrency);
    this.backlogLikely = claimed.length === wanted || someListenerFull;
    this.launchReady();
  }

  /** Sends ready deliveries while the global limit allows. */
  private launchReady(): void {
    while (this.running && this.requests < this.options.concurrency) {
      const context = this.ready.shift();
      if (!context) return;
      const leaseLeftMs = context.lockedUntil.getTime() - this.options.now().getTime();
      if (leaseLeftMs < context.timeoutMs + LAUNCH_LEASE_MARGIN_MS) {
        // Waited too long to be sure of finishing within its lease: left for a fresh claim.
        this.release(context.listenerId);
        continue;
      }
      this.launch(context);
    }
  }

  private hold(listenerId: string): void {
    this.heldByListener.set(listenerId, (this.heldByListener.get(listenerId) ?? 0) + 1);
  }

  private release(listenerId: string): void {
    const left = (this.heldByListener.get(listenerId) ?? 1) - 1;
    if (left > 0) this.heldByListener.set(listenerId, left);
    else this.heldByListener.delete(listenerId);
  }

  private launch(context: DeliveryContext): void {
    const { listenerId } = context;
    this.requests++;
    let requestOpen = true;
    const requestDone = () => {
      if (!requestOpen) return;
      requestOpen = false;
      this.requests--;
      const wasFull = (this.heldByListener.get(listenerId) ?? 0) >= this.options.listenerConcurrency;
      this.release(listenerId);
      this.launchReady();
      if (this.backlogLikely || wasFull || this.ready.length < this.options.concurrency * READY_FACTOR)
        this.wake();
    };
    const attempt = this.attempt(context, requestDone).finally(() => {
      requestDone();
      this.inFlight.delete(attempt);
      if (this.backlogLikely) this.wake();
    });
    this.inFlight.add(attempt);
  }

  private async attempt(context: DeliveryContext, requestDone: () => void): Promise<void> {
    try {
      const outcome = await runDeliveryAttempt(this.options.db, context.deliveryId, {
        allowlist: this.options.allowlist,
        now: this.options.now,
        disableAfterFailures: this.options.disableAfterFailures,
        claimed: context,
        recorder: this.recorder,
        onRequestDone: requestDone,
        resolveHost: this.options.resolveHost,
        random: this.options.random,
        warn: (message) => this.options.log.warn(message),
      });
      if (outcome.kind === "attempted" && outcome.status === "pending" && outcome.nextAttemptAt) {
        this.wakeAt(new Date(outcome.nextAttemptAt));
      }
    } catch (error) {
      // The lease runs out and the delivery is attempted again, with the same webhook-id.
      this.options.log.error(
        `delivery runner: recording delivery ${context.deliveryId} failed; it will be retried`,
        error,
      );
    }
  }

  /** Wakes the loop when a retry this runner scheduled falls due (only the earliest needs a timer). */
  private wakeAt(at: Date): void {
    if (!this.running) return;
    const atMs = at.getTime();
    if (this.retryTimer && this.retryTimer.at <= atMs) return;
    this.clearRetryTimer();
    const delay = Math.max(0, atMs - this.options.now().getTime());
    const timer = setTimeout(() => {
      this.retryTimer = undefined;
      this.wake();
    }, delay);
    this.retryTimer = { at: atMs, timer };
  }

  private clearRetryTimer(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer.timer);
    this.retryTimer = undefined;
  }

  private sleep(ms: number): Promise<void> {
    if (this.wakeRequested) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeLoop = () => {
        this.wakeLoop = undefined;
        done();
      };
    });
  }
}
