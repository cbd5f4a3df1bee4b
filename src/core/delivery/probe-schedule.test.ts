import { describe, expect, it } from "vitest";
import { afterProbe, DEFAULT_PROBE_SCHEDULE } from "./probe-schedule";

describe("afterProbe", () => {
  it("heals after three answered pings in a row, the earlier ones close together", () => {
    expect(afterProbe(true, { successes: 0, failures: 4 })).toEqual({
      heal: false,
      successes: 1,
      failures: 0,
      nextProbeInMs: DEFAULT_PROBE_SCHEDULE.afterSuccessMs,
    });
    expect(afterProbe(true, { successes: 1, failures: 0 })).toMatchObject({ heal: false, successes: 2 });
    expect(afterProbe(true, { successes: 2, failures: 0 })).toEqual({ heal: true });
  });

  it("starts the count again after a failed ping and doubles the wait up to an hour", () => {
    const waits = [0, 1, 2, 3, 10, 40].map(
      (failures) =>
        (afterProbe(false, { successes: 2, failures }) as { nextProbeInMs: number }).nextProbeInMs,
    );
    expect(waits).toEqual([60_000, 120_000, 240_000, 480_000, 3_600_000, 3_600_000]);
    expect(afterProbe(false, { successes: 2, failures: 0 })).toMatchObject({ successes: 0, failures: 1 });
  });
});
