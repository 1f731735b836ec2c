// Sign-in throttling, per account and per client address, with rate-limiter-flexible
// (in memory: one app process; limits reset on restart, which is acceptable for
// throttling guesses). Only failures count, so a person who signs in correctly is
// never locked out by their own successes.
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

const WINDOW_SECONDS = 15 * 60;
export const LOGIN_LIMITS = { perAccount: 5, perIp: 20 } as const;

const byAccount = new RateLimiterMemory({ keyPrefix: "login-account", points: LOGIN_LIMITS.perAccount, duration: WINDOW_SECONDS });
const byIp = new RateLimiterMemory({ keyPrefix: "login-ip", points: LOGIN_LIMITS.perIp, duration: WINDOW_SECONDS });

/** Seconds until another attempt is allowed, or 0 when the attempt may go ahead. */
export async function loginRetryAfter(email: string, ip: string | null): Promise<number> {
  const [account, address] = await Promise.all([byAccount.get(email), ip ? byIp.get(ip) : null]);
  const waits = [
    account && account.consumedPoints >= LOGIN_LIMITS.perAccount ? account.msBeforeNext : 0,
    address && address.consumedPoints >= LOGIN_LIMITS.perIp ? address.msBeforeNext : 0,
  ];
  return Math.ceil(Math.max(...waits) / 1000);
}

export async function recordLoginFailure(email: string, ip: string | null): Promise<void> {
  await Promise.all([swallow(byAccount.consume(email)), ip ? swallow(byIp.consume(ip)) : null]);
}

export async function clearLoginFailures(email: string): Promise<void> {
  await byAccount.delete(email);
}

// consume() rejects once the limit is reached; that is the state we then read back.
async function swallow(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof RateLimiterRes)) throw e;
  }
}
