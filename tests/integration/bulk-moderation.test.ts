// Bulk moderation through the real loaders and actions (issue #11): the moderation
// page's "all with no possible duplicate", the confirmation page that stores nothing,
// and the batch decision that goes through decideSignature one sign-on at a time, so a
// failing twin leaves the others decided, each audited and each emailed.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { loader as moderationLoader } from "~/routes/statements.$slug.moderation";
import { action, loader } from "~/routes/statements.$slug.moderation_.bulk";
import { submitSignature, verifySignature } from "~/models/signature.server";
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
  return db
    .insertInto("statements")
    .values({ slug: `bulk-${n}`, title: `Bulk statement ${n}`, statement_date: "2025-01-14", status: "open", body_markdown: "Text." })
    .returningAll()
    .executeTakeFirstOrThrow();
}

let m = 0;
async function pending(statementId: number, over: Partial<SignOnInput> = {}) {
  m++;
  const input: SignOnInput = {
    // Random names: sequential ones ("Group 12", "Group 13") are one typo apart, so similar.
    name: `Coalition ${randomUUID().slice(0, 8)}`, acronym: null, country: "KE", website: null, contact_name: "Wanjiru", contact_title: "Director",
    email: `office${m}@bulk${m}.example.net`, note: null, consent: "yes", ...over,
  };
  const stored = await submitSignature(db, statementId, input, "192.0.2.1");
  if (!stored.ok) throw new Error(stored.message);
  expect(await verifySignature(db, stored.verifyToken, null)).not.toBeNull();
  return stored.signatureId;
}

const confirmation = (slug: string, search: string, cookie = coordinator) => settle(call(loader, getRequest(`/statements/${slug}/moderation/bulk${search}`, cookie), { slug }));
const decide = (slug: string, form: Record<string, string | string[]>, cookie = coordinator) => settle(call(action, postRequest(`/statements/${slug}/moderation/bulk`, form, cookie), { slug }));
const status = async (id: number) => (await db.selectFrom("signatures").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status;
const audits = (action: string, id: number) => db.selectFrom("audit_log").selectAll().where("action", "=", action).where("subject_id", "=", String(id)).execute();
const mailsTo = (address: string) => db.selectFrom("mailbox_messages").selectAll().where("to_addresses", "like", `%${address}%`).execute();
const counts = async () => ({
  audit: Number((await db.selectFrom("audit_log").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n),
  mail: Number((await db.selectFrom("mailbox_messages").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n),
});

describe("bulk moderation", () => {
  it("refuses members and anonymous visitors, for the confirmation and the decision", async () => {
    const s = await statement();
    const id = await pending(s.id);
    expect((await confirmation(s.slug, `?decision=approve&ids=${id}`, member)).status).toBe(403);
    expect((await decide(s.slug, { decision: "approve", ids: [String(id)] }, member)).status).toBe(403);
    expect((await decide(s.slug, { decision: "approve", ids: [String(id)] }, "")).status).toBe(302);
    expect(await status(id)).toBe("pending");
  });

  it("selects all with no possible duplicate, and its confirmation stores nothing", async () => {
    const s = await statement();
    const clean = [await pending(s.id), await pending(s.id), await pending(s.id)];
    const twinA = await pending(s.id, { name: "Kenya Human Rights Commission" });
    const twinB = await pending(s.id, { name: "kenya human rights commission." });
    const sameDomainA = await pending(s.id, { name: "Totally Different Group", email: "a@shared.example.net" });
    const sameDomainB = await pending(s.id, { name: "Another Unrelated Body", email: "b@shared.example.net" });

    const queuePage = await settle(call(moderationLoader, getRequest(`/statements/${s.slug}/moderation`, coordinator), { slug: s.slug }));
    expect(queuePage.body.withoutDuplicates).toBe(clean.length);

    const before = await counts();
    const res = await confirmation(s.slug, "?select=no-duplicates&decision=approve");
    expect(res.status).toBe(200);
    expect(res.body.items.map((g: { id: number }) => g.id)).toEqual(clean);
    expect(res.body.filter).toBe("with no possible duplicate");
    expect(res.body.items[0].link).toEqual({ kind: "new" });
    // Looking is free: no status, audit entry or email changed.
    expect(await counts()).toEqual(before);
    for (const id of [...clean, twinA, twinB, sameDomainA, sameDomainB]) expect(await status(id)).toBe("pending");
  });

  it("lists ticked ids only while they wait, saying how many were left out", async () => {
    const s = await statement();
    const [a, b] = [await pending(s.id), await pending(s.id)];
    await decide(s.slug, { decision: "approve", ids: [String(b)] });
    const res = await confirmation(s.slug, `?decision=reject&ids=${a}&ids=${b}&ids=999999`);
    expect(res.body.items.map((g: { id: number }) => g.id)).toEqual([a]);
    expect(res.body).toMatchObject({ decision: "reject", missing: 2 });
  });

  it("approves many; an approved twin fails with its reason and the others go through, each audited and emailed", async () => {
    const s = await statement();
    const first = await pending(s.id, { name: "Asia Justice Coalition", email: "one@ajc.example.net" });
    const twin = await pending(s.id, { name: "asia justice coalition", email: "two@ajc2.example.net" });
    const others = [await pending(s.id), await pending(s.id), await pending(s.id)];
    const ids = [first, twin, ...others];

    const res = await decide(s.slug, { decision: "approve", ids: ids.map(String) });
    expect(res.status).toBe(200);
    expect(res.body.decided.map((d: { id: number }) => d.id)).toEqual([first, ...others]);
    expect(res.body.failed).toEqual([{ id: twin, name: "asia justice coalition", message: expect.stringMatching(/already an approved signatory/) }]);
    expect(await status(twin)).toBe("pending");
    for (const id of [first, ...others]) {
      expect(await status(id)).toBe("approved");
      expect(await audits("signature.approved", id)).toHaveLength(1);
      const row = await db.selectFrom("signatures").select(["contact_email", "organisation_id"]).where("id", "=", id).executeTakeFirstOrThrow();
      expect(row.organisation_id).not.toBeNull();
      const mail = await mailsTo(row.contact_email!);
      expect(mail.map((x) => x.subject)).toEqual(expect.arrayContaining([expect.stringMatching(/now listed/)]));
    }
    expect(await audits("signature.approved", twin)).toHaveLength(0);
  });

  it("rejects many only with one reason, which every contact is told", async () => {
    const s = await statement();
    const ids = [await pending(s.id), await pending(s.id)];
    const noReason = await decide(s.slug, { decision: "reject", ids: ids.map(String), reason: "" });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors.reason[0]).toMatch(/Reason is required/);
    for (const id of ids) expect(await status(id)).toBe("pending");

    const res = await decide(s.slug, { decision: "reject", ids: ids.map(String), reason: "Not a civil society organisation." });
    expect(res.body.decided).toHaveLength(2);
    for (const id of ids) {
      expect(await status(id)).toBe("rejected");
      const [entry] = await audits("signature.rejected", id);
      expect(JSON.parse(entry.detail!)).toMatchObject({ reason: "Not a civil society organisation." });
    }
  });

  it("refuses an empty batch without a 500", async () => {
    const s = await statement();
    const res = await decide(s.slug, { decision: "approve" });
    expect(res.status).toBe(400);
    expect(res.body.formErrors[0]).toMatch(/Choose sign-ons/);
  });
});
