import type { DestinationAllowlist, ResolveHost } from "@/core/delivery";
import { ListenerHealth } from "@/core/delivery/listener-health";
import type { PrismaClient } from "@/generated/prisma/client";
import {
  type AttemptRecorder,
  BatchingAttemptRecorder,
  claimDueDeliveries,
  type DeliveryContext,
  expireLeases,
  handBackClaims,
  runDeliveryAttempt,
} from "@/server/delivery";
import { claimFanOuts, type FanOutKey, handBackFanOuts } from "@/server/fan-out/fan-outs";
import { deliveryJob } from "@/server/jobs/delivery-job";
import { fanOutJob } from "@/server/jobs/fan-out-job";
import { DELIVERY_REQUESTED, type JobEvent, type JobSteps } from "@/server/jobs/steps";
import type { ProbeSchedule } from "@/core/delivery/probe-schedule";
import {
  sendOperationalEventsAfterAttempt,
  type RecordedAttemptReport,
} from "@/server/operational/after-attempt";
import { selfHealingJob } from "@/server/operational/self-healing";
import { type PruningSchedule, startPruningSchedule } from "@/server/retention/schedule";
import type { DeliveryRunner } from "./port";

/** Without a wake-up, the database is looked at this often (work from elsewhere, clock drift). */
export const DEFAULT_POLL_INTERVAL_MS = 1_000;
/** How often deliveries abandoned by a stopped runner are looked for. */
export const LEASE_SWEEP_INTERVAL_MS = 5_000;
/** How long a stop waits for attempts in flight before handing them back; `DURIAN_SHUTDOWN_TIMEOUT_MS`. */
export const DEFAULT_STOP_DEADLINE_MS = 10_000;
/** How often self-healing listeners due a ping are looked for. */
export const SELF_HEALING_INTERVAL_MS = 30_000;
/**
 * Fan-outs matched at once: each is a sequence of pages, and deliveries leave between its pages. Most
 * events reach a few listeners, and such a fan-out spends its time waiting on a few statements: with 4
 * at once, a server taking 200 events/s (bench:ingest) had matched under half of them by the end and
 * fell further behind each second; with 16 it had matched 78–90 %, for an accepting p99 of 48–55 ms
 * (38–53 ms with 4): the deferred matching now runs, on the same two cores.
 */
const FAN_OUT_CONCURRENCY = 16;
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
/** A claim that another runner's claim at the same moment left short is made again after this. */
const CONTENDED_CLAIM_RETRY_MS = 20;
/** A ready delivery is sent only while its lease still covers its hook's timeout plus this. */
const LAUNCH_LEASE_MARGIN_MS = 5_000;
/** After a database error the loop waits this long, doubling up to the most, before trying again. */
const ERROR_BACKOFF_MS = 1_000;
const MAX_ERROR_BACKOFF_MS = 30_000;

