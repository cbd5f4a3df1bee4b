import type { DeliveryRunner } from "@/server/runner/port";
import { env } from "@/server/env";
import { TokenBucketRateLimiter } from "./rate-limit";

/** What the /api/v1 handlers use beyond the database (which comes from getDb()). */
export interface RestDependencies {
  rateLimiter: TokenBucketRateLimiter;
  /** Unset: the services use the configured runner. */
  runner?: DeliveryRunner;
}

let overrides: Partial<RestDependencies> | undefined;
let configuredRateLimiter: TokenBucketRateLimiter | undefined;

export function restDependencies(): RestDependencies {
  return {
    rateLimiter: overrides?.rateLimiter ?? defaultRateLimiter(),
    runner: overrides?.runner,
  };
}

/** DURIAN_RATE_LIMIT_PER_SECOND with bursts of DURIAN_RATE_LIMIT_BURST, per API key or signed-in user. */
function defaultRateLimiter(): TokenBucketRateLimiter {
  configuredRateLimiter ??= new TokenBucketRateLimiter({
    perSecond: env().DURIAN_RATE_LIMIT_PER_SECOND,
    burst: env().DURIAN_RATE_LIMIT_BURST,
  });
  return configuredRateLimiter;
}

/** For tests: replaces the rate limiter and/or the runner; `undefined` restores the defaults. */
export function setRestDependenciesForTesting(replacements: Partial<RestDependencies> | undefined): void {
  overrides = replacements;
}
