import { migrations } from "../../db/migrations";
// Recipient lists through their models, on this file's own database: the form rules
// (hostile input included), staleness, order, who may edit, the audit trail, CSV
// import (preview, atomic commit, per-row errors) and export, coverage, and the demo.
// Each block uses its own countries so the blocks do not see each other's entries.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { assignOrganisation, coverageOn, unassignOrganisation } from "~/models/coverage.server";
import type { ChangeContext } from "~/models/audit.server";
import { commitRecipientImport, previewRecipientImport, recipientsCsv } from "~/models/recipient-import.server";
import {
  addRecipient,
  editableCountryOr403,
  isStale,
  listRecipients,
  markRecipientsChecked,
  moveRecipient,
  removeRecipient,
  staleFrom,
  updateRecipient,
} from "~/models/recipient.server";
import { canEditCountry } from "~/models/permissions.server";
import { recipientRowSchema, recipientSchema, type RecipientInput } from "~/schemas/recipient.server";
import type { DB } from "~/platform/db.server";
import { migrateToLatest, openDatabase, rollbackOne } from "../../db/connection";
import { seedIfEmpty } from "../../app/workflows/seed/index.server";
import { loadDemoOrganisations } from "../../app/workflows/seed/organisations.server";
import { loadDemoRecipients } from "../../app/workflows/seed/recipients.server";
import demo from "../../db/seed/demo-recipients.json";
import { migratedDb } from "../setup/db";
import { createOrganisation, createUser } from "../factories";

const TODAY = "2026-11-23";
let db: DB;
let ctx: ChangeContext;
let nhcId: number;
beforeAll(async () => {
  db = await migratedDb();
  ({ nhcId } = await db.transaction().execute(async (trx) => {
    const ids = await loadDemoOrganisations(trx);
    await loadDemoRecipients(trx, { nhcId: ids.nhcId });
    return ids;
  }));
  const coordinator = await createUser(db, { role: "coordinator" });
  ctx = { actor: { id: coordinator.id, email: coordinator.email }, ip: "192.0.2.9" };
});

const entry = (fields: Partial<RecipientInput> = {}): RecipientInput => ({
  name: "Elina Valtonen", title: "Minister for Foreign Affairs", institution: "Ministry for Foreign Affairs", email: "kirjaamo.um@formin.fi",
  salutation: "Dear Minister Valtonen,", language: "en", kind: "addressee", checked_on: "2026-11-01", ...fields,
});
const auditOf = (action: string) => db.selectFrom("audit_log").selectAll().where("action", "=", action).orderBy("id").execute();
const names = async (code: string) => (await listRecipients(db, code)).map((r) => `${r.kind}:${r.position}:${r.name}`);

describe("the demo", () => {
  it("holds Norway's five recipients from the seed letter, in its order, assigned to NHC", async () => {
    const list = await listRecipients(db, "NO");
    expect(list.map((r) => [r.kind, r.position, r.name, r.title, r.institution, r.email, r.salutation, r.language, r.checked_on])).toEqual([
      ["addressee", 0, "Espen Barth Eide", "Foreign Minister of Norway", null, "post@mfa.no", "Foreign Minister Espen Barth Eide,", "en", "2025-01-14"],
      ["copy", 0, "Emilie Enger Mehl", "Minister of Justice", null, "postmottak@jd.dep.no", null, "en", "2025-01-14"],
      ["copy", 1, "Andreas Motzfeldt Kravik", "State Secretary", null, "Andreas.Motzfeldt.Kravik@mfa.no", null, "en", "2025-01-14"],
      ["copy", 2, "Monica Furnes", "Director", null, "monica.furnes@mfa.no", null, "en", "2025-01-14"],
      ["copy", 3, "Herborg Fiskaa Alvsåker", "Director", null, "herborg.fiskaa.alvsaker2@mfa.no", null, "en", "2025-01-14"],
    ]);
  });

  it("passes the same rules as the form, and a rerun adds nothing", async () => {
    const schema = recipientRowSchema(TODAY);
    for (const r of demo.countries[0].recipients) {
      const parsed = schema.safeParse({ ...r, salutation: r.salutation ?? "", checked_on: demo.countries[0].checked_on });
      expect(parsed.success && [parsed.data.email, parsed.data.language]).toEqual([r.email, r.language]);
    }
    const before = await db.selectFrom("recipients").select("id").execute();
    await db.transaction().execute((trx) => loadDemoRecipients(trx, { nhcId }));
    expect(await db.selectFrom("recipients").select("id").execute()).toHaveLength(before.length);
    expect(await db.selectFrom("organisation_countries").selectAll().where("country_code", "=", "NO").execute()).toHaveLength(1);
  });
});

