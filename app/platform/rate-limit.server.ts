// Sign-in throttling, per account and per client address, with rate-limiter-flexible
// (in memory: one app process; limits reset on restart, which is acceptable for
// throttling guesses). Every attempt counts when it arrives; a successful one is
// given back, so a person who signs in correctly is not locked out by it.
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

const WINDOW_SECONDS = 15 * 60;
export const LOGIN_LIMITS = { perAccount: 5, perIp: 20 } as const;

const byAccount = new RateLimiterMemory({ keyPrefix: "login-account", points: LOGIN_LIMITS.perAccount, duration: WINDOW_SECONDS });
const byIp = new RateLimiterMemory({ keyPrefix: "login-ip", points: LOGIN_LIMITS.perIp, duration: WINDOW_SECONDS });

/**
 * Counts a sign-in attempt before the password is checked, so guesses sent in
 * parallel cannot all pass before the first failure is recorded. Returns the seconds
 * to wait when the account or the address is over its limit, else 0.
 */
export async function consumeLoginAttempt(email: string, ip: string | null): Promise<number> {
  const waits = await Promise.all([take(byAccount, email), ip ? take(byIp, ip) : 0]);
  return Math.max(...waits);
}

/** A correct password: the account starts afresh and the address gets its point back. */
export async function settleSuccessfulLogin(email: string, ip: string | null): Promise<void> {
  await byAccount.delete(email);
  if (ip) await byIp.reward(ip, 1);
}

async function take(limiter: RateLimiterMemory, key: string): Promise<number> {
  try {
    await limiter.consume(key);
    return 0;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    throw rejection;
  }
}
