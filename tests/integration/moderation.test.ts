// The coordinators' moderation page through its real loader and action: who gets in,
// the queue with duplicates beside each sign-on, and every action with its audit
// entry, its email, and (when the public list changes) the statement's version bump.
import { beforeAll, describe, expect, it } from "vitest";
import { action, loader } from "~/routes/statements.$slug.moderation";
import { submitSignature, verifySignature } from "~/models/signature.server";
import { approvedSignatories } from "~/models/signatory-list.server";
import type { SignOnInput } from "~/schemas/signature.server";
import type { DB } from "~/platform/db.server";
import { migratedDb } from "../setup/db";
import { call, createOrganisation, createUser, getRequest, postRequest, sessionCookie, settle } from "../factories";

let db: DB;
let coordinator: string;
let member: string;
beforeAll(async () => {
  db = await migratedDb();
  coordinator = await sessionCookie(db, (await createUser(db, { role: "coordinator" })).id);
  const org = await createOrganisation(db, { name: "Member Org" });
  member = await sessionCookie(db, (await createUser(db, { role: "member", organisationId: org.id })).id);
});

let n = 0;
async function statement() {
  n++;
  const s = await db
    .insertInto("statements")
    .values({ slug: `moderated-${n}`, title: `Moderated statement ${n}`, statement_date: "2025-01-14", status: "open", body_markdown: "Text." })
    .returningAll()
    .executeTakeFirstOrThrow();
  await db.insertInto("statement_footnotes").values({ statement_id: s.id, mark: "*", text: "The Asia Justice Coalition secretariat signs on behalf of its members." }).execute();
  return s;
}

let m = 0;
/** A verified sign-on (status pending), made through the model as the form would. */
async function pending(statementId: number, over: Partial<SignOnInput> = {}) {
  m++;
  const input: SignOnInput = {
    name: `Organisation ${m}`, acronym: null, country: "KE", website: null, contact_name: "Wanjiru", contact_title: "Director",
    email: `office${m}@org${m}.example.net`, note: null, consent: "yes", ...over,
  };
  const stored = await submitSignature(db, statementId, input, "192.0.2.1");
  if (!stored.ok) throw new Error(stored.message);
  expect(await verifySignature(db, stored.verifyToken, null)).not.toBeNull();
  return stored.signatureId;
}

const post = (slug: string, form: Record<string, string>, cookie = coordinator) => settle(call(action, postRequest(`/statements/${slug}/moderation`, form, cookie), { slug }));
const page = (slug: string, search = "", cookie = coordinator) => settle(call(loader, getRequest(`/statements/${slug}/moderation${search}`, cookie), { slug }));
const version = async (id: number) => (await db.selectFrom("statements").select("version").where("id", "=", id).executeTakeFirstOrThrow()).version;
const row = (id: number) => db.selectFrom("signatures").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const audit = (action: string, id: number) => db.selectFrom("audit_log").selectAll().where("action", "=", action).where("subject_id", "=", String(id)).executeTakeFirst();

describe("access", () => {
  it("sends anonymous visitors to log in and refuses members, for the page and its actions", async () => {
    const s = await statement();
    const id = await pending(s.id);
    const anonymous = await page(s.slug, "", "");
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
    expect((await post(s.slug, { intent: "approve", signatureId: String(id) }, "")).status).toBe(302);
    expect((await page(s.slug, "", member)).status).toBe(403);
    expect((await post(s.slug, { intent: "approve", signatureId: String(id) }, member)).status).toBe(403);
    expect((await row(id)).status).toBe("pending");
  });

  it("answers 404 for an unknown statement", async () => {
    expect((await page("no-such-statement")).status).toBe(404);
  });
});