export interface EmbeddedRunnerOptions {
  db: PrismaClient;
  allowlist: DestinationAllowlist;
  /** Attempts in flight at once (`DURIAN_RUNNER_CONCURRENCY`). */
  concurrency: number;
  /** Attempts in flight or claimed at once per project (`DURIAN_RUNNER_PROJECT_CONCURRENCY`); no cap by default. */
  projectConcurrency?: number;
  /** Attempts in flight at once per listener (`DURIAN_RUNNER_LISTENER_CONCURRENCY`). */
  listenerConcurrency: number;
  /** `DURIAN_DISABLE_AFTER_FAILURES`. */
  disableAfterFailures?: number;
  /** `DURIAN_FAILING_AFTER_FAILURES`: failed deliveries in a row that send `durian.listener.failing`. */
  failingAfterFailures?: number;
  /** How often self-healing listeners are looked at (`SELF_HEALING_INTERVAL_MS`). */
  selfHealingIntervalMs?: number;
  /** When self-healing listeners are pinged; the default schedule otherwise. */
  probeSchedule?: ProbeSchedule;
  /** `DURIAN_RETENTION_DAYS`: older data is deleted every 10 minutes while running; unset, never. */
  retentionDays?: number;
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

/** Ends a job's run at a sleep: the database already says when its work is due again. */
class Sleeping extends Error {
  constructor(readonly until: string) {
    super(`sleeping until ${until}`);
  }
}

/** Ends a fan-out's run between pages when the runner stops; its progress is in the database. */
class Stopping extends Error {}

/**
 * Runs the jobs (src/server/jobs) inside the app's own process, with the database as its only state:
 * it claims due fan-outs and due deliveries atomically (so a second process, or a restarted one, never
 * takes the same work while its lease lasts) and runs the same fan-out and delivery jobs as Inngest does,
 * on steps that run at once and end a run at its sleep. Attempts run under a global, a per-project and
 * an adaptive per-listener limit (see ListenerHealth), claimed in turns across projects.
 * `fanOutRequested`, `deliveriesCreated` and `retryRequested` wake it at once. A runner that dies
 * mid-attempt leaves leases that expire; the work is then taken up again (deliveries with the same
 * webhook-id).
 */
export class EmbeddedRunner implements DeliveryRunner {
  readonly kind = "embedded" as const;
  private readonly options: Required<
    Pick<EmbeddedRunnerOptions, "pollIntervalMs" | "now" | "log" | "projectConcurrency">
  > &
    EmbeddedRunnerOptions;
  private readonly recorder: AttemptRecorder;
  private readonly health: ListenerHealth;
  /** Attempts under way, from the claim until they are recorded, with their claims. */
  private readonly inFlight = new Map<Promise<void>, DeliveryContext>();
  /** Claimed, not yet sent. */
  private readonly ready: DeliveryContext[] = [];
  /** Requests under way: what the global limit is about. */
  private requests = 0;
  /** Requests under way plus ready deliveries, per listener and per project. */
  private readonly heldByListener = new Map<string, number>();
  private readonly heldByProject = new Map<string, number>();
  /** Fan-outs being matched, with their runs. */
  private readonly fanOuts = new Map<Promise<void>, FanOutKey>();
  private running = false;
  private loopFinished: Promise<void> = Promise.resolve();
  private wakeRequested = false;
  private wakeLoop: (() => void) | undefined;
  /** The earliest time this runner knows work falls due (a retry, a circuit's probe), with its timer. */
  private wakeTimer: { at: number; timer: NodeJS.Timeout } | undefined;
  /** The last claim filled every free slot or met a limit: completions may free work. */
  private backlogLikely = false;
  private lastSweepAt = 0;
  /**
   * Fan-outs may be waiting that this runner was told of (or one of its own finished, freeing room):
   * only then, and once a poll interval, does the loop look for them, not before every claim.
   */
  private fanOutsMayWait = true;
  private lastFanOutLookAt = 0;
  /**
   * Deliveries may have become claimable since the last claim: new or retried ones with room to go,
   * a freed slot, a retry or probe falling due. Otherwise the loop claims once a poll interval: woken
   * by every accepted event, a runner whose receivers held their listeners at the limit claimed
   * nothing hundreds of times (a quarter of the database's time in bench:ingest).
   */
  private deliveriesMayWait = true;
  private lastClaimAt = 0;
  private claims = 0;
  private errorBackoffMs = ERROR_BACKOFF_MS;
  private attemptsStarted = 0;
  private pruning: PruningSchedule | undefined;
  private selfHealing: { timer: NodeJS.Timeout | undefined; running: Promise<void> } | undefined;
  private readonly afterRecorded: (report: RecordedAttemptReport) => Promise<void>;

  constructor(options: EmbeddedRunnerOptions) {
    for (const name of ["concurrency", "listenerConcurrency", "projectConcurrency"] as const) {
      const value = options[name];
      if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
        throw new RangeError(`${name}: expected a positive integer, got ${value}`);
      }
    }
    this.options = {
      pollIntervalMs: DEFAULT_POLL_INTERVAL_MS,
      now: () => new Date(),
      log: consoleLog,
      // Counted with the claimed deliveries kept ready, like the per-listener limit: no cap by default.
      projectConcurrency: options.concurrency * (1 + READY_FACTOR),
      ...options,
    };
    this.recorder = new BatchingAttemptRecorder(options.db);
    this.health = new ListenerHealth(options.listenerConcurrency);
    this.afterRecorded = sendOperationalEventsAfterAttempt({
      db: options.db,
      runner: this,
      failingAfterFailures: options.failingAfterFailures,
      log: this.options.log,
    });
  }

  /** Attempts under way right now (sending or being recorded). */
  get activeAttempts(): number {
    return this.inFlight.size;
  }

  /** Requests under way, and how many may be (the global limit): the metrics' runner slots. */
  get slots(): { inUse: number; total: number } {
    return { inUse: this.requests, total: this.options.concurrency };
  }

