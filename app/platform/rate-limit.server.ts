// Throttling, with rate-limiter-flexible: a `Throttle` counts attempts per key (an
// account, an email, a client address) in a fixed window, in memory (one app process;
// limits reset on restart, which is acceptable for throttling guesses and floods).
// Sign-on uses it (app/workflows/sign-on.server.ts); sign-in has its own, with growing
// delays, in ./sign-in-throttle.server.ts.
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

/** At most `points` attempts per key in `seconds`. */
export interface Throttle {
  readonly points: number;
  /** Counts one attempt; answers the seconds to wait when the key is over its limit, else 0. */
  take(key: string): Promise<number>;
  /** Forgets what was counted for the key. */
  forget(key: string): Promise<void>;
  /** Gives one attempt back. */
  giveBack(key: string): Promise<void>;
}

/**
 * Counts one attempt against `key` on `limiter` (for `customDuration` seconds, if given);
 * answers the whole seconds to wait when the key is over its limit, else 0.
 */
export async function secondsToWait(limiter: RateLimiterMemory, key: string, customDuration?: number): Promise<number> {
  try {
    await limiter.consume(key, 1, customDuration === undefined ? undefined : { customDuration });
    return 0;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    throw rejection;
  }
}

export function throttle(keyPrefix: string, points: number, seconds: number): Throttle {
  const limiter = new RateLimiterMemory({ keyPrefix, points, duration: seconds });
  return {
    points,
    take: (key) => secondsToWait(limiter, key),
    async forget(key) {
      await limiter.delete(key);
    },
    async giveBack(key) {
      await limiter.reward(key, 1);
    },
  };
}