describe("the migration and the seed", () => {
  it("seeds Norway's list and NHC's assignment into an empty database, and undoes its tables cleanly", async () => {
    const other = openDatabase(path.join(fs.mkdtempSync(path.join(os.tmpdir(), "recipients-")), "seed.sqlite"));
    const tables = async () => (await other.introspection.getTables()).map((t) => t.name);
    try {
      await migrateToLatest(other);
      expect(await seedIfEmpty(other, { DEMO_PASSWORD: "demo-password-for-tests", DEMO_API_TOKEN: undefined })).toMatchObject({ seeded: true });
      expect((await other.selectFrom("recipients").select("name").where("country_code", "=", "NO").orderBy("kind").orderBy("position").execute()).map((r) => r.name)).toEqual([
        "Espen Barth Eide", "Emilie Enger Mehl", "Andreas Motzfeldt Kravik", "Monica Furnes", "Herborg Fiskaa Alvsåker",
      ]);
      const assigned = await other.selectFrom("organisation_countries").innerJoin("organisations", "organisations.id", "organisation_id").select(["organisations.name", "organisation_countries.country_code"]).execute();
      expect(assigned).toEqual([{ name: "Norwegian Helsinki Committee", country_code: "NO" }]);
      // Undo migrations, newest first, up to and including the recipients one.
      for (const name of Object.keys(migrations).reverse()) {
        await rollbackOne(other);
        if (name.endsWith("_recipients")) break;
      }
      expect((await tables()).filter((t) => t === "recipients" || t === "organisation_countries")).toEqual([]);
      expect(await tables()).toEqual(expect.arrayContaining(["organisations", "statements"]));
      await migrateToLatest(other);
      expect(await tables()).toEqual(expect.arrayContaining(["recipients", "organisation_countries"]));
    } finally {
      await other.destroy();
    }
  });
});

describe("the recipient form", () => {
  const schema = recipientSchema(TODAY);
  const form = { name: "Espen Barth Eide", title: "Foreign Minister of Norway", institution: "", email: " Post@MFA.no ", salutation: "Foreign Minister Espen Barth Eide,", language: "en", kind: "addressee", checked_on: "2025-01-14" };
  const errorsOf = (fields: Record<string, string>) => {
    const r = schema.safeParse({ ...form, ...fields });
    return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join("."), i.message]));
  };

  it("accepts an entry, keeps the email's case, and writes the language tag canonically", () => {
    const r = schema.safeParse({ ...form, language: "NB-no" });
    expect(r.success && r.data).toEqual({ ...form, institution: null, email: "Post@MFA.no", language: "nb-NO" });
  });

  it("refuses line breaks and control characters, but keeps HTML as text", () => {
    expect(errorsOf({ name: "Eve\r\nBcc: victim@example.org" }).name).toMatch(/single line/);
    expect(errorsOf({ salutation: "Dear Minister,\nBcc: x@example.org" }).salutation).toMatch(/single line/);
    expect(errorsOf({ title: "Minister\u202Eevil" }).title).toMatch(/text-direction/);
    const r = schema.safeParse({ ...form, name: "<script>alert(1)</script>" });
    expect(r.success && r.data.name).toBe("<script>alert(1)</script>");
  });

  it("refuses an invalid email, an unknown language, a missing kind and impossible or future dates", () => {
    expect(errorsOf({ email: "post at mfa.no" }).email).toMatch(/valid email/);
    expect(errorsOf({ email: "a@b.no\r\nBcc: c@d.no" }).email).toMatch(/valid email/);
    expect(errorsOf({ language: "xx" }).language).toMatch(/known BCP 47/);
    expect(errorsOf({ language: "english" }).language).toMatch(/known BCP 47/);
    expect(errorsOf({ language: "" }).language).toMatch(/required/);
    expect(errorsOf({ kind: "bcc" }).kind).toMatch(/addressee or copy/);
    expect(errorsOf({ checked_on: "2025-02-30" }).checked_on).toMatch(/real calendar date/);
    expect(errorsOf({ checked_on: "2026-11-24" }).checked_on).toMatch(/after today/);
  });

  it("asks an addressee for a salutation; a copy needs none", () => {
    expect(errorsOf({ salutation: "" }).salutation).toMatch(/salutation line/);
    expect(schema.safeParse({ ...form, kind: "copy", salutation: "" }).success).toBe(true);
  });
});

