// Sign-in, sign-out, password change and throttling, through the real route
// actions on this file's own SQLite database.
import { beforeAll, describe, expect, it } from "vitest";
import { action as loginAction } from "~/routes/login";
import { action as logoutAction } from "~/routes/logout";
import { action as accountAction, loader as accountLoader } from "~/routes/account";
import { loader as meLoader } from "~/routes/api.me";
import { getSessionUser } from "~/platform/session.server";
import type { DB } from "~/platform/db.server";
import { migratedDb } from "../setup/db";
import { TEST_PASSWORD, call, createUser, getRequest, postRequest, settle } from "../factories";

let db: DB;
beforeAll(async () => {
  db = await migratedDb({ countries: false });
});

async function signIn(email: string, password: string, headers: Record<string, string> = {}) {
  const request = postRequest("/login", { email, password, redirectTo: "/account" });
  for (const [k, v] of Object.entries(headers)) request.headers.set(k, v);
  return settle(call(loginAction, request));
}
const cookieFrom = (headers: Headers) => (headers.get("Set-Cookie") ?? "").split(";")[0];

describe("sign in", () => {
  it("signs in with the right password and starts a server-side session", async () => {
    const user = await createUser(db, { email: "ana@example.org" });
    const res = await signIn("  ANA@example.org ", TEST_PASSWORD);
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/account");
    const setCookie = res.headers.get("Set-Cookie")!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const session = await getSessionUser(getRequest("/", cookieFrom(res.headers)), db);
    expect(session?.id).toBe(user.id);
    const audit = await db.selectFrom("audit_log").selectAll().where("action", "=", "user.signed_in").execute();
    expect(audit.at(-1)?.actor_user_id).toBe(user.id);
  });

  it("gives the same message for a wrong password and an unknown account", async () => {
    await createUser(db, { email: "ben@example.org" });
    const wrong = await signIn("ben@example.org", "not the password");
    const unknown = await signIn("nobody@example.org", "not the password");
    expect(wrong.status).toBe(400);
    expect(unknown.status).toBe(400);
    expect(wrong.body.formErrors).toEqual(unknown.body.formErrors);
    expect(wrong.body.values.email).toBe("ben@example.org");
    expect(wrong.body.values.password).toBeUndefined(); // never echoed back
  });

  it("rotates the session id at sign-in", async () => {
    await createUser(db, { email: "cy@example.org" });
    const first = cookieFrom((await signIn("cy@example.org", TEST_PASSWORD)).headers);
    const request = postRequest("/login", { email: "cy@example.org", password: TEST_PASSWORD });
    request.headers.set("Cookie", first);
    const second = cookieFrom((await settle(call(loginAction, request))).headers);
    expect(second).not.toBe(first);
    expect(await getSessionUser(getRequest("/", first), db)).toBeNull();
    expect(await getSessionUser(getRequest("/", second), db)).not.toBeNull();
  });

  it("validates the form beside the fields", async () => {
    const res = await signIn("not-an-email", "");
    expect(res.status).toBe(400);
    expect(res.body.errors.email[0]).toMatch(/valid email/);
    expect(res.body.errors.password[0]).toMatch(/required/);
  });

  it("throttles repeated failures per account from one address, then per address", async () => {
    await createUser(db, { email: "dee@example.org" });
    for (let i = 0; i < 5; i++) expect((await signIn("dee@example.org", "wrong")).status).toBe(400);
    const blocked = await signIn("dee@example.org", TEST_PASSWORD);
    expect(blocked.status).toBe(429);
    expect(blocked.body.formErrors[0]).toMatch(/Too many sign-in attempts for this account from your network\. Please wait 1 minute/);
    // The account itself is not locked: its owner elsewhere signs in.
    expect((await signIn("dee@example.org", TEST_PASSWORD, { "x-demarche-client-ip": "203.0.113.8" })).status).toBe(302);

    const ip = { "x-demarche-client-ip": "203.0.113.9" };
    for (let i = 0; i < 20; i++) await signIn(`guess${i}@example.org`, "wrong", ip);
    await createUser(db, { email: "eve@example.org" });
    const refused = await signIn("eve@example.org", TEST_PASSWORD, ip);
    expect(refused.status).toBe(429);
    expect(refused.body.formErrors[0]).toMatch(/^Too many sign-in attempts from your network\. Please wait 15 minutes/);
    expect((await signIn("eve@example.org", TEST_PASSWORD)).status).toBe(302); // other addresses unaffected
  });
});

describe("sign out", () => {
  it("invalidates the session on the server, so a copied cookie stops working", async () => {
    await createUser(db, { email: "fay@example.org" });
    const cookie = cookieFrom((await signIn("fay@example.org", TEST_PASSWORD)).headers);
    const res = await settle(call(logoutAction, postRequest("/logout", {}, cookie)));
    expect(res.status).toBe(302);
    expect(res.headers.get("Set-Cookie")).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/i);
    expect(await getSessionUser(getRequest("/", cookie), db)).toBeNull();
  });
});

