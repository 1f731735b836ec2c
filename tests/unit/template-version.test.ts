// Edited letter templates through their model, on this file's own seeded database:
// saving a version, refusing a broken edit (file + line, nothing stored), reverting as
// a new version, the overrides letters render with, letters going out of date after an
// edit, paths that are not templates, and hostile input.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createLetter, isLetterOutOfDate, regenerateLetter, type LetterFormInput } from "~/models/letter.server";
import { FieldInputError } from "~/platform/errors.server";
import { type ChangeContext } from "~/models/audit.server";
import {
  currentOverrides, currentTemplate, defaultBody, listTemplates, previewTemplate, revertTemplate, saveTemplateVersion,
  templateFileOr404, templateFiles, templateHistory, type TemplateFile,
} from "~/models/template-version.server";
import { clearLetterTemplateCache } from "~/platform/letter-templates.server";
import type { SessionUser } from "~/platform/session.server";
import type { DB } from "~/platform/db.server";
import { seedIfEmpty } from "../../app/workflows/seed/index.server";
import { DEMO_STATEMENT_SLUG } from "../../app/workflows/seed/statements.server";
import { migratedDb } from "../setup/db";
import { createOrganisation, createUser } from "../factories";

let db: DB;
let coordinator: SessionUser;
let ctx: ChangeContext;
let nhcId: number;
let nhcSigners: number[];
let statementId: number;

beforeAll(async () => {
  db = await migratedDb();
  await seedIfEmpty(db, { DEMO_PASSWORD: "template-test-password", DEMO_API_TOKEN: undefined });
  const u = await createUser(db, { role: "coordinator" });
  coordinator = { id: u.id, email: u.email, name: u.name, role: u.role, organisation_id: u.organisation_id };
  ctx = { actor: { id: u.id, email: u.email }, ip: "192.0.2.9" };
  nhcId = (await db.selectFrom("organisations").select("id").where("name", "=", "Norwegian Helsinki Committee").executeTakeFirstOrThrow()).id;
  nhcSigners = (await db.selectFrom("signers").select("id").where("organisation_id", "=", nhcId).orderBy("position").execute()).map((s) => s.id);
  statementId = (await db.selectFrom("statements").select("id").where("slug", "=", DEMO_STATEMENT_SLUG).executeTakeFirstOrThrow()).id;
});

afterEach(() => clearLetterTemplateCache());

const file = (p: string) => templateFileOr404(p);
const count = async (table: "template_versions" | "audit_log") => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
const save = async (f: TemplateFile, body: string, note: string | null = null) => saveTemplateVersion(db, ctx, f, { body, note, baseVersion: (await currentTemplate(db, f)).version });
/** Expects the save to be refused with an error on `key`, and nothing written. */
async function refused(f: TemplateFile, body: string, key = "body"): Promise<string> {
  const before = [await count("template_versions"), await count("audit_log")];
  const error = await save(f, body).then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(FieldInputError);
  expect([await count("template_versions"), await count("audit_log")]).toEqual(before);
  return (error as FieldInputError).errors[key]![0];
}
/** The body with `text` inserted as line `line`. */
function withLine(body: string, line: number, text: string): string {
  const lines = body.split("\n");
  lines.splice(line - 1, 0, text);
  return lines.join("\n");
}

describe("the list of templates", () => {
  it("has every letter file and partial per language and the shared partials, and nothing else", () => {
    const paths = templateFiles().map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(["en/cover-letter.html.hbs", "en/subject.hbs", "nb/email.text.hbs", "en/partials/appendix.html.hbs", "partials/demands.text.hbs"]));
    expect(paths.some((p) => p.endsWith("language.json") || p.endsWith("README.md"))).toBe(false);
    expect(templateFiles().find((f) => f.path === "partials/demands.text.hbs")!.language).toBeNull();
  });

  it("answers 404 for anything not in the list, without opening it", () => {
    for (const p of ["../../package.json", "en/../../package.json", "en/language.json", "en/nope.hbs", "/etc/passwd", "", undefined]) {
      const thrown = (() => { try { templateFileOr404(p); } catch (e) { return e; } })();
      expect((thrown as Response).status).toBe(404);
    }
  });
});

