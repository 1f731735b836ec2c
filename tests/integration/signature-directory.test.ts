// Approval and the organisation directory (issue #11): the queue says before approval
// which organisation a sign-on will be linked to (or that it will be added), approval
// does exactly that, and a near twin of a directory organisation that has not signed
// this statement is flagged as "similar".
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { action, loader } from "~/routes/statements.$slug.moderation";
import { submitSignature, verifySignature } from "~/models/signature.server";
import type { SignOnInput } from "~/schemas/signature.server";
import type { DB } from "~/platform/db.server";
import { migratedDb } from "../setup/db";
import { call, createOrganisation, createUser, getRequest, postRequest, sessionCookie, settle } from "../factories";

let db: DB;
let coordinator: string;
beforeAll(async () => {
  db = await migratedDb();
  coordinator = await sessionCookie(db, (await createUser(db, { role: "coordinator" })).id);
});

let n = 0;
async function statement() {
  n++;
  return db
    .insertInto("statements")
    .values({ slug: `directory-${n}`, title: `Directory statement ${n}`, statement_date: "2025-01-14", status: "open", body_markdown: "Text." })
    .returningAll()
    .executeTakeFirstOrThrow();
}

async function pending(statementId: number, over: Partial<SignOnInput> = {}) {
  const tag = randomUUID().slice(0, 8);
  const input: SignOnInput = {
    name: `Coalition ${tag}`, acronym: null, country: "KE", website: null, contact_name: "Wanjiru", contact_title: "Director",
    email: `office@${tag}.example.net`, note: null, consent: "yes", ...over,
  };
  const stored = await submitSignature(db, statementId, input, "192.0.2.1");
  if (!stored.ok) throw new Error(stored.message);
  expect(await verifySignature(db, stored.verifyToken, null)).not.toBeNull();
  return stored.signatureId;
}

const approve = (slug: string, id: number) => settle(call(action, postRequest(`/statements/${slug}/moderation`, { intent: "approve", signatureId: String(id) }, coordinator), { slug }));
const queueItem = async (slug: string, id: number) => {
  const page = await settle(call(loader, getRequest(`/statements/${slug}/moderation`, coordinator), { slug }));
  return page.body.queue.find((g: { id: number }) => g.id === id);
};
const linkOf = async (id: number) => (await db.selectFrom("signatures").select("organisation_id").where("id", "=", id).executeTakeFirstOrThrow()).organisation_id;
const organisationCount = async () => Number((await db.selectFrom("organisations").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
const audit = (action: string, subjectId: number | string) => db.selectFrom("audit_log").selectAll().where("action", "=", action).where("subject_id", "=", String(subjectId)).executeTakeFirst();

describe("approval and the directory", () => {
  it("links a sign-on to the organisation of the same name, as the queue announced", async () => {
    const known = await createOrganisation(db, { name: "Human Rights Watch Kenya Office" });
    const s = await statement();
    const id = await pending(s.id, { name: "human rights watch  kenya office." });
    expect((await queueItem(s.slug, id)).directory).toEqual({ link: { kind: "existing", id: known.id, name: known.name, reasons: ["same name"] }, similar: [] });

    const before = await organisationCount();
    expect((await approve(s.slug, id)).status).toBe(302);
    expect(await linkOf(id)).toBe(known.id);
    expect(await organisationCount()).toBe(before);
    expect(JSON.parse((await audit("signature.linked", id))!.detail!)).toMatchObject({ organisationId: known.id, created: false });
  });

  it("links a typo of one directory name to it", async () => {
    const known = await createOrganisation(db, { name: "International Commission of Jurists" });
    const s = await statement();
    const id = await pending(s.id, { name: "International Comission of Jurists" });
    expect((await queueItem(s.slug, id)).directory.link).toMatchObject({ kind: "existing", id: known.id });
    await approve(s.slug, id);
    expect(await linkOf(id)).toBe(known.id);
  });

  it("adds an unknown organisation to the directory from the sign-on's details", async () => {
    const s = await statement();
    const id = await pending(s.id, { name: "Pan-African Lawyers Union Xq", acronym: "PALUXQ", country: "TZ", website: "https://palu.example.net" });
    expect((await queueItem(s.slug, id)).directory).toEqual({ link: { kind: "new" }, similar: [] });

    await approve(s.slug, id);
    const organisationId = await linkOf(id);
    expect(organisationId).not.toBeNull();
    const org = await db.selectFrom("organisations").selectAll().where("id", "=", organisationId!).executeTakeFirstOrThrow();
    expect(org).toMatchObject({ name: "Pan-African Lawyers Union Xq", acronym: "PALUXQ", country_code: "TZ", website: "https://palu.example.net", contact_email: null });
    expect(await audit("organisation.created", organisationId!)).toBeTruthy();
    expect(JSON.parse((await audit("signature.linked", id))!.detail!)).toMatchObject({ organisationId, created: true });
  });

  it("uses the displayed name the coordinator set, when adding", async () => {
    const s = await statement();
    const id = await pending(s.id, { name: "fidh zq" });
    await settle(call(action, postRequest(`/statements/${s.slug}/moderation`, { intent: "display-name", signatureId: String(id), display_name: "FIDH Zq International" }, coordinator), { slug: s.slug }));
    await approve(s.slug, id);
    const org = await db.selectFrom("organisations").select("name").where("id", "=", (await linkOf(id))!).executeTakeFirstOrThrow();
    expect(org.name).toBe("FIDH Zq International");
  });
});

describe("duplicates in the directory", () => {
  it("flags a near twin of a directory organisation that has not signed, without linking on acronym or domain alone", async () => {
    const known = await createOrganisation(db, { name: "Arab Organization for Human Rights Qx", acronym: "AOHRQX", contact_email: "info@aohrqx.example.net" });
    const s = await statement();
    const id = await pending(s.id, { name: "Some Other Body Entirely", acronym: "A.O.H.R.Q.X.", email: "desk@aohrqx.example.net" });
    const item = await queueItem(s.slug, id);
    expect(item.duplicates).toEqual([]);
    expect(item.directory).toEqual({ link: { kind: "new" }, similar: [{ id: known.id, name: known.name, reasons: ["same acronym", "same email domain"] }] });
  });

  it("does not flag a directory organisation that already signed this statement: the signatures show it", async () => {
    const s = await statement();
    const signed = await pending(s.id, { name: "Front Line Defenders Zx" });
    await approve(s.slug, signed);
    const id = await pending(s.id, { name: "Front Line Defendrs Zx" });
    const item = await queueItem(s.slug, id);
    expect(item.duplicates.map((d: { id: number }) => d.id)).toEqual([signed]);
    expect(item.directory.similar).toEqual([]);
    // Same organisation: approving links it to the one the other signature created.
    expect(item.directory.link).toMatchObject({ kind: "existing", id: await linkOf(signed) });
  });
});
