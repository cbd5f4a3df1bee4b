/**
 * Attempt latencies are kept as counts per fixed bucket (the delivery rollups, one histogram per
 * listener and hour), so histograms of any hours and listeners add up element by element and p50/p95
 * can be estimated from the sum without reading a single attempt.
 *
 * Bucket i counts durations d with LATENCY_BUCKET_BOUNDS_MS[i - 1] <= d < LATENCY_BUCKET_BOUNDS_MS[i];
 * the first starts at 0 and the last (one more than there are bounds) has no upper end. This is
 * PostgreSQL's `width_bucket(d, bounds)`, which is how the database files each attempt.
 */
export const LATENCY_BUCKET_BOUNDS_MS = [
  5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000,
] as const;
export const LATENCY_BUCKET_COUNT = LATENCY_BUCKET_BOUNDS_MS.length + 1;

/** The bucket a duration falls in (the same answer as the database's `width_bucket`). */
export function latencyBucketOf(durationMs: number): number {
  let bucket = 0;
  while (bucket < LATENCY_BUCKET_BOUNDS_MS.length && durationMs >= LATENCY_BUCKET_BOUNDS_MS[bucket]!)
    bucket++;
  return bucket;
}

/** Element-wise sum; a shorter histogram counts as zeros where it ends. */
export function addHistograms(a: readonly number[], b: readonly number[]): number[] {
  return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => (a[i] ?? 0) + (b[i] ?? 0));
}

/**
 * The `quantile` (0–1) of the durations a histogram counts, interpolated linearly inside the bucket
 * it falls in; null when it counts nothing. In the open-ended last bucket the estimate is its lower
 * bound (the true value is at least that).
 */
export function estimateLatencyQuantile(histogram: readonly number[], quantile: number): number | null {
  if (!(quantile >= 0 && quantile <= 1)) throw new RangeError(`quantile: expected 0–1, got ${quantile}`);
  const total = histogram.reduce((sum, count) => sum + count, 0);
  if (total === 0) return null;
  const rank = quantile * total;
  let below = 0;
  for (let bucket = 0; bucket < histogram.length; bucket++) {
    const count = histogram[bucket] ?? 0;
    if (count > 0 && below + count >= rank) {
      const lower = bucket === 0 ? 0 : LATENCY_BUCKET_BOUNDS_MS[bucket - 1]!;
      const upper = LATENCY_BUCKET_BOUNDS_MS[bucket];
      if (upper === undefined) return lower;
      return lower + ((rank - below) / count) * (upper - lower);
    }
    below += count;
  }
  return LATENCY_BUCKET_BOUNDS_MS[LATENCY_BUCKET_BOUNDS_MS.length - 1]!;
}
