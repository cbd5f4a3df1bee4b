import type { DeliveryErrorClass } from "./error-class";

/** Failed attempts in a row that open a listener's circuit: it gets no attempt until the pause ends. */
export const CIRCUIT_OPENS_AFTER_FAILURES = 10;
/** The first pause; each time the circuit opens again without a success in between, twice as long. */
export const CIRCUIT_FIRST_PAUSE_MS = 30_000;
export const CIRCUIT_MAX_PAUSE_MS = 10 * 60_000;

interface Health {
  /** Attempts this listener may have in flight now (below the configured most after timeouts). */
  limit: number;
  failuresInARow: number;
  pausedUntil: number;
  lastPauseMs: number;
}

export type AttemptResult = { succeeded: true } | { succeeded: false; errorClass: DeliveryErrorClass | null };

/**
 * How many attempts each listener may have in flight, adapted to how its receiver behaves, so that one
 * tenant's slow, hanging or failing receivers cannot hold the slots everyone shares:
 * - a timeout halves the listener's limit (down to one), each success raises it by one again, up to the
 *   configured most (additive increase, multiplicative decrease);
 * - after `CIRCUIT_OPENS_AFTER_FAILURES` failed attempts in a row its circuit opens: no attempt for a
 *   pause (30 s, doubling up to 10 min while it keeps failing), then one attempt to probe it; a success
 *   closes the circuit.
 * Delivery is only deferred, never skipped: paused deliveries stay due and are claimed after the pause.
 */
export class ListenerHealth {
  private readonly byListener = new Map<string, Health>();

  constructor(private readonly mostInFlight: number) {}

  /** The listeners whose limit is below the configured most right now, with that limit (0: paused). */
  limits(nowMs: number): Map<string, number> {
    const limits = new Map<string, number>();
    for (const [listenerId, health] of this.byListener) {
      const limit = this.limitOf(health, nowMs);
      if (limit < this.mostInFlight) limits.set(listenerId, limit);
    }
    return limits;
  }

  limitFor(listenerId: string, nowMs: number): number {
    const health = this.byListener.get(listenerId);
    return health ? this.limitOf(health, nowMs) : this.mostInFlight;
  }

  record(listenerId: string, result: AttemptResult, nowMs: number): void {
    const health = this.byListener.get(listenerId) ?? {
      limit: this.mostInFlight,
      failuresInARow: 0,
      pausedUntil: 0,
      lastPauseMs: 0,
    };
    if (result.succeeded) {
      health.failuresInARow = 0;
      health.lastPauseMs = 0;
      health.pausedUntil = 0;
      health.limit = Math.min(this.mostInFlight, health.limit + 1);
    } else {
      health.failuresInARow++;
      if (result.errorClass === "timeout") health.limit = Math.max(1, Math.floor(health.limit / 2));
      if (health.failuresInARow >= CIRCUIT_OPENS_AFTER_FAILURES && nowMs >= health.pausedUntil) {
        health.lastPauseMs = Math.min(
          CIRCUIT_MAX_PAUSE_MS,
          Math.max(CIRCUIT_FIRST_PAUSE_MS, health.lastPauseMs * 2),
        );
        health.pausedUntil = nowMs + health.lastPauseMs;
      }
    }
    if (health.limit === this.mostInFlight && health.failuresInARow === 0) this.byListener.delete(listenerId);
    else this.byListener.set(listenerId, health);
  }

  /** When the earliest open circuit closes again for a probe (null: none is open). */
  nextProbeAt(nowMs: number): number | null {
    let earliest: number | null = null;
    for (const health of this.byListener.values()) {
      if (health.pausedUntil > nowMs && (earliest === null || health.pausedUntil < earliest))
        earliest = health.pausedUntil;
    }
    return earliest;
  }

  private limitOf(health: Health, nowMs: number): number {
    if (nowMs < health.pausedUntil) return 0;
    // A circuit that opened lets one attempt through to probe the receiver.
    return health.failuresInARow >= CIRCUIT_OPENS_AFTER_FAILURES ? 1 : health.limit;
  }
}
