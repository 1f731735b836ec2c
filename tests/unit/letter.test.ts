// Saved letters through their model, on this file's own seeded database: the demo
// letter, who may write what for whom, refusals that write nothing, a template error
// that names its file and line, out-of-date detection and regeneration, who sees
// which letters, and hostile input in the sender's own paragraph.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createLetter, FORM_ERRORS, isLetterOutOfDate, letterFor, letterSchema, listLetters, regenerateLetter, updateLetter, type LetterFormInput } from "~/models/letter.server";
import { FieldInputError } from "~/platform/errors.server";
import { type ChangeContext } from "~/models/audit.server";
import { touchStatement } from "~/models/signatory-list.server";
import { listRecipients, updateRecipient } from "~/models/recipient.server";
import { clearLetterTemplateCache } from "~/platform/letter-templates.server";
import type { SessionUser } from "~/platform/session.server";
import type { DB } from "~/platform/db.server";
import { seedIfEmpty } from "../../app/workflows/seed/index.server";
import { DEMO_STATEMENT_SLUG } from "../../app/workflows/seed/statements.server";
import { migratedDb } from "../setup/db";
import { createOrganisation, createUser } from "../factories";

let db: DB;
let nhcId: number;
let nhcSigners: number[];
let statementId: number;
let coordinator: SessionUser;
let nhcMember: SessionUser;
let otherMember: SessionUser;
let other: { id: number; signer: number };
const ctx = (u: SessionUser): ChangeContext => ({ actor: { id: u.id, email: u.email }, ip: "192.0.2.7" });
const session = (u: { id: number; email: string; name: string; role: "coordinator" | "member"; organisation_id: number | null }): SessionUser =>
  ({ id: u.id, email: u.email, name: u.name, role: u.role, organisation_id: u.organisation_id });

beforeAll(async () => {
  db = await migratedDb();
  await seedIfEmpty(db, { DEMO_PASSWORD: "letter-test-password", DEMO_API_TOKEN: undefined });
  nhcId = (await db.selectFrom("organisations").select("id").where("name", "=", "Norwegian Helsinki Committee").executeTakeFirstOrThrow()).id;
  nhcSigners = (await db.selectFrom("signers").select("id").where("organisation_id", "=", nhcId).orderBy("position").execute()).map((s) => s.id);
  statementId = (await db.selectFrom("statements").select("id").where("slug", "=", DEMO_STATEMENT_SLUG).executeTakeFirstOrThrow()).id;
  coordinator = session(await createUser(db, { role: "coordinator" }));
  nhcMember = session(await createUser(db, { role: "member", organisationId: nhcId }));
  const org = await createOrganisation(db, { name: "Svenska Helsingforskommittén", city: "Stockholm" });
  const signer = await db.insertInto("signers").values({ organisation_id: org.id, name: "Anna Svensson", title: "Director" }).returning("id").executeTakeFirstOrThrow();
  other = { id: org.id, signer: signer.id };
  otherMember = session(await createUser(db, { role: "member", organisationId: org.id }));
  // Sweden: an addressee, covered by nobody. Finland: no addressee at all.
  await db.insertInto("recipients").values({ country_code: "SE", name: "Maria Malmer Stenergard", title: "Minister for Foreign Affairs", email: "ud@gov.se", salutation: "Dear Minister,", language: "sv", kind: "addressee", checked_on: "2026-11-01" }).execute();
  await db.insertInto("recipients").values({ country_code: "FI", name: "Copied Only", title: "Director", kind: "copy", checked_on: "2026-11-01" }).execute();
});

afterEach(() => clearLetterTemplateCache());

const norway = (changes: Partial<LetterFormInput> = {}): LetterFormInput => ({
  statementId, countryCode: "NO", organisationId: nhcId, signerIds: nhcSigners, place: "Oslo", date: "2025-01-14", language: "en", subject: null, ownParagraph: null, ...changes,
});
const count = async (table: "letters" | "audit_log") => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
const letter = (id: number) => db.selectFrom("letters").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

