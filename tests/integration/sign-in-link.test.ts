// The one-time sign-in link and the account-wide bound on guesses (issue #11), through
// the real /login and /login/link/$token routes on this file's own SQLite database,
// with the link read from the sandbox Mailbox. Client addresses are set as the server
// would set them (x-demarche-client-ip), one per simulated client.
import { beforeAll, describe, expect, it } from "vitest";
import { action as loginAction } from "~/routes/login";
import { action as linkAction, loader as linkLoader } from "~/routes/login_.link.$token";
import { consumeSignInLink, createSignInLink } from "~/models/sign-in-link.server";
import { getSessionUser } from "~/platform/session.server";
import type { DB } from "~/platform/db.server";
import { migratedDb } from "../setup/db";
import { TEST_PASSWORD, call, createUser, getRequest, postRequest, settle } from "../factories";

let db: DB;
beforeAll(async () => {
  db = await migratedDb({ countries: false });
});

function post(fields: Record<string, string>, ip: string) {
  const request = postRequest("/login", fields);
  request.headers.set("x-demarche-client-ip", ip);
  return settle(call(loginAction, request));
}
const signIn = (email: string, password: string, ip: string) => post({ email, password }, ip);
const askForLink = (email: string, ip: string) => post({ intent: "link", email }, ip);
const openLink = (token: string) => settle(call(linkLoader, getRequest(`/login/link/${token}`), { token }));
function useLink(token: string, ip = "192.0.2.99") {
  const request = postRequest(`/login/link/${token}`, {});
  request.headers.set("x-demarche-client-ip", ip);
  return settle(call(linkAction, request, { token }));
}
const cookieFrom = (headers: Headers) => (headers.get("Set-Cookie") ?? "").split(";")[0];

async function mailsTo(email: string) {
  return db.selectFrom("mailbox_messages").selectAll().where("to_addresses", "like", `%${email}%`).orderBy("id", "desc").execute();
}
async function tokenFromMailbox(email: string): Promise<string> {
  const [message] = await mailsTo(email);
  expect(message, `a sign-in link mailed to ${email}`).toBeDefined();
  const match = /\/login\/link\/([A-Za-z0-9_-]+)/.exec(message.text_body ?? "");
  expect(match, "sign-in link in the text part").not.toBeNull();
  expect(message.html_body).toContain(`/login/link/${match![1]}`);
  return match![1];
}

describe("the account-wide bound", () => {
  it("refuses the password from a new address once reached, while a sign-in link still signs the owner in", async () => {
    const owner = await createUser(db, { email: "target@example.org" });
    // 100 wrong guesses from 25 addresses, 4 each: no address and no pair is slowed.
    const guesses = Array.from({ length: 100 }, (_, i) => () => signIn(owner.email, `guess ${i}`, `198.51.100.${Math.floor(i / 4)}`));
    for (let i = 0; i < guesses.length; i += 10) {
      const answers = await Promise.all(guesses.slice(i, i + 10).map((g) => g()));
      expect(answers.map((a) => a.status)).toEqual(Array(answers.length).fill(400));
    }
    const refused = await signIn(owner.email, TEST_PASSWORD, "203.0.113.50");
    expect(refused.status).toBe(429);
    expect(refused.body.formErrors[0]).toMatch(/Password sign-in for it is paused for (23 hours and \d+ minutes|1 day); use "Email me a sign-in link"/);
    expect(refused.headers.get("Set-Cookie")).toBeNull();
    // The same words for an address with no account behind it, once it is at its bound too.
    const unknown = "nobody-target@example.org";
    for (let a = 0; a < 25; a++) await Promise.all(Array.from({ length: 4 }, () => signIn(unknown, "guess", `198.51.101.${a}`)));
    expect((await signIn(unknown, TEST_PASSWORD, "203.0.113.50")).body.formErrors).toEqual(refused.body.formErrors);

    const asked = await askForLink(owner.email, "203.0.113.50");
    expect(asked.status).toBe(200);
    expect(asked.body.linkSent).toMatch(/If an account exists for that address, we have sent a link/);
    expect(asked.body.values).toEqual({ intent: "link", email: owner.email });
    const token = await tokenFromMailbox(owner.email);
    const stored = await db.selectFrom("sign_in_links").selectAll().where("user_id", "=", owner.id).executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token); // only the hash is kept
    expect(stored.requested_ip).toBe("203.0.113.50");

    // Opening the link (as a mail scanner would) does not use it.
    expect((await openLink(token)).body).toMatchObject({ usable: true, email: owner.email });
    expect((await openLink(token)).status).toBe(200);

    const used = await useLink(token, "203.0.113.50");
    expect(used.status).toBe(302);
    expect(used.headers.get("Location")).toBe("/");
    expect((await getSessionUser(getRequest("/", cookieFrom(used.headers)), db))?.id).toBe(owner.id);
    const audit = await db.selectFrom("audit_log").selectAll().where("action", "=", "user.signed_in").where("actor_user_id", "=", owner.id).execute();
    expect(JSON.parse(audit.at(-1)!.detail!)).toMatchObject({ method: "link" });

    // Single use: a second press, or a second visit, finds it gone.
    const again = await useLink(token, "203.0.113.50");
    expect(again.status).toBe(410);
    expect(again.headers.get("Set-Cookie")).toBeNull();
    expect((await openLink(token)).status).toBe(410);
    // The bound still holds for the password: the owner's link does not reopen it for guessers.
    expect((await signIn(owner.email, TEST_PASSWORD, "203.0.113.51")).status).toBe(429);
  }, 60_000); // 200 real password checks
});

