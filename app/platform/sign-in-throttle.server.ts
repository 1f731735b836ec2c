// Sign-in throttling (issue #11). A lock-out per account let anyone who knew an address
// keep its owner out, so guesses are slowed where they come from instead:
// - per client address: a fixed budget of attempts, whatever accounts they aim at;
// - per (account, address): a few free failures, then a delay that doubles with each
//   further failure, up to a day; a success at that address starts it afresh;
// - per account, across every address: a bound on attempts per day. Past it the
//   password form refuses that account everywhere, and only the emailed sign-in link
//   (which this file throttles too, against mail-bombing) lets the owner in.
// Keys are the email as typed (normalised), whether or not an account has it, so the
// answers never tell which accounts exist. In memory (rate-limiter-flexible), reset on
// restart; a later issue moves the counts to the database. rate-limiter-flexible reads
// Date.now() itself, so tests move the clock by faking Date alone.
import { isIP } from "node:net";
import { RateLimiterMemory } from "rate-limiter-flexible";
import { secondsToWait } from "./rate-limit.server";

export const SIGN_IN_LIMITS = {
  /** Attempts from one address (any accounts) per window; a success is given back. */
  perAddress: { attempts: 20, seconds: 15 * 60 },
  /**
   * Failures for one account from one address before delays start, and the delays.
   * Failures are remembered for a week from the first (a success forgets them), long
   * enough for the doubling to reach its cap of a day.
   */
  perPair: { freeFailures: 5, firstDelaySeconds: 60, maxDelaySeconds: 24 * 3600, forgetAfterSeconds: 7 * 24 * 3600 },
  /** Attempts against one account from all addresses together per window. */
  perAccount: { attempts: 100, seconds: 24 * 3600 },
  /** Sign-in link requests from one address, and for one email, per window. */
  linksPerAddress: { requests: 10, seconds: 3600 },
  linksPerAccount: { requests: 3, seconds: 3600 },
};
export type SignInLimits = typeof SIGN_IN_LIMITS;

/** Why an attempt is refused and how many seconds until it may be tried again. */
export type SignInRefusal = { reason: "address" | "pair" | "account"; waitSeconds: number };

export interface SignInThrottle {
  /** Counts a password attempt before it is checked; null lets it through. */
  admitPassword(email: string, address: string | null): Promise<SignInRefusal | null>;
  /** The password was right: the pair starts afresh, address and account get the attempt back. */
  passwordAccepted(email: string, address: string | null): Promise<void>;
  /** A sign-in link was used from this address: the pair starts afresh. */
  linkUsed(email: string, address: string | null): Promise<void>;
  /** Counts a request for a sign-in link; null lets it through. */
  admitLinkRequest(email: string, address: string | null): Promise<SignInRefusal | null>;
}

// Counters that never refuse: we read how many, and decide ourselves.
const UNLIMITED = Number.MAX_SAFE_INTEGER;

export function createSignInThrottle(limits: SignInLimits = SIGN_IN_LIMITS): SignInThrottle {
  const window = (points: number, duration: number) => new RateLimiterMemory({ points, duration });
  const byAddress = window(limits.perAddress.attempts, limits.perAddress.seconds);
  const byAccount = window(limits.perAccount.attempts, limits.perAccount.seconds);
  const pairFailures = window(UNLIMITED, limits.perPair.forgetAfterSeconds);
  // One passage per delay: the first consume opens a window of the delay's length, the
  // next inside it is refused. Each admitted attempt past the free ones sets the next delay.
  const pairGate = window(1, limits.perPair.firstDelaySeconds);
  const linksByAddress = window(limits.linksPerAddress.requests, limits.linksPerAddress.seconds);
  const linksByAccount = window(limits.linksPerAccount.requests, limits.linksPerAccount.seconds);

  const delayAfter = (failures: number) =>
    Math.min(limits.perPair.maxDelaySeconds, limits.perPair.firstDelaySeconds * 2 ** (failures - limits.perPair.freeFailures));

  return {
    async admitPassword(email, address) {
      const from = addressKey(address);
      const pair = `${email}\n${from}`;
      const addressWait = await secondsToWait(byAddress, from);
      if (addressWait) return { reason: "address", waitSeconds: addressWait };
      // Counted before the password is checked, so guesses sent in parallel each see
      // the ones before them.
      const failures = (await pairFailures.consume(pair)).consumedPoints;
      if (failures >= limits.perPair.freeFailures) {
        const pairWait = await secondsToWait(pairGate, pair, delayAfter(failures));
        if (pairWait) {
          await pairFailures.reward(pair, 1); // refused unchecked: not a failure
          return { reason: "pair", waitSeconds: pairWait };
        }
      }
      const accountWait = await secondsToWait(byAccount, email);
      if (accountWait) {
        await pairFailures.reward(pair, 1);
        return { reason: "account", waitSeconds: accountWait };
      }
      return null;
    },
    async passwordAccepted(email, address) {
      const from = addressKey(address);
      await Promise.all([
        byAddress.reward(from, 1),
        // The bound is on guesses: the owner's own sign-in does not use it up, but it
        // does not reset it either (that would hand a guesser a fresh budget).
        byAccount.reward(email, 1),
        pairFailures.delete(`${email}\n${from}`),
        pairGate.delete(`${email}\n${from}`),
      ]);
    },
    async linkUsed(email, address) {
      const pair = `${email}\n${addressKey(address)}`;
      await Promise.all([pairFailures.delete(pair), pairGate.delete(pair)]);
    },
    async admitLinkRequest(email, address) {
      const from = addressKey(address);
      const addressWait = await secondsToWait(linksByAddress, from);
      if (addressWait) return { reason: "address", waitSeconds: addressWait };
      const accountWait = await secondsToWait(linksByAccount, email);
      if (accountWait) {
        await linksByAddress.reward(from, 1);
        return { reason: "account", waitSeconds: accountWait };
      }
      return null;
    },
  };
}

/** The app's one throttle (one process). */
export const signInThrottle = createSignInThrottle();

/**
 * The key for a client address. An IPv6 host usually has a whole /64 to itself, so one
 * address there is the /64; an IPv4-mapped address is the IPv4 one.
 */
export function addressKey(address: string | null): string {
  if (!address) return "unknown";
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  if (isIP(address) !== 6) return address;
  const [head, tail = ""] = address.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = address.includes("::") ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}