/** Expects a refusal with errors on exactly these fields, and nothing written. */
async function refused(actor: SessionUser, input: LetterFormInput, fields: string[]) {
  const [letters, audit] = [await count("letters"), await count("audit_log")];
  const error = await createLetter(db, actor, ctx(actor), input).then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(FieldInputError);
  expect(Object.keys((error as FieldInputError).errors).sort()).toEqual(fields.sort());
  expect([await count("letters"), await count("audit_log")]).toEqual([letters, audit]);
  return (error as FieldInputError).errors;
}

describe("the demo letter", () => {
  it("is NHC's letter to Norway of 14 January 2025, signed by both signers in order, and current", async () => {
    const [demo] = await db.selectFrom("letters").selectAll().where("organisation_id", "=", nhcId).execute();
    expect([demo.country_code, demo.place, demo.letter_date, demo.language, demo.status, JSON.parse(demo.signer_ids)]).toEqual(["NO", "Oslo", "2025-01-14", "en", "draft", nhcSigners]);
    expect(demo.rendered_subject).toBe("Civil society urges States to oppose ICC sanctions");
    expect(demo.rendered_text).toContain("124 other ICC states parties");
    expect(demo.rendered_text).toContain("Berit Lindeman");
    expect(demo.rendered_text.indexOf("Berit Lindeman")).toBeLessThan(demo.rendered_text.indexOf("Gunnar M. Ekeløve-Slydal"));
    expect(await isLetterOutOfDate(db, demo)).toEqual({ outOfDate: false, changed: [] });
  });
});

describe("writing a letter", () => {
  it("lets an NHC member write for NHC to Norway, with an audit entry", async () => {
    const audit = await count("audit_log");
    const id = await createLetter(db, nhcMember, ctx(nhcMember), norway({ subject: "Our own subject" }));
    const saved = await letter(id);
    expect([saved.created_by, saved.rendered_subject, saved.fingerprint]).toEqual([nhcMember.id, "Our own subject", expect.stringMatching(/^[0-9a-f]{64}$/)]);
    expect(saved.rendered_text).toContain("Espen Barth Eide");
    expect(saved.rendered_email_text.length).toBeGreaterThan(0);
    expect(await count("audit_log")).toBe(audit + 1);
    const [entry] = await db.selectFrom("audit_log").selectAll().where("action", "=", "letter.created").orderBy("id", "desc").limit(1).execute();
    expect([entry.subject_id, entry.actor_user_id]).toEqual([String(id), nhcMember.id]);
  });

  it("fills in a blank place with the sender's city and a blank language from the recipients (or English)", async () => {
    const id = await createLetter(db, nhcMember, ctx(nhcMember), norway({ place: null, language: null }));
    expect([(await letter(id)).place, (await letter(id)).language]).toEqual(["Oslo", "en"]);
    // Sweden's addressee reads Swedish: there are no Swedish templates, so English.
    const se = await createLetter(db, coordinator, ctx(coordinator), norway({ countryCode: "SE", organisationId: other.id, signerIds: [other.signer], place: null, language: null }));
    expect([(await letter(se)).place, (await letter(se)).language]).toEqual(["Stockholm", "en"]);
  });

  it("writes in Norwegian when asked", async () => {
    const id = await createLetter(db, nhcMember, ctx(nhcMember), norway({ language: "nb" }));
    expect((await letter(id)).rendered_text).toContain("14. januar 2025");
  });

  it("refuses a member a country its organisation does not cover, and another organisation", async () => {
    expect((await refused(nhcMember, norway({ countryCode: "SE" }), ["countryCode"])).countryCode![0]).toMatch(/does not cover Sweden/);
    await refused(otherMember, norway(), ["organisationId"]);
    await refused(otherMember, norway({ organisationId: other.id, signerIds: [other.signer] }), ["countryCode"]);
  });

  it("lets a coordinator write for any organisation to any country with an addressee", async () => {
    const id = await createLetter(db, coordinator, ctx(coordinator), norway({ countryCode: "SE", organisationId: other.id, signerIds: [other.signer] }));
    expect((await letter(id)).rendered_text).toContain("Maria Malmer Stenergard");
  });

  it("refuses bad choices beside their fields, writing nothing", async () => {
    const draft = await db.insertInto("statements").values({ slug: "a-draft", title: "A draft", statement_date: "2025-01-01" }).returning("id").executeTakeFirstOrThrow();
    await refused(coordinator, norway({ statementId: draft.id }), ["statementId"]);
    await refused(coordinator, norway({ statementId: 999_999 }), ["statementId"]);
    await refused(coordinator, norway({ countryCode: "XX" }), ["countryCode"]);
    expect((await refused(coordinator, norway({ countryCode: "FI" }), ["countryCode"])).countryCode![0]).toMatch(/no addressee/);
    await refused(coordinator, norway({ organisationId: 999_999 }), ["organisationId"]);
    await refused(coordinator, norway({ signerIds: [other.signer] }), ["signerIds"]);
    await refused(coordinator, norway({ signerIds: [nhcSigners[0], nhcSigners[0]] }), ["signerIds"]);
    await refused(coordinator, norway({ language: "fr" }), ["language"]);
    const cityless = await createOrganisation(db, { city: null });
    const signer = await db.insertInto("signers").values({ organisation_id: cityless.id, name: "No City", title: "Chair" }).returning("id").executeTakeFirstOrThrow();
    await refused(coordinator, norway({ organisationId: cityless.id, signerIds: [signer.id], place: null }), ["place"]);
  });

  it("refuses an impossible date at the form", () => {
    const form = { statementId: "1", countryCode: "no", organisationId: "1", signerIds: ["1", "2"], date: "2025-02-30", language: "en" };
    const parsed = letterSchema.safeParse(form);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.path.join("."))).toEqual(["date"]);
    expect(letterSchema.parse({ ...form, date: "2025-02-28" })).toMatchObject({ countryCode: "NO", signerIds: [1, 2], place: null, subject: null });
  });
});

