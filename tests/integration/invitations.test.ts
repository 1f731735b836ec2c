// Inviting colleagues end to end through the People and invitation routes, with the
// invitation email captured by the sandbox mailer in this file's database.
import { beforeAll, describe, expect, it } from "vitest";
import { action as peopleAction, loader as peopleLoader } from "~/routes/people";
import { action as acceptAction, loader as acceptLoader } from "~/routes/invitations.$token";
import { getSessionUser } from "~/platform/session.server";
import type { DB } from "~/platform/db.server";
import { migratedDb } from "../setup/db";
import { call, createOrganisation, createUser, getRequest, postRequest, sessionCookie, settle } from "../factories";

let db: DB;
let coordinatorCookie: string;
let orgId: number;
beforeAll(async () => {
  db = await migratedDb({ countries: false });
  const coordinator = await createUser(db, { role: "coordinator", email: "boss@example.org" });
  coordinatorCookie = await sessionCookie(db, coordinator.id);
  orgId = (await createOrganisation(db, { name: "Norwegian Helsinki Committee" })).id;
});

const invite = (fields: Record<string, string>, cookie = coordinatorCookie) =>
  settle(call(peopleAction, postRequest("/people", { intent: "invite", role: "member", organisationId: String(orgId), ...fields }, cookie)));

async function tokenFromMailbox(email: string): Promise<string> {
  const message = await db.selectFrom("mailbox_messages").selectAll().where("to_addresses", "like", `%${email}%`).orderBy("id", "desc").executeTakeFirstOrThrow();
  const match = /\/invitations\/([A-Za-z0-9_-]+)/.exec(message.text_body ?? "");
  expect(match, "invitation link in the text part").not.toBeNull();
  expect(message.html_body).toContain(`/invitations/${match![1]}`);
  return match![1];
}

const accept = (token: string, password = "a long enough password", confirm = password) =>
  settle(call(acceptAction, postRequest(`/invitations/${token}`, { newPassword: password, confirmPassword: confirm }), { token }));