describe("saving a version", () => {
  it("stores a valid edit as version 1 with an audit entry; it becomes the current text and an override", async () => {
    const f = file("en/email.text.hbs");
    const body = defaultBody(f).replace("Yours sincerely,", "With kind regards,");
    expect(await save(f, body, "Friendlier close")).toBe(1);
    expect(await currentTemplate(db, f)).toEqual({ body, version: 1, fromFile: false });
    expect(await currentOverrides(db)).toEqual({ "en/email.text.hbs": body });
    const [v] = await templateHistory(db, f);
    expect([v.version, v.note, v.reverted_from, v.created_by, v.author]).toEqual([1, "Friendlier close", null, coordinator.id, coordinator.name]);
    const [entry] = await db.selectFrom("audit_log").selectAll().where("action", "=", "template.saved").execute();
    expect([entry.subject_type, entry.subject_id, entry.actor_user_id]).toEqual(["template", "en/email.text.hbs", coordinator.id]);
    expect((await listTemplates(db)).find((t) => t.path === f.path)).toMatchObject({ versions: 1, edited: true });
    expect((await listTemplates(db)).find((t) => t.path === "en/subject.hbs")).toMatchObject({ versions: 0, edited: false });
  });

  it("refuses an unknown variable, even in an {{else}} branch, with the file and line", async () => {
    const f = file("en/cover-letter.text.hbs");
    expect(await refused(f, withLine(defaultBody(f), 2, "{{adresses}}"))).toMatch(/emails\/letters\/en\/cover-letter\.text\.hbs \(edited\).*line 2.*adresses/);
    expect(await refused(f, withLine(defaultBody(f), 3, "{{#if sender.website}}w{{else}}{{sender.webiste}}{{/if}}"))).toMatch(/line 3.*webiste/);
  });

  it("refuses a syntax error, an unknown helper and a missing partial with the line", async () => {
    const f = file("en/cover-letter.html.hbs");
    expect(await refused(f, withLine(defaultBody(f), 4, "{{#if salutation}}unclosed"))).toMatch(/cover-letter\.html\.hbs \(edited\)/);
    expect(await refused(f, withLine(defaultBody(f), 5, "{{shout sender.name}}"))).toMatch(/line 5.*no helper "shout"/);
    expect(await refused(f, withLine(defaultBody(f), 6, "{{> nowhere}}"))).toMatch(/line 6.*partial "nowhere"/);
  });

  it("checks a shared partial in every language that reads it", async () => {
    const f = file("partials/demands.text.hbs");
    expect(await refused(f, `${defaultBody(f)}{{nope}}`)).toMatch(/partials\/demands\.text\.hbs \(edited\).*nope/);
  });

  it("refuses an unchanged text, and a save over a version someone else saved meanwhile", async () => {
    const f = file("en/email.text.hbs");
    expect(await refused(f, (await currentTemplate(db, f)).body)).toMatch(/already the current text/);
    const stale = await saveTemplateVersion(db, ctx, f, { body: "{{sender.name}}\n", note: null, baseVersion: 0 }).catch((e: unknown) => e);
    expect((stale as FieldInputError).errors.form![0]).toMatch(/Version 1 was saved while you were working/);
  });
});

describe("reverting", () => {
  it("adds a new version with the old body, keeps the history, and can go back to the file", async () => {
    const f = file("nb/email.text.hbs");
    const original = defaultBody(f);
    await save(f, `${original}\nP.S. en\n`);
    await save(f, `${original}\nP.S. to\n`);
    expect(await revertTemplate(db, ctx, f, 1, 2)).toBe(3);
    expect(await currentTemplate(db, f)).toEqual({ body: `${original}\nP.S. en\n`, version: 3, fromFile: false });
    expect((await templateHistory(db, f)).map((v) => [v.version, v.reverted_from])).toEqual([[3, 1], [2, null], [1, null]]);
    expect((await revertTemplate(db, ctx, f, 99, 3).catch((e: unknown) => e)) as FieldInputError).toBeInstanceOf(FieldInputError);

    expect(await revertTemplate(db, ctx, f, "default", 3)).toBe(4);
    expect(await currentTemplate(db, f)).toEqual({ body: original, version: 4, fromFile: true });
    expect(await currentOverrides(db)).not.toHaveProperty("nb/email.text.hbs");
    expect((await listTemplates(db)).find((t) => t.path === f.path)).toMatchObject({ versions: 4, edited: false });
    expect(await db.selectFrom("audit_log").select("detail").where("action", "=", "template.reverted").execute()).toEqual([
      { detail: JSON.stringify({ version: 3, note: null, revertedFrom: 1 }) },
      { detail: JSON.stringify({ version: 4, note: null, revertedFrom: "file" }) },
    ]);
    // Already the file's text: nothing to add.
    expect(await revertTemplate(db, ctx, f, "default", 4).catch((e: unknown) => e)).toBeInstanceOf(FieldInputError);
  });
});