  /** Attempts this runner has started since it was made. */
  get attemptsMade(): number {
    return this.attemptsStarted;
  }

  /** Claims of due deliveries (one statement each) this runner has made since it was made. */
  get claimsMade(): number {
    return this.claims;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.lastSweepAt = 0;
    this.fanOutsMayWait = true;
    this.deliveriesMayWait = true;
    this.loopFinished = this.loop();
    const { db, retentionDays, log } = this.options;
    if (retentionDays) this.pruning = startPruningSchedule({ db, retentionDays, log });
    this.scheduleSelfHealing(0);
  }

  /** Pings self-healing listeners on a timer (one sweep at a time), with the job Inngest runs from a cron. */
  private scheduleSelfHealing(delayMs: number): void {
    if (!this.running) return;
    const { db, allowlist, probeSchedule, now, resolveHost, log } = this.options;
    const timer = setTimeout(() => {
      const running = selfHealingJob(this.steps(), {
        db: () => db,
        allowlist,
        runner: this,
        schedule: probeSchedule,
        now,
        resolveHost,
        log,
      })
        .then(() => undefined)
        .catch((error: unknown) => {
          if (!(error instanceof Stopping))
            log.error("self-healing: pinging disabled listeners failed", error);
        })
        .finally(() =>
          this.scheduleSelfHealing(this.options.selfHealingIntervalMs ?? SELF_HEALING_INTERVAL_MS),
        );
      this.selfHealing = { timer: undefined, running };
    }, delayMs);
    timer.unref();
    this.selfHealing = { timer, running: this.selfHealing?.running ?? Promise.resolve() };
  }