describe("account", () => {
  it("redirects anonymous visitors to sign in, then back", async () => {
    const res = await settle(call(accountLoader, getRequest("/account")));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/login?redirectTo=%2Faccount");
  });

  it("changes the password only with the current one, and ends other sessions", async () => {
    await createUser(db, { email: "gus@example.org" });
    const here = cookieFrom((await signIn("gus@example.org", TEST_PASSWORD)).headers);
    const elsewhere = cookieFrom((await signIn("gus@example.org", TEST_PASSWORD)).headers);
    const bad = await settle(call(accountAction, postRequest("/account", { intent: "change-password", currentPassword: "nope", newPassword: "a new long password", confirmPassword: "a new long password" }, here)));
    expect(bad.status).toBe(400);
    expect(bad.body.errors.currentPassword[0]).toMatch(/not correct/);
    const mismatch = await settle(call(accountAction, postRequest("/account", { intent: "change-password", currentPassword: TEST_PASSWORD, newPassword: "a new long password", confirmPassword: "different" }, here)));
    expect(mismatch.body.errors.confirmPassword[0]).toMatch(/do not match/);
    const short = await settle(call(accountAction, postRequest("/account", { intent: "change-password", currentPassword: TEST_PASSWORD, newPassword: "short", confirmPassword: "short" }, here)));
    expect(short.body.errors.newPassword[0]).toMatch(/at least 12/);

    const ok = await settle(call(accountAction, postRequest("/account", { intent: "change-password", currentPassword: TEST_PASSWORD, newPassword: "a new long password", confirmPassword: "a new long password" }, here)));
    expect(ok.status).toBe(302);
    expect(await getSessionUser(getRequest("/", here), db)).not.toBeNull();
    expect(await getSessionUser(getRequest("/", elsewhere), db)).toBeNull();
    expect((await signIn("gus@example.org", "a new long password")).status).toBe(302);
  });
});

describe("API tokens", () => {
  it("are shown once, work as Bearer tokens, and stop working when revoked", async () => {
    const user = await createUser(db, { email: "hal@example.org" });
    const cookie = cookieFrom((await signIn("hal@example.org", TEST_PASSWORD)).headers);
    const created = await settle(call(accountAction, postRequest("/account", { intent: "create-token", name: "website" }, cookie)));
    const token: string = created.body.newToken;
    expect(token).toMatch(/^dmr_/);
    const stored = await db.selectFrom("api_tokens").selectAll().where("user_id", "=", user.id).executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token); // only the hash is kept

    const me = await settle(call(meLoader, getRequest("/api/me", undefined, { Authorization: `Bearer ${token}` })));
    expect(me.status).toBe(200);
    expect(me.body.email).toBe("hal@example.org");

    const listed = await settle(call(accountLoader, getRequest("/account", cookie)));
    expect(JSON.stringify(listed.body)).not.toContain(token);

    await settle(call(accountAction, postRequest("/account", { intent: "revoke-token", tokenId: String(stored.id) }, cookie)));
    const after = await settle(call(meLoader, getRequest("/api/me", undefined, { Authorization: `Bearer ${token}` })));
    expect(after.status).toBe(401);
    expect(after.body.error).toMatch(/revoked/);
  });

  it("refuses token management to members and bad tokens to the API", async () => {
    const member = await createUser(db, { role: "member", email: "ida@example.org" });
    const cookie = cookieFrom((await signIn(member.email, TEST_PASSWORD)).headers);
    const res = await settle(call(accountAction, postRequest("/account", { intent: "create-token", name: "x" }, cookie)));
    expect(res.status).toBe(403);
    expect((await settle(call(meLoader, getRequest("/api/me", undefined, { Authorization: "Bearer nonsense" })))).status).toBe(401);
    expect((await settle(call(meLoader, getRequest("/api/me")))).status).toBe(401);
  });
});

describe("hardening", () => {
  it("never redirects to another site after sign-in", async () => {
    const { safeRedirect } = await import("~/workflows/login.server");
    for (const evil of ["//evil.example", "/\t/evil.example", "/\n/evil.example", "/\\evil.example", "https://evil.example", "/%09/evil.example".replace("%09", "\t")]) {
      expect(safeRedirect(evil), JSON.stringify(evil)).toBe("/");
    }
    expect(safeRedirect("/account?tab=tokens#new")).toBe("/account?tab=tokens#new");
    expect(safeRedirect(undefined)).toBe("/");
  });

  it("counts guesses sent in parallel before checking them", async () => {
    await createUser(db, { email: "par@example.org" });
    const results = await Promise.all(Array.from({ length: 12 }, () => signIn("par@example.org", "wrong guess", { "x-demarche-client-ip": "198.51.100.44" })));
    const checked = results.filter((r) => r.status === 400).length;
    expect(checked).toBeLessThanOrEqual(5);
    expect(results.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(7);
  });
});
