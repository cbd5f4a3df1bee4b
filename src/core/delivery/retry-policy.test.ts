import { describe, expect, it } from "vitest";
import { autoDisableDecision, DEFAULT_DISABLE_AFTER_CONSECUTIVE_FAILURES } from "./auto-disable";
import { decideNextAction, MAX_RETRY_AFTER_SECONDS, parseRetryAfter } from "./classify";
import {
  DEFAULT_RETRY_SCHEDULE_SECONDS,
  effectiveRetrySchedule,
  maxAttempts,
  retryScheduleProblems,
  scheduledRetryDelayMs,
} from "./retry-schedule";

const now = new Date("2026-03-01T12:00:00Z");
const noJitter = () => 0.5;
const response = (status: number, headers: Record<string, string> = {}) => ({
  ok: status >= 200 && status < 300,
  status,
  errorClass: status >= 200 && status < 300 ? null : ("http" as const),
  responseHeaders: headers,
});
const networkError = (errorClass: "timeout" | "dns" | "refused" | "tls" | "blocked") => ({
  ok: false,
  status: null,
  errorClass,
  responseHeaders: null,
});

describe("retry schedule", () => {
  it("waits 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h between eight attempts", () => {
    expect(DEFAULT_RETRY_SCHEDULE_SECONDS).toEqual([5, 300, 1800, 7200, 18000, 36000, 36000]);
    expect(maxAttempts(DEFAULT_RETRY_SCHEDULE_SECONDS)).toBe(8);
    const delays = [1, 2, 3, 4, 5, 6, 7].map((attempt) =>
      scheduledRetryDelayMs(attempt, DEFAULT_RETRY_SCHEDULE_SECONDS, noJitter),
    );
    expect(delays).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
    expect(scheduledRetryDelayMs(8, DEFAULT_RETRY_SCHEDULE_SECONDS, noJitter)).toBeNull();
  });

  it("jitters each wait by at most ±10 %", () => {
    expect(scheduledRetryDelayMs(2, DEFAULT_RETRY_SCHEDULE_SECONDS, () => 0)).toBe(270_000);
    expect(scheduledRetryDelayMs(2, DEFAULT_RETRY_SCHEDULE_SECONDS, () => 0.999999)).toBeCloseTo(330_000, -1);
    for (let sample = 0; sample < 200; sample++) {
      const delay = scheduledRetryDelayMs(1, DEFAULT_RETRY_SCHEDULE_SECONDS)!;
      expect(delay).toBeGreaterThanOrEqual(4_500);
      expect(delay).toBeLessThanOrEqual(5_500);
    }
  });

  it("uses a hook's own schedule when it has one", () => {
    expect(effectiveRetrySchedule([1, 2])).toEqual([1, 2]);
    expect(effectiveRetrySchedule([])).toBe(DEFAULT_RETRY_SCHEDULE_SECONDS);
    expect(effectiveRetrySchedule(null)).toBe(DEFAULT_RETRY_SCHEDULE_SECONDS);
    expect(scheduledRetryDelayMs(2, [1, 2], noJitter)).toBe(2_000);
    expect(scheduledRetryDelayMs(3, [1, 2], noJitter)).toBeNull();
  });

  it("explains what is wrong with a hook's schedule", () => {
    expect(retryScheduleProblems([0, 60, 3600])).toEqual([]);
    expect(retryScheduleProblems([5, -1, 1.5, "x"])).toEqual([
      expect.stringMatching(/^retrySchedule\[1\]: /),
      expect.stringMatching(/^retrySchedule\[2\]: /),
      expect.stringMatching(/^retrySchedule\[3\]: /),
    ]);
    expect(retryScheduleProblems(Array(21).fill(1))[0]).toMatch(/at most 20 retries/);
    expect(retryScheduleProblems("5,10")).toEqual(["retrySchedule: expected an array of seconds"]);
  });
});

