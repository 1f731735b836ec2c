// The sign-in throttle on its own: growing delays per (account, address), the budget
// per address, the bound per account, link requests. rate-limiter-flexible reads
// Date.now() itself, so the clock is moved by faking Date alone (timers stay real, and
// nothing here waits on I/O).
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { addressKey, createSignInThrottle, SIGN_IN_LIMITS } from "~/platform/sign-in-throttle.server";
import { durationInWords } from "~/lib/time-in-words";

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-12-08T09:00:00Z"));
});
afterEach(() => vi.useRealTimers());
const advance = (seconds: number) => vi.setSystemTime(Date.now() + seconds * 1000);

const ANA = "ana@example.org";

describe("per account and address", () => {
  it("lets five failures through, then doubles the wait after each further one, up to a day", async () => {
    const throttle = createSignInThrottle();
    const attempt = () => throttle.admitPassword(ANA, "192.0.2.1");
    for (let i = 0; i < 5; i++) expect(await attempt()).toBeNull();
    const waits: number[] = [];
    for (let step = 0; step < 14; step++) {
      const refused = await attempt();
      expect(refused?.reason).toBe("pair");
      waits.push(refused!.waitSeconds);
      advance(refused!.waitSeconds - 1);
      expect((await attempt())?.waitSeconds).toBe(1); // a second early is still too early
      advance(1);
      expect(await attempt()).toBeNull(); // one more guess, then a longer wait
    }
    expect(waits.slice(0, 5)).toEqual([60, 120, 240, 480, 960]);
    expect(waits.slice(-3)).toEqual([86400, 86400, 86400]);
    expect(Math.max(...waits)).toBe(SIGN_IN_LIMITS.perPair.maxDelaySeconds);
  });

  it("counts guesses sent together before any is checked", async () => {
    const throttle = createSignInThrottle();
    const results = await Promise.all(Array.from({ length: 12 }, () => throttle.admitPassword(ANA, "192.0.2.2")));
    expect(results.filter((r) => r === null)).toHaveLength(5);
    expect(results.filter((r) => r?.reason === "pair")).toHaveLength(7);
  });

  it("does not count refused attempts as failures, and a success starts the pair afresh", async () => {
    const throttle = createSignInThrottle();
    for (let i = 0; i < 5; i++) await throttle.admitPassword(ANA, "192.0.2.3");
    for (let i = 0; i < 5; i++) expect((await throttle.admitPassword(ANA, "192.0.2.3"))?.waitSeconds).toBe(60);
    advance(60);
    expect(await throttle.admitPassword(ANA, "192.0.2.3")).toBeNull();
    expect((await throttle.admitPassword(ANA, "192.0.2.3"))?.waitSeconds).toBe(120); // not 2^6 minutes
    advance(120);
    expect(await throttle.admitPassword(ANA, "192.0.2.3")).toBeNull();
    await throttle.passwordAccepted(ANA, "192.0.2.3");
    for (let i = 0; i < 5; i++) expect(await throttle.admitPassword(ANA, "192.0.2.3")).toBeNull();
  });

  it("does not slow the same account from another address", async () => {
    const throttle = createSignInThrottle();
    for (let i = 0; i < 6; i++) await throttle.admitPassword(ANA, "192.0.2.4");
    expect(await throttle.admitPassword(ANA, "192.0.2.4")).not.toBeNull();
    expect(await throttle.admitPassword(ANA, "192.0.2.5")).toBeNull();
  });

  it("starts the pair afresh when a sign-in link is used from that address", async () => {
    const throttle = createSignInThrottle();
    for (let i = 0; i < 6; i++) await throttle.admitPassword(ANA, "192.0.2.6");
    await throttle.linkUsed(ANA, "192.0.2.6");
    expect(await throttle.admitPassword(ANA, "192.0.2.6")).toBeNull();
  });
});

describe("per address", () => {
  it("allows 20 attempts in 15 minutes whatever the accounts, and gives back a success", async () => {
    const throttle = createSignInThrottle();
    for (let i = 0; i < 19; i++) expect(await throttle.admitPassword(`guess${i}@example.org`, "192.0.2.7")).toBeNull();
    expect(await throttle.admitPassword(ANA, "192.0.2.7")).toBeNull();
    await throttle.passwordAccepted(ANA, "192.0.2.7");
    expect(await throttle.admitPassword("one-more@example.org", "192.0.2.7")).toBeNull();
    const refused = await throttle.admitPassword(ANA, "192.0.2.7");
    expect(refused).toEqual({ reason: "address", waitSeconds: 15 * 60 });
    advance(15 * 60);
    expect(await throttle.admitPassword(ANA, "192.0.2.7")).toBeNull();
  });

  it("treats an IPv6 /64 as one address, and an IPv4-mapped address as IPv4", () => {
    expect(addressKey("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:0db8:0001:0002:bbbb:cccc:dddd:eeee")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(addressKey("::ffff:127.0.0.2")).toBe("127.0.0.2");
    expect(addressKey("127.0.0.2")).toBe("127.0.0.2");
    expect(addressKey(null)).toBe("unknown");
  });
});

describe("per account, across addresses", () => {
  it("refuses the password everywhere after 100 attempts in a day, but not the sign-in link", async () => {
    const throttle = createSignInThrottle();
    for (let a = 0; a < 25; a++) for (let i = 0; i < 4; i++) expect(await throttle.admitPassword(ANA, `198.51.100.${a}`)).toBeNull();
    const refused = await throttle.admitPassword(ANA, "203.0.113.1");
    expect(refused?.reason).toBe("account");
    expect(refused?.waitSeconds).toBe(24 * 3600);
    expect(await throttle.admitPassword("other@example.org", "203.0.113.1")).toBeNull();
    expect(await throttle.admitLinkRequest(ANA, "203.0.113.1")).toBeNull();
    advance(24 * 3600);
    expect(await throttle.admitPassword(ANA, "203.0.113.1")).toBeNull();
  });
});

describe("link requests", () => {
  it("allows 3 an hour per email and 10 an hour per address", async () => {
    const throttle = createSignInThrottle();
    for (let i = 0; i < 3; i++) expect(await throttle.admitLinkRequest(ANA, `192.0.2.${10 + i}`)).toBeNull();
    expect(await throttle.admitLinkRequest(ANA, "192.0.2.20")).toEqual({ reason: "account", waitSeconds: 3600 });
    for (let i = 0; i < 10; i++) expect(await throttle.admitLinkRequest(`p${i}@example.org`, "192.0.2.30")).toBeNull();
    expect((await throttle.admitLinkRequest("p10@example.org", "192.0.2.30"))?.reason).toBe("address");
    advance(3600);
    expect(await throttle.admitLinkRequest(ANA, "192.0.2.30")).toBeNull();
  });
});

describe("waits in words", () => {
  it("rounds up to minutes, hours and minutes, or days", () => {
    expect(durationInWords(1)).toBe("1 minute");
    expect(durationInWords(60)).toBe("1 minute");
    expect(durationInWords(61)).toBe("2 minutes");
    expect(durationInWords(3600)).toBe("1 hour");
    expect(durationInWords(3660)).toBe("1 hour and 1 minute");
    expect(durationInWords(7200)).toBe("2 hours");
    expect(durationInWords(86400)).toBe("1 day");
  });
});