describe("the queue", () => {
  it("lists verified sign-ons oldest first with every field, and duplicates with reasons and status", async () => {
    const s = await statement();
    const approved = await pending(s.id, { name: "Amnesty International", acronym: "AI", email: "press@amnesty.example.net" });
    // Signed before the first one was approved (afterwards the form would refuse it).
    const first = await pending(s.id, { name: "amnesty  international.", note: "Our Kenyan section signs.", website: "https://amnesty.example.net" });
    await post(s.slug, { intent: "approve", signatureId: String(approved) });
    const second = await pending(s.id, { name: "Amnesty Internationall", acronym: "A.I." });
    const third = await pending(s.id, { name: "Kenya Human Rights Commission", email: "info@amnesty.example.net" });
    const unrelated = await pending(s.id, { name: "Al-Haq" });
    await pending(s.id, { name: "Al-Haq Europe" });
    // Not verified: not in the queue.
    await submitSignature(db, s.id, { name: "Unverified Org", acronym: null, country: "KE", website: null, contact_name: "X", contact_title: "Y", email: "u@u.example.net", note: null, consent: "yes" }, null);

    const res = await page(s.slug);
    expect(res.status).toBe(200);
    const { queue, counts } = res.body;
    expect(queue.map((g: { id: number }) => g.id)).toEqual([first, second, third, unrelated, unrelated + 1]);
    expect(counts).toMatchObject({ approved: 1, pending: 5, unverified: 1 });
    expect(queue[0]).toMatchObject({ organisation_name: "amnesty  international.", note: "Our Kenyan section signs.", website: "https://amnesty.example.net", contact_name: "Wanjiru", contact_title: "Director", country_code: "KE" });
    expect(queue[0].duplicates).toEqual(
      expect.arrayContaining([{ id: approved, name: "Amnesty International", status: "approved", exact: true, reasons: ["same name"] }]),
    );
    expect(queue[1].duplicates).toEqual(
      expect.arrayContaining([{ id: approved, name: "Amnesty International", status: "approved", exact: false, reasons: ["similar name", "same acronym"] }]),
    );
    expect(queue[2].duplicates).toEqual([{ id: approved, name: "Amnesty International", status: "approved", exact: false, reasons: ["same email domain"] }]);
    // "Al-Haq" and "Al-Haq Europe" are two organisations.
    expect(queue[3].duplicates).toEqual([]);
  });

  it("lists approved signatories in display order, searchable", async () => {
    const s = await statement();
    for (const name of ["Women's Initiatives for Gender Justice", "Avocats Sans Frontières", "Ñandutí Human Rights"]) {
      await post(s.slug, { intent: "approve", signatureId: String(await pending(s.id, { name })) });
    }
    const all = (await page(s.slug)).body.approved;
    expect(all.total).toBe(3);
    expect(all.shown.map((g: { name: string }) => g.name)).toEqual(["Avocats Sans Frontières", "Ñandutí Human Rights", "Women's Initiatives for Gender Justice"]);
    const found = (await page(s.slug, "?q=frontieres")).body.approved;
    expect(found.shown.map((g: { name: string }) => g.name)).toEqual(["Avocats Sans Frontières"]);
    expect((await page(s.slug, "?q=nandut")).body.approved.matching).toBe(1);
  });
});

