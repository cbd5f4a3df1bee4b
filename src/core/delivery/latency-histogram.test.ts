import { describe, expect, it } from "vitest";
import {
  addHistograms,
  estimateLatencyQuantile,
  LATENCY_BUCKET_BOUNDS_MS,
  LATENCY_BUCKET_COUNT,
  latencyBucketOf,
} from "./latency-histogram";

function histogramOf(durations: number[]): number[] {
  const histogram = Array<number>(LATENCY_BUCKET_COUNT).fill(0);
  for (const duration of durations) histogram[latencyBucketOf(duration)]!++;
  return histogram;
}

describe("latency histogram", () => {
  it("files a duration equal to a bound in the bucket that bound starts", () => {
    expect(latencyBucketOf(0)).toBe(0);
    expect(latencyBucketOf(4)).toBe(0);
    expect(latencyBucketOf(5)).toBe(1);
    expect(latencyBucketOf(30_000)).toBe(LATENCY_BUCKET_BOUNDS_MS.length);
    expect(latencyBucketOf(10 ** 9)).toBe(LATENCY_BUCKET_COUNT - 1);
  });

  it("estimates quantiles inside the bucket they fall in", () => {
    // 100 attempts between 100 and 250 ms: the median is estimated half-way through that bucket.
    const histogram = histogramOf(Array<number>(100).fill(120));
    expect(estimateLatencyQuantile(histogram, 0.5)).toBe(175);
    // 90 fast ones and 10 slow ones: p50 among the fast, p95 among the slow.
    const mixed = addHistograms(
      histogramOf(Array<number>(90).fill(30)),
      histogramOf(Array<number>(10).fill(3_000)),
    );
    expect(estimateLatencyQuantile(mixed, 0.5)).toBeGreaterThanOrEqual(25);
    expect(estimateLatencyQuantile(mixed, 0.5)).toBeLessThan(50);
    expect(estimateLatencyQuantile(mixed, 0.95)).toBeGreaterThanOrEqual(2_500);
    expect(estimateLatencyQuantile(mixed, 0.95)).toBeLessThan(5_000);
  });

  it("says null for no attempts, and the lower bound in the open-ended bucket", () => {
    expect(estimateLatencyQuantile(Array<number>(LATENCY_BUCKET_COUNT).fill(0), 0.5)).toBeNull();
    expect(estimateLatencyQuantile(histogramOf([60_000]), 0.95)).toBe(30_000);
    expect(() => estimateLatencyQuantile([1], 1.5)).toThrow(/quantile/);
  });
});
