import { describe, expect, it } from "vitest";
import { TokenBucketRateLimiter } from "./rate-limit";

function limiter(perSecond: number, burst: number) {
  let now = 0;
  const bucket = new TokenBucketRateLimiter({ perSecond, burst, now: () => now });
  return { bucket, advance: (ms: number) => (now += ms) };
}

describe("TokenBucketRateLimiter", () => {
  it("allows a burst, then the steady rate, with Retry-After until the next token", () => {
    const { bucket, advance } = limiter(100, 200);
    for (let i = 0; i < 200; i++) expect(bucket.take("key").allowed).toBe(true);
    expect(bucket.take("key")).toEqual({ allowed: false, retryAfterSeconds: 1 });
    advance(50); // five tokens at 100/s
    const allowed = Array.from({ length: 6 }, () => bucket.take("key").allowed);
    expect(allowed).toEqual([true, true, true, true, true, false]);
  });

  it("rounds Retry-After up to whole seconds for slow rates", () => {
    const { bucket } = limiter(0.25, 1);
    expect(bucket.take("key").allowed).toBe(true);
    expect(bucket.take("key")).toEqual({ allowed: false, retryAfterSeconds: 4 });
  });

  it("keeps a bucket per key and never refills beyond the burst", () => {
    const { bucket, advance } = limiter(1, 2);
    expect([bucket.take("a").allowed, bucket.take("a").allowed, bucket.take("a").allowed]).toEqual([
      true,
      true,
      false,
    ]);
    expect(bucket.take("b").allowed).toBe(true);
    advance(60_000);
    expect([bucket.take("a").allowed, bucket.take("a").allowed, bucket.take("a").allowed]).toEqual([
      true,
      true,
      false,
    ]);
  });

  it("refuses nonsensical settings", () => {
    expect(() => new TokenBucketRateLimiter({ perSecond: 0, burst: 1 })).toThrow(RangeError);
    expect(() => new TokenBucketRateLimiter({ perSecond: 1, burst: 0 })).toThrow(RangeError);
  });
});
