/**
 * When a self-healing listener, disabled by failures, is pinged, and when it counts as healed. The
 * first ping waits a minute after the listener was disabled; a failed ping doubles the wait (up to an
 * hour); answered pings follow each other closely, and three in a row heal the listener.
 */
export interface ProbeSchedule {
  /** The first ping, this long after the listener was disabled. */
  firstAfterMs: number;
  /** After a failed ping: this, doubled for every failure in a row before it, up to `maxBackoffMs`. */
  backoffMs: number;
  maxBackoffMs: number;
  /** After an answered ping, the next one this soon. */
  afterSuccessMs: number;
  /** Answered pings in a row that heal the listener. */
  successesToHeal: number;
}

export const DEFAULT_PROBE_SCHEDULE: ProbeSchedule = {
  firstAfterMs: 60_000,
  backoffMs: 60_000,
  maxBackoffMs: 60 * 60_000,
  afterSuccessMs: 10_000,
  successesToHeal: 3,
};

export type ProbeVerdict =
  { heal: true } | { heal: false; successes: number; failures: number; nextProbeInMs: number };

/** What one ping's result means, given the pings in a row before it. */
export function afterProbe(
  answered: boolean,
  before: { successes: number; failures: number },
  schedule: ProbeSchedule = DEFAULT_PROBE_SCHEDULE,
): ProbeVerdict {
  if (answered) {
    const successes = before.successes + 1;
    if (successes >= schedule.successesToHeal) return { heal: true };
    return { heal: false, successes, failures: 0, nextProbeInMs: schedule.afterSuccessMs };
  }
  const failures = before.failures + 1;
  const backoff = Math.min(schedule.maxBackoffMs, schedule.backoffMs * 2 ** Math.min(failures - 1, 30));
  return { heal: false, successes: 0, failures, nextProbeInMs: backoff };
}