describe("inviting", () => {
  it("emails a single-use link that creates a member of the chosen organisation", async () => {
    const res = await invite({ name: "Maria Member", email: "Maria@Example.org" });
    expect(res.status).toBe(302);
    const token = await tokenFromMailbox("maria@example.org");

    const page = await settle(call(acceptLoader, getRequest(`/invitations/${token}`), { token }));
    expect(page.body).toMatchObject({ name: "Maria Member", email: "maria@example.org", role: "member", organisation: "Norwegian Helsinki Committee" });

    const mismatch = await accept(token, "a long enough password", "another password");
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.errors.confirmPassword[0]).toMatch(/do not match/);

    const done = await accept(token);
    expect(done.status).toBe(302);
    const cookie = (done.headers.get("Set-Cookie") ?? "").split(";")[0];
    const user = await getSessionUser(getRequest("/", cookie), db);
    expect(user).toMatchObject({ email: "maria@example.org", role: "member", organisation_id: orgId });

    expect((await accept(token)).status).toBe(410); // used
    expect((await settle(call(acceptLoader, getRequest(`/invitations/${token}`), { token }))).status).toBe(410);
    const actions = (await db.selectFrom("audit_log").select("action").execute()).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["invitation.created", "invitation.accepted"]));
  });

  it("refuses expired and withdrawn links with the same message", async () => {
    await invite({ name: "Late Larry", email: "larry@example.org" });
    const expired = await tokenFromMailbox("larry@example.org");
    await db.updateTable("invitations").set({ expires_at: "2000-01-01T00:00:00.000Z" }).where("email", "=", "larry@example.org").execute();
    const late = await accept(expired);
    expect(late.status).toBe(410);

    await invite({ name: "Wendy Withdrawn", email: "wendy@example.org" });
    const withdrawn = await tokenFromMailbox("wendy@example.org");
    const row = await db.selectFrom("invitations").select("id").where("email", "=", "wendy@example.org").executeTakeFirstOrThrow();
    await settle(call(peopleAction, postRequest("/people", { intent: "revoke-invitation", invitationId: String(row.id) }, coordinatorCookie)));
    const gone = await accept(withdrawn);
    expect(gone.status).toBe(410);
    expect(gone.body).toBe(late.body);
    expect(await db.selectFrom("users").select("id").where("email", "in", ["larry@example.org", "wendy@example.org"]).execute()).toHaveLength(0);
    expect((await accept("not-a-real-token")).body).toBe(late.body);
  });

  it("says what is wrong beside each field, keeps the input, and writes nothing", async () => {
    const before = await db.selectFrom("invitations").select("id").execute();
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ name: "", email: "x@example.org" }, "name", /required/],
      [{ name: "X".repeat(100_000), email: "x@example.org" }, "name", /at most/],
      [{ name: "Evil\r\nBcc: victim@example.org", email: "x@example.org" }, "name", /single line/],
      [{ name: "Someone", email: "not an email" }, "email", /valid email/],
      [{ name: "Someone", email: "x@example.org", organisationId: "" }, "organisationId", /choose one/],
      [{ name: "Someone", email: "x@example.org", role: "admin" }, "role", /coordinator or member/],
      [{ name: "Someone", email: "boss@example.org" }, "email", /already has an account/],
    ];
    for (const [fields, field, message] of cases) {
      const res = await invite(fields);
      expect(res.status, JSON.stringify(fields).slice(0, 80)).toBe(400);
      expect(res.body.errors[field]?.[0]).toMatch(message);
      if (fields.email) expect(res.body.values.email).toBe(fields.email);
    }
    expect(await db.selectFrom("invitations").select("id").execute()).toEqual(before);
  });

  it("stores a name with markup as plain text", async () => {
    const res = await invite({ name: "<script>alert(1)</script>", email: "markup@example.org" });
    expect(res.status).toBe(302);
    const row = await db.selectFrom("invitations").select("name").where("email", "=", "markup@example.org").executeTakeFirstOrThrow();
    expect(row.name).toBe("<script>alert(1)</script>");
    const message = await db.selectFrom("mailbox_messages").selectAll().where("to_addresses", "like", "%markup@example.org%").executeTakeFirstOrThrow();
    expect(message.html_body).not.toContain("<script>alert(1)</script>");
    expect(message.html_body).toContain("&lt;script&gt;");
  });

  it("is for coordinators only", async () => {
    const member = await createUser(db, { role: "member", organisationId: orgId });
    const cookie = await sessionCookie(db, member.id);
    expect((await settle(call(peopleLoader, getRequest("/people", cookie)))).status).toBe(403);
    expect((await invite({ name: "Sneaky", email: "sneaky@example.org" }, cookie)).status).toBe(403);
    expect((await settle(call(peopleLoader, getRequest("/people")))).status).toBe(302);
  });
});

describe("roles", () => {
  it("changes a role with an audit entry, and never demotes the last coordinator", async () => {
    const person = await createUser(db, { role: "member", organisationId: orgId });
    const promote = await settle(call(peopleAction, postRequest("/people", { intent: "change-role", userId: String(person.id), role: "coordinator", organisationId: "" }, coordinatorCookie)));
    expect(promote.status).toBe(302);
    const entry = await db.selectFrom("audit_log").selectAll().where("action", "=", "user.role_changed").orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(JSON.parse(entry.detail!)).toMatchObject({ from: "member", to: "coordinator" });

    // Demote everyone, the acting coordinator last: that last demotion must be refused.
    const coordinators = await db.selectFrom("users").select(["id", "email"]).where("role", "=", "coordinator").orderBy((eb) => eb("email", "=", "boss@example.org")).execute();
    const results = [];
    for (const c of coordinators) {
      results.push(await settle(call(peopleAction, postRequest("/people", { intent: "change-role", userId: String(c.id), role: "member", organisationId: String(orgId) }, coordinatorCookie))));
    }
    expect(results.at(-1)!.status).toBe(400);
    expect(results.at(-1)!.body.formErrors[0]).toMatch(/last coordinator/);
    const left = await db.selectFrom("users").select("id").where("role", "=", "coordinator").execute();
    expect(left).toHaveLength(1);
  });
});

describe("a race with an account made meanwhile", () => {
  it("leaves the invitation unused when the address got an account in between", async () => {
    await invite({ name: "Racy Rita", email: "racy@example.org" });
    const token = await tokenFromMailbox("racy@example.org");
    await createUser(db, { email: "racy@example.org" });
    expect((await accept(token)).status).toBe(410);
    const row = await db.selectFrom("invitations").select("accepted_at").where("email", "=", "racy@example.org").executeTakeFirstOrThrow();
    expect(row.accepted_at).toBeNull();
  });
});