describe("letters", () => {
  const norway: LetterFormInput = { statementId: 0, countryCode: "NO", organisationId: 0, signerIds: [], place: "Oslo", date: "2025-01-14", language: "en", subject: null, ownParagraph: null };
  const letter = (id: number) => db.selectFrom("letters").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

  it("render with the latest version, go out of date after an edit, and follow a revert to the file", async () => {
    const id = await createLetter(db, coordinator, ctx, { ...norway, statementId, organisationId: nhcId, signerIds: nhcSigners });
    const first = await letter(id);
    expect(first.rendered_email_text).toContain("With kind regards,"); // the edit saved above
    expect(await isLetterOutOfDate(db, first)).toEqual({ outOfDate: false, changed: [] });

    const f = file("en/cover-letter.text.hbs");
    await save(f, withLine(defaultBody(f), 2, "Our reference: {{sender.acronym}}-{{date}}"));
    expect(await isLetterOutOfDate(db, await letter(id))).toEqual({ outOfDate: true, changed: ["templates"] });
    await regenerateLetter(db, coordinator, ctx, id);
    const edited = await letter(id);
    expect(edited.rendered_text).toContain("Our reference: NHC-2025-01-14");
    expect(await isLetterOutOfDate(db, edited)).toEqual({ outOfDate: false, changed: [] });

    // Back to the file: the templates' text is what it was, so is the fingerprint.
    await revertTemplate(db, ctx, f, "default", 1);
    expect((await isLetterOutOfDate(db, await letter(id))).changed).toEqual(["templates"]);
    await regenerateLetter(db, coordinator, ctx, id);
    const back = await letter(id);
    expect(back.rendered_text).not.toContain("Our reference");
    expect(JSON.parse(back.fingerprint_parts).templates).toBe(JSON.parse(first.fingerprint_parts).templates);
  });

  it("leave Norwegian letters current when only English templates change", async () => {
    const id = await createLetter(db, coordinator, ctx, { ...norway, statementId, organisationId: nhcId, signerIds: nhcSigners, language: "nb" });
    const f = file("en/subject.hbs");
    await save(f, "Re: {{statement.title}}");
    expect(await isLetterOutOfDate(db, await letter(id))).toEqual({ outOfDate: false, changed: [] });
  });
});

describe("hostile input", () => {
  it("escapes a script in a value printed by an edited template, in the preview", async () => {
    const org = await createOrganisation(db, { name: "<script>alert('x')</script> Watch", city: "Oslo" });
    await db.insertInto("signers").values({ organisation_id: org.id, name: "<img src=x onerror=alert(1)>", title: "Chair" }).execute();
    const f = file("en/cover-letter.html.hbs");
    const stored = await count("template_versions");
    const body = withLine(defaultBody(f), 2, "<!-- edited --><p class=\"from\">From: {{sender.name}}</p>");
    const preview = await previewTemplate(db, f, { body, statementId, countryCode: "NO", organisationId: org.id, language: null, date: "2025-01-14" });
    expect(preview.html).toContain("<!-- edited -->");
    expect(preview.html).toContain("From: &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Watch");
    expect(preview.html).not.toMatch(/<script>alert|<img src=x/);
    expect(preview.text).toContain("<script>alert('x')</script> Watch");
    expect(await count("template_versions")).toBe(stored); // a preview stores nothing
  });

  it("refuses triple braces on a field that is not Markdown-rendered", async () => {
    const f = file("en/cover-letter.html.hbs");
    expect(await refused(f, withLine(defaultBody(f), 3, "{{{sender.name}}}"))).toMatch(/line 3.*unescaped HTML/);
    expect(await refused(f, withLine(defaultBody(f), 3, "{{#each addressees}}{{{name}}}{{/each}}"))).toMatch(/line 3.*unescaped HTML/);
  });
});