  /**
   * Stops claiming, hands back at once what it claimed but did not start, lets the attempts and fan-out
   * pages in flight finish for up to `deadlineMs`, then hands back the claims of those still running
   * (another runner may attempt them at once, with the same webhook-id).
   */
  async stop({ deadlineMs = DEFAULT_STOP_DEADLINE_MS }: { deadlineMs?: number } = {}): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.clearWakeTimer();
    this.wake();
    await this.loopFinished;
    await this.pruning?.stop();
    clearTimeout(this.selfHealing?.timer);
    await this.selfHealing?.running;
    const unsent = this.ready.splice(0);
    for (const context of unsent) this.release(context);
    await this.handBack(unsent);
    let deadline: NodeJS.Timeout | undefined;
    const deadlinePassed = new Promise<"deadline">((resolve) => {
      deadline = setTimeout(() => resolve("deadline"), deadlineMs);
    });
    const finished = await Promise.race([
      Promise.allSettled([...this.inFlight.keys(), ...this.fanOuts.keys()]).then(() => "finished" as const),
      deadlinePassed,
    ]);
    clearTimeout(deadline);
    if (finished === "deadline") {
      await this.handBack([...this.inFlight.values()]);
      await handBackFanOuts(this.options.db, [...this.fanOuts.values()]).catch(() => {});
    }
  }

  /** The work is already stored and due: claim it now rather than at the next poll. */
  async fanOutRequested(_input?: unknown): Promise<void> {
    this.fanOutsMayWait = true;
    this.wake();
  }

  async deliveriesCreated(_input?: unknown): Promise<void> {
    this.deliveriesMayWait = true;
    this.wake();
  }

  async retryRequested(_input?: unknown): Promise<void> {
    this.deliveriesMayWait = true;
    this.wake();
  }

  private async handBack(claims: DeliveryContext[]): Promise<void> {
    if (claims.length === 0) return;
    await handBackClaims(this.options.db, claims, this.options.now()).catch((error: unknown) =>
      this.options.log.error("delivery runner: could not hand back claims; their leases will expire", error),
    );
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
        await this.claimFanOutsIfMayWait();
        await this.claimAndLaunch();
        this.errorBackoffMs = ERROR_BACKOFF_MS;
      } catch (error) {
        this.fanOutsMayWait = true;
        this.deliveriesMayWait = true;
        this.options.log.error(
          `delivery runner: the database query failed; trying again in ${this.errorBackoffMs / 1000} s`,
          error,
        );
        await this.sleep(this.errorBackoffMs, { ignoreWakes: true });
        this.errorBackoffMs = Math.min(MAX_ERROR_BACKOFF_MS, this.errorBackoffMs * 2);
        continue;
      }
      if (!this.wakeRequested) await this.sleep(this.options.pollIntervalMs);
    }
  }

  private async sweepIfDue(): Promise<void> {
    const now = this.options.now();
    if (now.getTime() - this.lastSweepAt < LEASE_SWEEP_INTERVAL_MS) return;
    this.lastSweepAt = now.getTime();
    const released = await expireLeases(this.options.db, now);
    if (released > 0) {
      this.options.log.warn(
        `delivery runner: ${released} delivery attempt(s) abandoned by a stopped runner will be retried`,
      );
    }
  }

  private async claimFanOutsIfMayWait(): Promise<void> {
    const nowMs = this.options.now().getTime();
    if (!this.fanOutsMayWait && nowMs - this.lastFanOutLookAt < this.options.pollIntervalMs) return;
    this.fanOutsMayWait = false;
    this.lastFanOutLookAt = nowMs;
    await this.claimFanOuts();
  }

  private async claimFanOuts(): Promise<void> {
    const claimed = await claimFanOuts(this.options.db, {
      limit: FAN_OUT_CONCURRENCY - this.fanOuts.size,
      now: this.options.now(),
    });
    for (const key of claimed) {
      const run = this.runFanOut(key).finally(() => {
        this.fanOuts.delete(run);
        this.fanOutsMayWait = true;
        this.wake();
      });
      this.fanOuts.set(run, key);
    }
  }

  private async runFanOut(key: FanOutKey & { projectId: string }): Promise<void> {
    try {
      await fanOutJob(this.steps(), { db: () => this.options.db }, { ...key });
    } catch (error) {
      if (error instanceof Stopping) {
        await handBackFanOuts(this.options.db, [key]).catch(() => {});
        return;
      }
      // Its lease runs out and a runner takes it up again where its progress says.
      this.options.log.error(`delivery runner: fan-out ${key.fanOut} of event ${key.eventId} failed`, error);
    }
  }

  /** The jobs' steps here: run at once, end the run at a sleep, and sent events mean "claim now". */
  private steps(): JobSteps {
    return {
      run: async (_id, work) => {
        if (!this.running) throw new Stopping();
        return work();
      },
      sleepUntil: async (_id, until) => {
        throw new Sleeping(until);
      },
      sendEvents: async (_id, events) => this.workSent(events),
    };
  }

  /** A job's events: fan-outs to claim, or deliveries, claimable now unless each one's listener or project is full. */
  private workSent(events: readonly JobEvent[]): void {
    const nowMs = this.options.now().getTime();
    for (const event of events) {
      if (event.name !== DELIVERY_REQUESTED) this.fanOutsMayWait = true;
      else if (this.hasRoom(event.data, nowMs)) this.deliveriesMayWait = true;
    }
    if (this.fanOutsMayWait || this.deliveriesMayWait) this.wake();
  }

  private hasRoom(
    { listenerId, projectId }: { listenerId: string; projectId: string },
    nowMs: number,
  ): boolean {
    return (
      (this.heldByListener.get(listenerId) ?? 0) < this.health.limitFor(listenerId, nowMs) &&
      (this.heldByProject.get(projectId) ?? 0) < this.options.projectConcurrency
    );
  }

  private async claimAndLaunch(): Promise<void> {
    const { concurrency, listenerConcurrency, projectConcurrency } = this.options;
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
    const now = this.options.now();
    if (!this.deliveriesMayWait && now.getTime() - this.lastClaimAt < this.options.pollIntervalMs) return;
    this.deliveriesMayWait = false;
    this.lastClaimAt = now.getTime();
    this.claims++;
    const { claimed, contended } = await claimDueDeliveries(this.options.db, {
      limit: wanted,
      listeners: {
        inFlight: this.heldByListener,
        limit: listenerConcurrency,
        limits: this.health.limits(now.getTime()),
      },
      projects: { inFlight: this.heldByProject, limit: projectConcurrency },
      now,
    });
    for (const context of claimed) this.hold(context);
    this.ready.push(...claimed);
    this.backlogLikely = claimed.length === wanted || this.someoneAtLimit(now.getTime());
    if (claimed.length === wanted) this.deliveriesMayWait = true;
    this.launchReady();
    const probeAt = this.health.nextProbeAt(now.getTime());
    if (probeAt !== null) this.wakeAt(probeAt);
    // Once the other runner's claim has committed, what it took is no longer among the candidates.
    if (contended) this.wakeAt(now.getTime() + CONTENDED_CLAIM_RETRY_MS);
  }

  private someoneAtLimit(nowMs: number): boolean {
    for (const [listenerId, held] of this.heldByListener) {
      if (held >= this.health.limitFor(listenerId, nowMs)) return true;
    }
    for (const held of this.heldByProject.values()) {
      if (held >= this.options.projectConcurrency) return true;
    }
    return false;
  }

  /** Sends ready deliveries while the global limit allows. */
  private launchReady(): void {
    while (this.running && this.requests < this.options.concurrency) {
      const context = this.ready.shift();
      if (!context) return;
      const leaseLeftMs = context.lockedUntil.getTime() - this.options.now().getTime();
      if (leaseLeftMs < context.timeoutMs + LAUNCH_LEASE_MARGIN_MS) {
        // Waited too long to be sure of finishing within its lease: left for a fresh claim.
        this.release(context);
        continue;
      }
      this.launch(context);
    }
  }

  private hold(context: DeliveryContext): void {
    count(this.heldByListener, context.listenerId, +1);
    count(this.heldByProject, context.projectId, +1);
  }

  private release(context: DeliveryContext): void {
    count(this.heldByListener, context.listenerId, -1);
    count(this.heldByProject, context.projectId, -1);
  }

  private launch(context: DeliveryContext): void {
    this.requests++;
    this.attemptsStarted++;
    let requestOpen = true;
    const requestDone = () => {
      if (!requestOpen) return;
      requestOpen = false;
      this.requests--;
      this.release(context);
      this.deliveriesMayWait = true;
      this.launchReady();
      if (this.backlogLikely || this.ready.length < this.options.concurrency * READY_FACTOR) this.wake();
    };
    const attempt = this.attempt(context, requestDone).finally(() => {
      requestDone();
      this.inFlight.delete(attempt);
      if (this.backlogLikely) {
        this.deliveriesMayWait = true;
        this.wake();
      }
    });
    this.inFlight.set(attempt, context);
  }

  private async attempt(context: DeliveryContext, requestDone: () => void): Promise<void> {
    const { deliveryId, listenerId, projectId } = context;
    try {
      await deliveryJob(
        this.steps(),
        async () => {
          const outcome = await runDeliveryAttempt(this.options.db, deliveryId, {
            allowlist: this.options.allowlist,
            now: this.options.now,
            disableAfterFailures: this.options.disableAfterFailures,
            claimed: context,
            recorder: this.recorder,
            onRequestDone: requestDone,
            afterRecorded: this.afterRecorded,
            resolveHost: this.options.resolveHost,
            random: this.options.random,
            warn: (message) => this.options.log.warn(message),
          });
          if (outcome.kind === "attempted") {
            const result =
              outcome.status === "succeeded"
                ? ({ succeeded: true } as const)
                : ({ succeeded: false, errorClass: outcome.errorClass } as const);
            this.health.record(listenerId, result, this.options.now().getTime());
          }
          return outcome;
        },
        { projectId, deliveryId, listenerId },
      );
    } catch (error) {
      if (error instanceof Sleeping) {
        this.wakeAt(new Date(error.until).getTime());
        return;
      }
      // The lease runs out and the delivery is attempted again, with the same webhook-id.
      this.options.log.error(
        `delivery runner: recording delivery ${deliveryId} failed; it will be retried`,
        error,
      );
    }
  }

  /** Wakes the loop when work this runner knows of falls due (only the earliest needs a timer). */
  private wakeAt(atMs: number): void {
    if (!this.running) return;
    if (this.wakeTimer && this.wakeTimer.at <= atMs) return;
    this.clearWakeTimer();
    const delay = Math.max(0, atMs - this.options.now().getTime());
    const timer = setTimeout(() => {
      this.wakeTimer = undefined;
      this.deliveriesMayWait = true;
      this.wake();
    }, delay);
    this.wakeTimer = { at: atMs, timer };
  }

  private clearWakeTimer(): void {
    if (this.wakeTimer) clearTimeout(this.wakeTimer.timer);
    this.wakeTimer = undefined;
  }

  private sleep(ms: number, { ignoreWakes = false } = {}): Promise<void> {
    if (this.wakeRequested && !ignoreWakes) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeLoop = () => {
        if (ignoreWakes && this.running) return;
        this.wakeLoop = undefined;
        done();
      };
    });
  }
}

function count(counts: Map<string, number>, key: string, change: 1 | -1): void {
  const next = (counts.get(key) ?? 0) + change;
  if (next > 0) counts.set(key, next);
  else counts.delete(key);
}