describe("template errors", () => {
  const home = process.cwd();
  it("become a form error naming the template and line, with nothing saved, and make saved letters out of date", async () => {
    // A copy of the templates with a mistake on line 2 of the English text letter.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "letters-"));
    fs.cpSync(path.join(home, "emails"), path.join(dir, "emails"), { recursive: true });
    const file = path.join(dir, "emails/letters/en/cover-letter.text.hbs");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(/\n/, "\n{{adresses}}\n"));
    const [demo] = await db.selectFrom("letters").selectAll().orderBy("id").limit(1).execute();
    process.chdir(dir);
    try {
      clearLetterTemplateCache();
      const errors = await refused(coordinator, norway(), [FORM_ERRORS]);
      expect(errors[FORM_ERRORS]![0]).toMatch(/cover-letter\.text\.hbs.*line 2/);
      expect(await isLetterOutOfDate(db, demo)).toEqual({ outOfDate: true, changed: ["templates"] });
    } finally {
      process.chdir(home);
    }
  });
});

describe("out of date and regenerating", () => {
  it("names what changed (recipients, statement, sender) and regenerating makes the letter current", async () => {
    const id = await createLetter(db, nhcMember, ctx(nhcMember), norway());
    expect((await isLetterOutOfDate(db, await letter(id))).outOfDate).toBe(false);

    const [minister] = await listRecipients(db, "NO");
    const { id: _id, country_code: _c, position: _p, created_at: _a, updated_at: _u, ...fields } = minister;
    await updateRecipient(db, ctx(coordinator), "NO", minister.id, { ...fields, title: "Minister of Foreign Affairs" });
    expect(await isLetterOutOfDate(db, await letter(id))).toEqual({ outOfDate: true, changed: ["recipients"] });

    await touchStatement(db, statementId);
    await db.updateTable("organisations").set({ updated_at: new Date().toISOString() }).where("id", "=", nhcId).execute();
    expect((await isLetterOutOfDate(db, await letter(id))).changed).toEqual(["statement", "recipients", "sender"]);

    const before = await letter(id);
    await regenerateLetter(db, nhcMember, ctx(nhcMember), id);
    const after = await letter(id);
    expect(await isLetterOutOfDate(db, after)).toEqual({ outOfDate: false, changed: [] });
    expect(after.fingerprint).not.toBe(before.fingerprint);
    expect(after.rendered_text).toContain("Minister of Foreign Affairs");
    expect(await db.selectFrom("audit_log").select("subject_id").where("action", "=", "letter.regenerated").execute()).toContainEqual({ subject_id: String(id) });
  });

  it("updates a letter's choices, and refuses another organisation's member", async () => {
    const id = await createLetter(db, nhcMember, ctx(nhcMember), norway());
    await updateLetter(db, nhcMember, ctx(nhcMember), id, norway({ signerIds: [nhcSigners[1], nhcSigners[0]], place: "Bergen" }));
    const saved = await letter(id);
    expect([saved.place, JSON.parse(saved.signer_ids)]).toEqual(["Bergen", [nhcSigners[1], nhcSigners[0]]]);
    expect(saved.rendered_text.indexOf("Gunnar M. Ekeløve-Slydal")).toBeLessThan(saved.rendered_text.indexOf("Berit Lindeman"));
    const refusal = await updateLetter(db, otherMember, ctx(otherMember), id, norway()).catch((e: unknown) => e);
    expect((refusal as Response).status).toBe(403);
  });
});

