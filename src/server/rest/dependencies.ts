import type { DeliveryRunner } from "@/server/runner/port";
import { env } from "@/server/env";
import { TokenBucketRateLimiter } from "./rate-limit";

/** What the /api/v1 handlers use beyond the database (which comes from getDb()). */
export interface RestDependencies {
  rateLimiter: TokenBucketRateLimiter;
  /** Unset: the services use the configured runner. */
  runner?: DeliveryRunner;
}

// On globalThis: Next may bundle routes separately, and the process must have one set of buckets
// (per-route copies would multiply the limit).
const holder = globalThis as typeof globalThis & {
  __durianRest?: { overrides?: Partial<RestDependencies>; rateLimiter?: TokenBucketRateLimiter };
};
const state = (holder.__durianRest ??= {});

export function restDependencies(): RestDependencies {
  return {
    rateLimiter: state.overrides?.rateLimiter ?? defaultRateLimiter(),
    runner: state.overrides?.runner,
  };
}

/** DURIAN_RATE_LIMIT_PER_SECOND with bursts of DURIAN_RATE_LIMIT_BURST, per API key or signed-in user. */
function defaultRateLimiter(): TokenBucketRateLimiter {
  state.rateLimiter ??= new TokenBucketRateLimiter({
    perSecond: env().DURIAN_RATE_LIMIT_PER_SECOND,
    burst: env().DURIAN_RATE_LIMIT_BURST,
  });
  return state.rateLimiter;
}

/** For tests: replaces the rate limiter and/or the runner; `undefined` restores the defaults. */
export function setRestDependenciesForTesting(replacements: Partial<RestDependencies> | undefined): void {
  state.overrides = replacements;
}
