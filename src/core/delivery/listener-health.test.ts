import { describe, expect, it } from "vitest";
import {
  CIRCUIT_FIRST_PAUSE_MS,
  CIRCUIT_MAX_PAUSE_MS,
  CIRCUIT_OPENS_AFTER_FAILURES,
  ListenerHealth,
} from "./listener-health";

const timeout = { succeeded: false, errorClass: "timeout" } as const;
const refused = { succeeded: false, errorClass: "refused" } as const;
const success = { succeeded: true } as const;

describe("ListenerHealth", () => {
  it("halves a listener's limit on each timeout, down to one, and raises it by one per success", () => {
    const health = new ListenerHealth(8);
    expect(health.limitFor("l", 0)).toBe(8);
    health.record("l", timeout, 0);
    expect(health.limitFor("l", 0)).toBe(4);
    health.record("l", timeout, 0);
    health.record("l", timeout, 0);
    health.record("l", timeout, 0);
    expect(health.limitFor("l", 0)).toBe(1);
    health.record("l", success, 0);
    health.record("l", success, 0);
    expect(health.limitFor("l", 0)).toBe(3);
    for (let index = 0; index < 10; index++) health.record("l", success, 0);
    expect(health.limitFor("l", 0)).toBe(8);
    expect(health.limits(0).size).toBe(0);
    // Others are untouched.
    expect(health.limitFor("other", 0)).toBe(8);
  });

  it("opens the circuit after failures in a row: paused, then one probe, pauses doubling up to the most", () => {
    const health = new ListenerHealth(5);
    for (let index = 1; index < CIRCUIT_OPENS_AFTER_FAILURES; index++) health.record("l", refused, 0);
    expect(health.limitFor("l", 0)).toBe(5);
    health.record("l", refused, 0);
    expect(health.limitFor("l", 0)).toBe(0);
    expect(health.limits(0).get("l")).toBe(0);
    expect(health.nextProbeAt(0)).toBe(CIRCUIT_FIRST_PAUSE_MS);
    // After the pause, one attempt may probe the receiver.
    expect(health.limitFor("l", CIRCUIT_FIRST_PAUSE_MS)).toBe(1);
    health.record("l", refused, CIRCUIT_FIRST_PAUSE_MS);
    expect(health.nextProbeAt(CIRCUIT_FIRST_PAUSE_MS)).toBe(3 * CIRCUIT_FIRST_PAUSE_MS);

    let now = 3 * CIRCUIT_FIRST_PAUSE_MS;
    for (let probe = 0; probe < 20; probe++) {
      health.record("l", refused, now);
      now = health.nextProbeAt(now)!;
    }
    health.record("l", refused, now);
    expect(health.nextProbeAt(now)! - now).toBe(CIRCUIT_MAX_PAUSE_MS);

    health.record("l", success, health.nextProbeAt(now)!);
    expect(health.limitFor("l", health.nextProbeAt(now) ?? now)).toBeGreaterThan(1);
    expect(health.nextProbeAt(now)).toBeNull();
  });
});