describe("staleness: six calendar months", () => {
  it("turns stale on the same day six months later, not a day before", () => {
    expect(staleFrom("2025-01-14")).toBe("2025-07-14");
    expect(isStale("2025-01-14", "2025-07-13")).toBe(false);
    expect(isStale("2025-01-14", "2025-07-14")).toBe(true);
    expect(isStale("2025-01-14", TODAY)).toBe(true);
    expect(isStale(TODAY, TODAY)).toBe(false);
  });

  it("falls back to the month's last day when the month is shorter, and crosses the year", () => {
    expect(staleFrom("2025-08-31")).toBe("2026-02-28");
    expect(staleFrom("2023-08-31")).toBe("2024-02-29");
    expect(staleFrom("2025-03-31")).toBe("2025-09-30");
    expect(staleFrom("2025-12-31")).toBe("2026-06-30");
    expect(isStale("2025-08-31", "2026-02-27")).toBe(false);
    expect(isStale("2025-08-31", "2026-02-28")).toBe(true);
  });
});

describe("a country's list", () => {
  it("lists addressees first, then copies, each in their own order", async () => {
    await addRecipient(db, ctx, "FI", entry({ name: "Copy One", kind: "copy", salutation: null }));
    await addRecipient(db, ctx, "FI", entry({ name: "Addressee One" }));
    await addRecipient(db, ctx, "FI", entry({ name: "Copy Two", kind: "copy", salutation: null }));
    expect(await names("FI")).toEqual(["addressee:0:Addressee One", "copy:0:Copy One", "copy:1:Copy Two"]);
  });

  it("moves within a kind, and the first up or the last down changes nothing", async () => {
    const [, one, two] = await listRecipients(db, "FI");
    expect(await moveRecipient(db, ctx, "FI", two.id, "up")).toBe(true);
    expect(await names("FI")).toEqual(["addressee:0:Addressee One", "copy:0:Copy Two", "copy:1:Copy One"]);
    expect(await moveRecipient(db, ctx, "FI", two.id, "up")).toBe(false);
    expect(await moveRecipient(db, ctx, "FI", one.id, "down")).toBe(false);
  });

  it("puts an entry whose kind changes at the end of its new kind and closes the gap it left", async () => {
    const [addressee, copyTwo] = await listRecipients(db, "FI");
    expect(await updateRecipient(db, ctx, "FI", copyTwo.id, entry({ name: "Copy Two", kind: "addressee", salutation: "Dear Director," }))).toEqual(["salutation", "kind"]);
    expect(await names("FI")).toEqual(["addressee:0:Addressee One", "addressee:1:Copy Two", "copy:0:Copy One"]);
    expect(await updateRecipient(db, ctx, "FI", addressee.id, entry({ name: "Addressee One" }))).toEqual([]); // nothing changed, nothing written
  });

  it("removes an entry and renumbers its kind", async () => {
    const [first] = await listRecipients(db, "FI");
    await removeRecipient(db, ctx, "FI", first.id);
    expect(await names("FI")).toEqual(["addressee:0:Copy Two", "copy:0:Copy One"]);
  });

  it("finds no recipient of another country by id", async () => {
    const [norway] = await listRecipients(db, "NO");
    await expect(removeRecipient(db, ctx, "FI", norway.id)).rejects.toMatchObject({ status: 404 });
    expect(await listRecipients(db, "NO")).toHaveLength(5);
  });

  it("audits every change in its transaction, and nothing for a refused one", async () => {
    const before = (await db.selectFrom("audit_log").select("id").execute()).length;
    const id = await addRecipient(db, ctx, "FI", entry({ name: "Audited Person", checked_on: "2025-01-01" }));
    await updateRecipient(db, ctx, "FI", id, entry({ name: "Audited Person", title: "Prime Minister", checked_on: "2025-01-01" }));
    await moveRecipient(db, ctx, "FI", id, "up");
    expect(await markRecipientsChecked(db, ctx, "FI", [id], TODAY)).toBe(1);
    expect(await markRecipientsChecked(db, ctx, "FI", [id], TODAY)).toBe(0); // already today: nothing to record
    await removeRecipient(db, ctx, "FI", id);
    await expect(updateRecipient(db, ctx, "FI", id, entry())).rejects.toMatchObject({ status: 404 });
    const log = await db.selectFrom("audit_log").selectAll().where("subject_type", "=", "recipient").where("subject_id", "=", String(id)).orderBy("id").execute();
    expect(log.map((e) => e.action)).toEqual(["recipient.added", "recipient.updated", "recipient.moved", "recipient.checked", "recipient.removed"]);
    expect(log.every((e) => e.actor_user_id === ctx.actor!.id && e.ip === "192.0.2.9")).toBe(true);
    expect(JSON.parse(log[1].detail!)).toMatchObject({ country: "FI", changed: ["title"] });
    expect(JSON.parse(log[3].detail!)).toMatchObject({ previously: "2025-01-01", checkedOn: TODAY });
    expect((await db.selectFrom("audit_log").select("id").execute()).length).toBe(before + 5);
  });

  it("marks a whole list as checked today", async () => {
    await addRecipient(db, ctx, "EE", entry({ name: "Old Entry", checked_on: "2024-01-01" }));
    await addRecipient(db, ctx, "EE", entry({ name: "Older Entry", kind: "copy", salutation: null, checked_on: "2023-01-01" }));
    expect(await markRecipientsChecked(db, ctx, "EE", "all", TODAY)).toBe(2);
    expect((await listRecipients(db, "EE")).map((r) => r.checked_on)).toEqual([TODAY, TODAY]);
  });
});