describe("decideNextAction", () => {
  const decide = (result: Parameters<typeof decideNextAction>[0]["result"], attemptNumber = 1) =>
    decideNextAction({
      result,
      attemptNumber,
      schedule: DEFAULT_RETRY_SCHEDULE_SECONDS,
      now,
      random: noJitter,
    });

  it("succeeds on any 2xx", () => {
    expect(decide(response(200))).toEqual({ action: "succeeded" });
    expect(decide(response(204))).toEqual({ action: "succeeded" });
  });

  it("disables the listener and stops on 410 Gone", () => {
    expect(decide(response(410), 3)).toMatchObject({
      action: "disable-listener",
      message: expect.stringContaining("410"),
    });
  });

  it("retries other statuses, redirects and network errors on the schedule", () => {
    for (const result of [
      response(500),
      response(404),
      response(301),
      response(429),
      networkError("timeout"),
      networkError("dns"),
      networkError("refused"),
      networkError("tls"),
    ]) {
      expect(decide(result, 2)).toEqual({
        action: "retry",
        retryAt: new Date(now.getTime() + 300_000),
        delayMs: 300_000,
        basis: "schedule",
      });
    }
  });

  it("waits as long as Retry-After says on 429 and 503, up to the cap", () => {
    expect(decide(response(429, { "retry-after": "120" }))).toMatchObject({
      action: "retry",
      delayMs: 120_000,
      basis: "retry-after",
    });
    expect(decide(response(503, { "retry-after": "Sun, 01 Mar 2026 12:10:00 GMT" }))).toMatchObject({
      delayMs: 600_000,
      retryAt: new Date("2026-03-01T12:10:00Z"),
      basis: "retry-after",
    });
    expect(decide(response(429, { "retry-after": "86400" }))).toMatchObject({
      delayMs: MAX_RETRY_AFTER_SECONDS * 1000,
    });
    expect(decide(response(500, { "retry-after": "120" }))).toMatchObject({
      basis: "schedule",
      delayMs: 5_000,
    });
    expect(decide(response(429, { "retry-after": "soon" }))).toMatchObject({ basis: "schedule" });
  });

  it("fails when the schedule is exhausted, even with Retry-After", () => {
    expect(decide(response(500), 8)).toMatchObject({
      action: "failed",
      reason: "exhausted",
      message: "Gave up after 8 attempts.",
    });
    expect(decide(response(429, { "retry-after": "1" }), 8)).toMatchObject({
      action: "failed",
      reason: "exhausted",
    });
  });

  it("fails a blocked destination at once, without retrying", () => {
    expect(decide(networkError("blocked"), 1)).toMatchObject({ action: "failed", reason: "blocked" });
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates, never negative", () => {
    expect(parseRetryAfter("0", now)).toBe(0);
    expect(parseRetryAfter(" 30 ", now)).toBe(30);
    expect(parseRetryAfter("Sun, 01 Mar 2026 12:00:30 GMT", now)).toBe(30);
    expect(parseRetryAfter("Sun, 01 Mar 2026 11:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter(undefined, now)).toBeNull();
    expect(parseRetryAfter("-5", now)).toBeNull();
    expect(parseRetryAfter("1.5", now)).toBeNull();
    expect(parseRetryAfter("2026", now)).toBe(2026);
  });
});

describe("autoDisableDecision", () => {
  it("disables a listener after 20 failed deliveries in a row, with the reason", () => {
    expect(DEFAULT_DISABLE_AFTER_CONSECUTIVE_FAILURES).toBe(20);
    expect(autoDisableDecision(19)).toEqual({ disable: false });
    expect(autoDisableDecision(20)).toEqual({
      disable: true,
      reason: "Disabled after 20 failed deliveries in a row.",
    });
    expect(autoDisableDecision(3, 3)).toMatchObject({ disable: true });
    expect(() => autoDisableDecision(3, 0)).toThrow(/threshold/);
  });
});