describe("sign-in links", () => {
  it("answers an unknown address exactly as a known one, and mails nothing", async () => {
    await createUser(db, { email: "known@example.org" });
    const known = await askForLink("known@example.org", "192.0.2.1");
    const unknown = await askForLink("unknown@example.org", "192.0.2.1");
    expect(unknown.status).toBe(known.status);
    expect(unknown.body.linkSent).toBe(known.body.linkSent);
    expect(await mailsTo("known@example.org")).toHaveLength(1);
    expect(await mailsTo("unknown@example.org")).toHaveLength(0);
  });

  it("works for 15 minutes only, and only once even when pressed twice at the same moment", async () => {
    const user = await createUser(db, { email: "clock@example.org" });
    const start = new Date();
    const minutes = (n: number) => new Date(start.getTime() + n * 60_000);
    const late = await createSignInLink(db, user.id, null, start);
    expect(await consumeSignInLink(db, late.token, minutes(15))).toBeNull();
    const inTime = await createSignInLink(db, user.id, null, start);
    const [a, b] = await Promise.all([consumeSignInLink(db, inTime.token, minutes(14)), consumeSignInLink(db, inTime.token, minutes(14))]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    expect((a ?? b)?.id).toBe(user.id);
  });

  it("shows a page leading back to /login for an expired link", async () => {
    await createUser(db, { email: "late@example.org" });
    await askForLink("late@example.org", "192.0.2.2");
    const token = await tokenFromMailbox("late@example.org");
    await db.updateTable("sign_in_links").set({ expires_at: "2000-01-01T00:00:00.000Z" }).where("used_at", "is", null).execute();
    const page = await openLink(token);
    expect(page.status).toBe(410);
    expect(page.body).toMatchObject({ usable: false });
    expect((await useLink(token)).status).toBe(410);
    expect((await useLink("not-a-real-token")).status).toBe(410);
  });

  it("refuses more than 3 links an hour for one email, known or not, and 10 from one address", async () => {
    await createUser(db, { email: "flooded@example.org" });
    for (const email of ["flooded@example.org", "never-existed@example.org"]) {
      for (let i = 0; i < 3; i++) expect((await askForLink(email, `192.0.2.${20 + i}`)).status).toBe(200);
      const refused = await askForLink(email, "192.0.2.30");
      expect(refused.status).toBe(429);
      expect(refused.body.formErrors[0]).toBe("Too many sign-in links have been requested for this address. Please wait 1 hour and try again.");
      expect(refused.body.values.intent).toBe("link"); // the answer belongs to the link form
    }
    expect(await mailsTo("flooded@example.org")).toHaveLength(3);

    for (let i = 0; i < 10; i++) expect((await askForLink(`spray${i}@example.org`, "192.0.2.40")).status).toBe(200);
    const refused = await askForLink("spray10@example.org", "192.0.2.40");
    expect(refused.status).toBe(429);
    expect(refused.body.formErrors[0]).toMatch(/^Too many sign-in links have been requested from your network\. Please wait (1 hour|59 minutes)/);
  });

  it("checks the address beside the link form's field", async () => {
    const res = await askForLink("not-an-email", "192.0.2.50");
    expect(res.status).toBe(400);
    expect(res.body.errors.email[0]).toMatch(/valid email/);
    expect(res.body.values).toMatchObject({ intent: "link", email: "not-an-email" });
  });
});