describe("who may edit", () => {
  it("lets coordinators edit every country and a member only the countries its organisation covers", async () => {
    const coordinator = await createUser(db, { role: "coordinator" });
    const nhcMember = await createUser(db, { role: "member", organisationId: nhcId });
    const loner = await createUser(db, { role: "member" });
    expect(await canEditCountry(db, coordinator, "SE")).toBe(true);
    expect(await canEditCountry(db, nhcMember, "NO")).toBe(true);
    expect(await canEditCountry(db, nhcMember, "SE")).toBe(false);
    expect(await canEditCountry(db, loner, "NO")).toBe(false);
    await expect(editableCountryOr403(db, nhcMember, "se")).rejects.toMatchObject({ status: 403 });
    await expect(editableCountryOr403(db, nhcMember, "no")).resolves.toMatchObject({ code: "NO" });
    await expect(editableCountryOr403(db, coordinator, "XX")).rejects.toMatchObject({ status: 404 });
    await expect(editableCountryOr403(db, coordinator, "../")).rejects.toMatchObject({ status: 404 });
  });

  it("follows assignments, which coordinators make and end with an audit entry each", async () => {
    const org = await createOrganisation(db, { name: "Swedish Section" });
    const member = await createUser(db, { role: "member", organisationId: org.id });
    expect(await assignOrganisation(db, ctx, "SE", org.id)).toBe(true);
    expect(await assignOrganisation(db, ctx, "SE", org.id)).toBe(false); // already: nothing written
    expect(await canEditCountry(db, member, "SE")).toBe(true);
    expect(await unassignOrganisation(db, ctx, "SE", org.id)).toBe(true);
    expect(await unassignOrganisation(db, ctx, "SE", org.id)).toBe(false);
    expect(await canEditCountry(db, member, "SE")).toBe(false);
    await expect(assignOrganisation(db, ctx, "SE", 999_999)).rejects.toMatchObject({ status: 404 });
    const log = await db.selectFrom("audit_log").selectAll().where("subject_type", "=", "country").where("subject_id", "=", "SE").orderBy("id").execute();
    expect(log.map((e) => [e.action, JSON.parse(e.detail!).organisationId])).toEqual([["country.organisation_assigned", org.id], ["country.organisation_unassigned", org.id]]);
  });
});