describe("who sees which letters", () => {
  it("shows members their organisation's letters and coordinators all; filters by statement and country", async () => {
    const all = await listLetters(db, coordinator);
    const nhc = await listLetters(db, nhcMember);
    expect(nhc.length).toBeGreaterThan(0);
    expect(nhc.every((l) => l.organisation_id === nhcId)).toBe(true);
    expect(all.some((l) => l.organisation_id === other.id)).toBe(true);
    expect((await listLetters(db, otherMember)).every((l) => l.organisation_id === other.id)).toBe(true);
    expect((await listLetters(db, coordinator, { country: "SE" })).every((l) => l.country_code === "SE")).toBe(true);
    expect(await listLetters(db, coordinator, { statement: 999_999 })).toEqual([]);
    expect(await letterFor(db, otherMember, nhc[0].id)).toBe(403);
    expect(await letterFor(db, coordinator, 999_999)).toBe(404);
    expect(await letterFor(db, coordinator, "abc")).toBe(404);
    expect(await letterFor(db, nhcMember, nhc[0].id)).toMatchObject({ id: nhc[0].id, sender_name: "Norwegian Helsinki Committee" });
  });
});

describe("hostile input", () => {
  it("keeps a paragraph with a script and CRLF as text, escaped in HTML", async () => {
    const input = letterSchema.parse({
      statementId: String(statementId), countryCode: "NO", organisationId: String(nhcId), signerIds: nhcSigners.map(String), place: "Oslo", date: "2025-01-14", language: "en",
      ownParagraph: "We <script>alert('x')</script> insist.\r\nBcc: evil@example.com",
    });
    const id = await createLetter(db, nhcMember, ctx(nhcMember), input);
    const saved = await letter(id);
    expect(saved.own_paragraph).toBe("We <script>alert('x')</script> insist.\nBcc: evil@example.com");
    expect(saved.rendered_html).not.toMatch(/<script/i);
    expect(saved.rendered_html).toContain("&lt;script&gt;");
    expect(saved.rendered_text).toContain("We <script>alert('x')</script> insist.\nBcc: evil@example.com");
    expect(saved.rendered_subject).not.toMatch(/[\r\n]/);
  });
});
