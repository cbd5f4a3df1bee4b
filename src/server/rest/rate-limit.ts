/**
 * Token buckets per key (an API key id, or a signed-in user): each holds up to `burst` tokens and
 * refills at `perSecond`; a request takes one. Kept in this process's memory: with several server
 * processes each enforces the limit on its own, so the effective limit is multiplied by their number.
 */
export interface RateLimitDecision {
  allowed: boolean;
  /** Whole seconds until a token is available again (for Retry-After); 0 when allowed. */
  retryAfterSeconds: number;
}

export interface RateLimiterOptions {
  perSecond: number;
  burst: number;
  /** Milliseconds clock, injectable for tests. */
  now?: () => number;
}

/** Buckets beyond this many are swept of the ones that have refilled (and so carry no state). */
const SWEEP_THRESHOLD = 10_000;

export class TokenBucketRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number }>();
  private readonly now: () => number;

  constructor(private readonly options: RateLimiterOptions) {
    if (!(options.perSecond > 0) || !(options.burst >= 1)) {
      throw new RangeError(
        `rate limit: expected perSecond > 0 and burst >= 1, got ${options.perSecond}/${options.burst}`,
      );
    }
    this.now = options.now ?? Date.now;
  }

  take(key: string): RateLimitDecision {
    const now = this.now();
    const { perSecond, burst } = this.options;
    const bucket = this.buckets.get(key) ?? { tokens: burst, updatedAt: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * perSecond);
    bucket.updatedAt = now;
    if (!this.buckets.has(key)) {
      if (this.buckets.size >= SWEEP_THRESHOLD) this.sweep(now);
      this.buckets.set(key, bucket);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, retryAfterSeconds: 0 };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond)) };
  }

  private sweep(now: number): void {
    const { perSecond, burst } = this.options;
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.updatedAt) / 1000) * perSecond >= burst) this.buckets.delete(key);
    }
  }
}