const HEADER = "name,title,institution,email,salutation,language,kind,position,checked_on";
const csv = (...rows: string[]) => [HEADER, ...rows].join("\r\n") + "\r\n";
const ok = <T extends { ok: boolean }>(r: T) => {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r)}`);
  return r as Extract<T, { ok: true }>;
};

describe("CSV import", () => {
  it("previews every row with its line and its errors, and writes nothing", async () => {
    await addRecipient(db, ctx, "DK", entry({ name: "Lars Løkke Rasmussen", title: "Minister for Foreign Affairs", salutation: "Dear Minister," }));
    const text = csv(
      "Peter Hummelgaard,Minister of Justice,Justitsministeriet,jm@jm.dk,,da,copy,2,2026-10-01",
      "Lars Løkke Rasmussen,Minister,,um@um.dk,Dear Minister,en,addressee,1,2026-10-01",
      '"Eve\nBcc: x@example.org",Director,,not-an-email,,xx,bcc,-1,2026-02-30',
      "Someone,Director,,,,en,addressee,,2026-10-01",
      "Peter  Hummelgaard,Minister of Justice,,,,en,copy,,2020-01-01",
    );
    const { preview } = ok(await previewRecipientImport(db, "DK", "add", text, TODAY));
    expect(preview.rows.map((r) => [r.line, r.result])).toEqual([[2, "new"], [3, "duplicate"], [4, "invalid"], [6, "invalid"], [7, "duplicate"]]);
    expect(preview.rows[1].reasons[0]).toMatch(/already on the list as “Lars Løkke Rasmussen”/);
    expect(preview.rows[2].name).toBe("Eve⟨U+000A⟩Bcc: x@example.org");
    expect(preview.rows[2].reasons.join(" | ")).toMatch(/single line.*valid email.*BCP 47.*addressee or copy.*real calendar date.*negative/);
    expect(preview.rows[3].reasons).toEqual(["An addressee needs a salutation line, like “Foreign Minister Espen Barth Eide,”."]);
    expect(preview.rows[4].reasons[0]).toMatch(/same person as line 2/);
    expect(preview.rows[4].stale).toBe(true);
    expect(preview.counts).toEqual({ new: 1, duplicate: 2, invalid: 2 });
    expect(preview.blocked).toMatch(/2 rows are invalid/);
    const refused = await commitRecipientImport(db, ctx, "DK", "add", text, TODAY);
    expect(refused).toEqual({ ok: false, message: expect.stringMatching(/invalid/) });
    expect(await names("DK")).toEqual(["addressee:0:Lars Løkke Rasmussen"]);
  });

  it("refuses a file without the required columns or rows", async () => {
    expect(await previewRecipientImport(db, "DK", "add", "name,title\nA,B\n", TODAY)).toEqual({ ok: false, message: expect.stringMatching(/language, kind, checked_on/) });
    expect(await previewRecipientImport(db, "DK", "add", "Lars,Minister\n", TODAY)).toEqual({ ok: false, message: expect.stringMatching(/header line missing/) });
    expect(await previewRecipientImport(db, "DK", "add", HEADER + "\n", TODAY)).toEqual({ ok: false, message: expect.stringMatching(/no rows/) });
  });

  it("adds new rows after each kind's entries in position order, skipping people already listed, with one audit entry", async () => {
    const text = csv(
      "Second Copy,Director,,b@um.dk,,en,copy,2,2026-10-01",
      "First Copy,State Secretary,,a@um.dk,,en,copy,1,2026-10-01",
      "Lars Løkke Rasmussen,Minister,,um@um.dk,Dear Minister,en,addressee,1,2026-10-01",
      "Unnumbered Copy,Director,,,,da,copy,,2026-10-01",
    );
    const outcome = await commitRecipientImport(db, ctx, "DK", "add", text, TODAY);
    expect(outcome).toEqual({ ok: true, added: 3, skipped: 1, removed: 0 });
    expect(await names("DK")).toEqual(["addressee:0:Lars Løkke Rasmussen", "copy:0:First Copy", "copy:1:Second Copy", "copy:2:Unnumbered Copy"]);
    const [audit] = (await auditOf("recipients.imported")).slice(-1);
    expect([audit.subject_id, JSON.parse(audit.detail!)]).toEqual(["DK", { mode: "add", added: 3, skipped: 1, removed: 0, names: ["Second Copy", "First Copy", "Unnumbered Copy"] }]);
  });

  it("classifies again at confirmation: a row added since the preview is skipped, not written twice", async () => {
    const text = csv("Late Addition,Director,,,,en,copy,,2026-10-01");
    expect(ok(await previewRecipientImport(db, "DK", "add", text, TODAY)).preview.counts.new).toBe(1);
    await addRecipient(db, ctx, "DK", entry({ name: "Late Addition", kind: "copy", salutation: null }));
    expect(await commitRecipientImport(db, ctx, "DK", "add", text, TODAY)).toEqual({ ok: true, added: 0, skipped: 1, removed: 0 });
    expect((await names("DK")).filter((n) => n.endsWith("Late Addition"))).toHaveLength(1);
  });

  it("replaces the whole list, or leaves it untouched when a row fails to write", async () => {
    const before = await names("DK");
    const audits = (await auditOf("recipients.imported")).length;
    const text = csv("New Minister,Minister for Foreign Affairs,,um@um.dk,\"Dear Minister,\",en,addressee,1,2026-11-20", "Boom,Director,,,,en,copy,1,2026-11-20");
    const { preview } = ok(await previewRecipientImport(db, "DK", "replace", text, TODAY));
    expect(preview.removed.map((r) => r.name)).toEqual(before.map((n) => n.split(":")[2]));
    await sql`create trigger refuse_boom before insert on recipients when new.name = 'Boom' begin select raise(abort, 'boom'); end`.execute(db);
    try {
      await expect(commitRecipientImport(db, ctx, "DK", "replace", text, TODAY)).rejects.toThrow(/boom/);
    } finally {
      await sql`drop trigger refuse_boom`.execute(db);
    }
    expect(await names("DK")).toEqual(before);
    expect(await auditOf("recipients.imported")).toHaveLength(audits);
    expect(await commitRecipientImport(db, ctx, "DK", "replace", text, TODAY)).toEqual({ ok: true, added: 2, skipped: 0, removed: before.length });
    expect(await names("DK")).toEqual(["addressee:0:New Minister", "copy:0:Boom"]);
  });

  it("will not replace a list while a row is invalid", async () => {
    const text = csv("Bad,Director,,,,en,addressee,,2026-10-01");
    expect(ok(await previewRecipientImport(db, "DK", "replace", text, TODAY)).preview.blocked).toMatch(/invalid/);
    expect(await names("DK")).toHaveLength(2);
  });
});

describe("CSV export", () => {
  it("writes the import's columns with a BOM and CRLF, and neutralises formulas", () => {
    const rows = [{ id: 1, country_code: "NO", name: "=HYPERLINK(\"http://evil\")", title: "+Director", institution: null, email: "-x@example.org", salutation: null, language: "en", kind: "copy" as const, position: 0, checked_on: "2025-01-14", fallback_recipient_id: null, created_at: "", updated_at: "" }];
    const out = recipientsCsv(rows);
    expect(out.startsWith("\uFEFF" + HEADER + "\r\n")).toBe(true);
    expect(out).toContain(`"'=HYPERLINK(""http://evil"")",'+Director,,'-x@example.org,,en,copy,1,2025-01-14\r\n`);
  });

  it("round-trips: Norway's list exported and imported as a replacement is the same list", async () => {
    const before = await listRecipients(db, "NO");
    const text = recipientsCsv(before);
    expect(await commitRecipientImport(db, ctx, "NO", "replace", text, TODAY)).toEqual({ ok: true, added: 5, skipped: 0, removed: 5 });
    const strip = ({ id: _i, created_at: _c, updated_at: _u, ...r }: (typeof before)[number]) => r;
    expect((await listRecipients(db, "NO")).map(strip)).toEqual(before.map(strip));
  });
});

describe("coverage", () => {
  it("lists the 125 states parties of 14 January 2025 by regional group, Norway covered by NHC", async () => {
    const c = await coverageOn(db, "2025-01-14", TODAY);
    expect(c.parties).toBe(125);
    expect(c.groups.map((g) => [g.group, g.parties])).toEqual([
      ["african", 33], ["asia-pacific", 19], ["eastern-european", 20], ["latin-american-caribbean", 28], ["western-european-other", 25],
    ]);
    const norway = c.groups.flatMap((g) => g.rows).find((r) => r.code === "NO")!;
    expect(norway).toMatchObject({ name: "Norway", recipients: 5, addressees: 1, copies: 4, organisations: [{ id: nhcId, name: "Norwegian Helsinki Committee", acronym: "NHC" }] });
    // Checked on the letter's date, 2025-01-14: stale by 2026-11-23, as a real list would be.
    expect(norway.gaps).toEqual([{ kind: "stale", count: 5, oldest: "2025-01-14" }]);
    expect((await coverageOn(db, "2025-01-14", "2025-07-13")).groups.flatMap((g) => g.rows).find((r) => r.code === "NO")!.gaps).toEqual([]);
  });

  it("calls out a missing addressee and an addressee without email, and filters to gaps", async () => {
    await addRecipient(db, ctx, "IS", entry({ name: "Þorgerður Katrín Gunnarsdóttir", email: null, checked_on: TODAY }));
    const c = await coverageOn(db, TODAY, TODAY, { gapsOnly: true, group: "western-european-other" });
    const rows = c.groups.flatMap((g) => g.rows);
    expect(c.groups.map((g) => g.group)).toEqual(["western-european-other"]);
    expect(rows.find((r) => r.code === "IS")!.gaps).toEqual([{ kind: "addressee-without-email", count: 1, names: ["Þorgerður Katrín Gunnarsdóttir"] }]);
    // Someone who does not write to Iceland learns that a gap exists, not who it is (ADR 0014).
    const counted = await coverageOn(db, TODAY, TODAY, { gapsOnly: true, group: "western-european-other", namesShownFor: new Set(["NO"]) });
    expect(counted.groups.flatMap((g) => g.rows).find((r) => r.code === "IS")!.gaps).toEqual([{ kind: "addressee-without-email", count: 1, names: [] }]);
    expect(rows.find((r) => r.code === "SE")!.gaps).toEqual([{ kind: "no-addressee" }]);
    expect(rows.every((r) => r.gaps.length > 0)).toBe(true);
    expect(rows.length).toBe(c.groups[0].withGaps);
    await markRecipientsChecked(db, ctx, "NO", "all", TODAY);
    expect((await coverageOn(db, TODAY, TODAY, { gapsOnly: true })).groups.flatMap((g) => g.rows).some((r) => r.code === "NO")).toBe(false);
  });

  it("has no states parties before the Statute entered into force", async () => {
    expect(await coverageOn(db, "2002-06-30", TODAY)).toMatchObject({ parties: 0, withGaps: 0 });
    expect((await coverageOn(db, "2002-07-01", TODAY)).parties).toBeGreaterThan(60);
  });
});