describe("decisions", () => {
  it("approves: listed publicly, version bumped, audited, emailed", async () => {
    const s = await statement();
    const id = await pending(s.id, { name: "Asia Justice Coalition", email: "ajc@ajc.example.net" });
    const before = await version(s.id);
    const res = await post(s.slug, { intent: "approve", signatureId: String(id) });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/statements/${s.slug}/moderation?done=approved`);
    expect(await version(s.id)).toBeGreaterThan(before);
    expect((await row(id)).decided_at).toBeTruthy();
    expect(await audit("signature.approved", id)).toBeTruthy();
    expect((await approvedSignatories(db, s.id, "en")).map((g) => g.name)).toEqual(["Asia Justice Coalition"]);
    const mail = await db.selectFrom("mailbox_messages").selectAll().where("to_addresses", "like", "%ajc@ajc.example.net%").orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(mail.subject).toMatch(/now listed/);
    // Approving twice is refused with a message.
    const again = await post(s.slug, { intent: "approve", signatureId: String(id) });
    expect(again.status).toBe(409);
    expect(again.body.formErrors[0]).toMatch(/cannot be approved: it is approved/);
  });

  it("rejects only with a reason, shown beside that sign-on", async () => {
    const s = await statement();
    const id = await pending(s.id);
    const missing = await post(s.slug, { intent: "reject", signatureId: String(id), reason: "" });
    expect(missing.status).toBe(400);
    expect(missing.body.errors.reason[0]).toMatch(/Reason is required/);
    expect(missing.body.values).toMatchObject({ intent: "reject", signatureId: String(id) });
    expect((await row(id)).status).toBe("pending");
    expect((await post(s.slug, { intent: "reject", signatureId: String(id), reason: "Not an organisation." })).status).toBe(302);
    expect(await row(id)).toMatchObject({ status: "rejected", rejection_reason: "Not an organisation." });
    expect(JSON.parse((await audit("signature.rejected", id))!.detail!)).toMatchObject({ reason: "Not an organisation." });
  });

  it("refuses to act on another statement's signature", async () => {
    const s = await statement();
    const other = await statement();
    const id = await pending(other.id);
    const res = await post(s.slug, { intent: "approve", signatureId: String(id) });
    expect(res.status).toBe(409);
    expect(res.body.formErrors[0]).toMatch(/no such signature/);
    expect((await row(id)).status).toBe("pending");
  });

  it("refuses unknown actions and bad ids without a 500", async () => {
    const s = await statement();
    expect((await post(s.slug, { intent: "delete-everything", signatureId: "1" })).status).toBe(400);
    const bad = await post(s.slug, { intent: "approve", signatureId: "abc" });
    expect(bad.status).toBe(400);
    expect(bad.body.formErrors[0]).toMatch(/Choose a signature/);
  });
});

describe("adjusting the list", () => {
  it("edits the displayed name: public list and version follow, blank restores the typed name", async () => {
    const s = await statement();
    const id = await pending(s.id, { name: "amnesty intl" });
    await post(s.slug, { intent: "approve", signatureId: String(id) });
    const before = await version(s.id);
    expect((await post(s.slug, { intent: "display-name", signatureId: String(id), display_name: "Amnesty International" })).status).toBe(302);
    expect(await version(s.id)).toBeGreaterThan(before);
    expect((await approvedSignatories(db, s.id, "en"))[0].name).toBe("Amnesty International");
    expect(await audit("signature.display_name_changed", id)).toBeTruthy();

    const hostile = await post(s.slug, { intent: "display-name", signatureId: String(id), display_name: "Amnesty\r\nInternational" });
    expect(hostile.status).toBe(400);
    expect(hostile.body.errors.display_name[0]).toMatch(/single line/);

    await post(s.slug, { intent: "display-name", signatureId: String(id), display_name: "" });
    expect((await approvedSignatories(db, s.id, "en"))[0].name).toBe("amnesty intl");
  });

  it("attaches one of the statement's footnote marks, refuses others, and clears it", async () => {
    const s = await statement();
    const id = await pending(s.id, { name: "Asia Justice Coalition" });
    await post(s.slug, { intent: "approve", signatureId: String(id) });
    const before = await version(s.id);
    expect((await post(s.slug, { intent: "footnote", signatureId: String(id), footnote_mark: "*" })).status).toBe(302);
    expect(await version(s.id)).toBeGreaterThan(before);
    expect((await approvedSignatories(db, s.id, "en"))[0].footnoteMark).toBe("*");

    const unknown = await post(s.slug, { intent: "footnote", signatureId: String(id), footnote_mark: "†" });
    expect(unknown.status).toBe(409);
    expect(unknown.body.formErrors[0]).toMatch(/not one of this statement's footnote marks/);
    expect((await row(id)).footnote_mark).toBe("*");

    await post(s.slug, { intent: "footnote", signatureId: String(id), footnote_mark: "" });
    expect((await row(id)).footnote_mark).toBeNull();
    expect(await audit("signature.footnote_changed", id)).toBeTruthy();
  });

  it("removes an approved signature only after confirmation and with a reason", async () => {
    const s = await statement();
    const id = await pending(s.id, { name: "Impostor Org" });
    await post(s.slug, { intent: "approve", signatureId: String(id) });

    const confirmation = await page(s.slug, `?remove=${id}`);
    expect(confirmation.body.removing).toEqual({ id, name: "Impostor Org" });
    const unconfirmed = await post(s.slug, { intent: "remove", signatureId: String(id), reason: "Did not exist." });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.body.errors.confirm[0]).toMatch(/confirm/);
    const noReason = await post(s.slug, { intent: "remove", signatureId: String(id), reason: "", confirm: "yes" });
    expect(noReason.status).toBe(400);
    expect((await row(id)).status).toBe("approved");

    const before = await version(s.id);
    expect((await post(s.slug, { intent: "remove", signatureId: String(id), reason: "Did not exist.", confirm: "yes" })).status).toBe(302);
    expect(await version(s.id)).toBeGreaterThan(before);
    expect(await row(id)).toMatchObject({ status: "removed" });
    expect((await row(id)).removed_at).toBeTruthy();
    expect(await approvedSignatories(db, s.id, "en")).toEqual([]);
    const entry = await audit("signature.removed", id);
    expect(JSON.parse(entry!.detail!)).toMatchObject({ reason: "Did not exist.", name: "Impostor Org" });
    expect(entry!.actor_user_id).not.toBeNull();

    // Not approved any more: nothing to remove, and no confirmation offered.
    expect((await post(s.slug, { intent: "remove", signatureId: String(id), reason: "Again.", confirm: "yes" })).status).toBe(409);
    expect((await page(s.slug, `?remove=${id}`)).body.removing).toBeNull();
  });

  it("leaves the version alone when only a pending sign-on is adjusted", async () => {
    const s = await statement();
    const id = await pending(s.id);
    const before = await version(s.id);
    await post(s.slug, { intent: "display-name", signatureId: String(id), display_name: "Shown Differently" });
    await post(s.slug, { intent: "footnote", signatureId: String(id), footnote_mark: "*" });
    expect(await version(s.id)).toBe(before);
    expect(await row(id)).toMatchObject({ display_name: "Shown Differently", footnote_mark: "*" });
  });
});
