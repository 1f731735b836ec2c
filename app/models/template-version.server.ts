// Letter templates edited in the app. The files in emails/letters are the defaults; a
// coordinator's edit is a new version of one path ("en/cover-letter.html.hbs",
// "partials/demands.text.hbs"), and the latest version of each path is what letters
// render with (currentOverrides, passed to renderLetter). History is never rewritten:
// reverting adds a version whose body is the old one. A version with reverted_from = 0
// hands the path back to its file, so later changes to the file show through again.
// A path from a URL is only ever compared with the list of real files: nothing here
// opens a path a user typed.
import fs from "node:fs";
import path from "node:path";
import type { TemplateVersion } from "../../db/schema";
import type { FieldErrors } from "~/lib/field-errors";
import { atomically, type DB } from "~/platform/db.server";
import { buildLetterContext, LetterContextError } from "~/models/letter-context.server";
import { type LetterContext, type SafeHtml } from "~/platform/letter-document.server";
import { availableLetterLanguages, LETTER_TEMPLATE_FILES, LetterTemplateError, loadLetterTemplates, renderLetter, renderWithTemplates } from "~/platform/letter-templates.server";
import type { TemplatePreviewInput, TemplateSaveInput } from "~/schemas/template.server";
import { type ChangeContext, recordAudit } from "./audit.server";
import { FieldInputError, FORM_ERRORS, NotFound } from "~/platform/errors.server";
import { getOrganisation } from "./organisation.server";
import { listRecipients } from "./recipient.server";
import { listSigners } from "./signer.server";

export { templatePreviewSchema, templateRevertSchema, templateSaveSchema } from "~/schemas/template.server";

/** reverted_from of a version that returns the path to its file. */
export const FILE_DEFAULT = 0;

export interface TemplateFile {
  /** Under emails/letters: "en/cover-letter.html.hbs", "partials/demands.text.hbs". */
  path: string;
  /** Null for a shared partial, which every language uses. */
  language: string | null;
}

const root = () => path.resolve("emails", "letters");
const PARTIAL_FILE = /^[a-z0-9][a-z0-9-]*(?:\.(?:html|text))?\.hbs$/;

/** Every file the renderer reads: each language's letter files, its partials, and the shared partials. */
export function templateFiles(): TemplateFile[] {
  const dir = root();
  const partials = (folder: string) => (fs.existsSync(path.join(dir, folder)) ? fs.readdirSync(path.join(dir, folder)).filter((f) => PARTIAL_FILE.test(f)).sort() : []);
  const files: TemplateFile[] = [];
  for (const language of availableLetterLanguages(dir)) {
    for (const file of [...LETTER_TEMPLATE_FILES, "email-subject.hbs"]) if (fs.existsSync(path.join(dir, language, file))) files.push({ path: `${language}/${file}`, language });
    for (const file of partials(`${language}/partials`)) files.push({ path: `${language}/partials/${file}`, language });
  }
  for (const file of partials("partials")) files.push({ path: `partials/${file}`, language: null });
  return files;
}

/** The file named by a URL's path, or NotFound: the path is matched against the real list, never opened as given. */
export function templateFileOr404(pathParam: string | undefined): TemplateFile {
  const file = templateFiles().find((f) => f.path === pathParam);
  if (!file) throw new NotFound("There is no such letter template.");
  return file;
}

export function defaultBody(file: TemplateFile): string {
  return fs.readFileSync(path.join(root(), file.path), "utf8");
}

/** The latest version of every edited path. */
async function latestVersions(db: DB): Promise<TemplateVersion[]> {
  return db
    .selectFrom("template_versions as t")
    .selectAll()
    .where("t.version", "=", (eb) => eb.selectFrom("template_versions as v").select((v) => v.fn.max("v.version").as("m")).whereRef("v.path", "=", "t.path"))
    .orderBy("t.path")
    .execute();
}

/** What letters render with instead of the files: path -> body of its latest version (unless that went back to the file). */
export async function currentOverrides(db: DB): Promise<Record<string, string>> {
  const known = new Set(templateFiles().map((f) => f.path));
  const latest = await latestVersions(db);
  return Object.fromEntries(latest.filter((v) => v.reverted_from !== FILE_DEFAULT && known.has(v.path)).map((v) => [v.path, v.body]));
}

/** Every template with how many versions it has and whether its current text differs from the file. */
export async function listTemplates(db: DB) {
  const [latest, counts] = await Promise.all([
    latestVersions(db),
    db.selectFrom("template_versions").select(["path", (eb) => eb.fn.countAll<number>().as("n")]).groupBy("path").execute(),
  ]);
  return templateFiles().map((file) => {
    const last = latest.find((v) => v.path === file.path);
    const edited = !!last && last.reverted_from !== FILE_DEFAULT && last.body !== defaultBody(file);
    return { ...file, versions: Number(counts.find((c) => c.path === file.path)?.n ?? 0), edited, updatedAt: last?.created_at ?? null };
  });
}

/** A path's versions, newest first, with who saved them. */
export async function templateHistory(db: DB, file: TemplateFile) {
  return db
    .selectFrom("template_versions")
    .leftJoin("users", "users.id", "template_versions.created_by")
    .selectAll("template_versions")
    .select("users.name as author")
    .where("path", "=", file.path)
    .orderBy("version", "desc")
    .execute();
}

/** The text letters use now, and the version it comes from (0: the file). */
export async function currentTemplate(db: DB, file: TemplateFile) {
  const last = await db.selectFrom("template_versions").selectAll().where("path", "=", file.path).orderBy("version", "desc").limit(1).executeTakeFirst();
  const fromFile = !last || last.reverted_from === FILE_DEFAULT;
  return { body: fromFile ? defaultBody(file) : last.body, version: last?.version ?? 0, fromFile };
}

/** Saves an edit as the path's next version, once it compiles and renders in every language that reads it. */
export async function saveTemplateVersion(db: DB, ctx: ChangeContext, file: TemplateFile, input: TemplateSaveInput): Promise<number> {
  return addVersion(db, ctx, file, input.baseVersion, { body: input.body, note: input.note, revertedFrom: null });
}

/** Adds a version whose body is version `target`'s (or the file's): a revert never deletes anything. */
export async function revertTemplate(db: DB, ctx: ChangeContext, file: TemplateFile, target: number | "default", baseVersion: number): Promise<number> {
  if (target === "default") return addVersion(db, ctx, file, baseVersion, { body: defaultBody(file), note: null, revertedFrom: FILE_DEFAULT });
  const old = await db.selectFrom("template_versions").select("body").where("path", "=", file.path).where("version", "=", target).executeTakeFirst();
  if (!old) throw new FieldInputError({ [FORM_ERRORS]: [`There is no version ${target} of ${file.path}.`] });
  return addVersion(db, ctx, file, baseVersion, { body: old.body, note: null, revertedFrom: target });
}

async function addVersion(db: DB, ctx: ChangeContext, file: TemplateFile, baseVersion: number, v: { body: string; note: string | null; revertedFrom: number | null }) {
  return atomically(db, async (trx) => {
    const current = await currentTemplate(trx, file);
    const refuse = (errors: FieldErrors): never => {
      throw new FieldInputError(errors);
    };
    if (current.version !== baseVersion) {
      refuse({ [FORM_ERRORS]: [`Version ${current.version} was saved while you were working: look at the history, then try again. Your text is kept below.`] });
    }
    if (v.revertedFrom === FILE_DEFAULT ? current.fromFile : v.body === current.body) {
      refuse({ [v.revertedFrom === null ? "body" : FORM_ERRORS]: ["That is already the current text: there is nothing to save."] });
    }
    const overrides = { ...(await currentOverrides(trx)) };
    if (v.revertedFrom === FILE_DEFAULT) delete overrides[file.path];
    else overrides[file.path] = v.body;
    const problem = checkTemplates(file, overrides);
    if (problem) refuse({ body: [problem] });
    const version = current.version + 1;
    await trx
      .insertInto("template_versions")
      .values({ path: file.path, body: v.body, version, note: v.note, reverted_from: v.revertedFrom, created_by: ctx.actor?.id ?? null })
      .execute();
    await recordAudit(trx, {
      actor: ctx.actor, ip: ctx.ip, action: v.revertedFrom === null ? "template.saved" : "template.reverted", subjectType: "template", subjectId: file.path,
      detail: { version, note: v.note, revertedFrom: v.revertedFrom === FILE_DEFAULT ? "file" : v.revertedFrom },
    });
    return version;
  });
}

/**
 * Compiles every language that reads the file and renders it against two sample letters,
 * one with every optional field filled and one with none, so both sides of each {{#if}}
 * run: an unknown variable is found now, not in a letter. Returns the error, or null.
 */
function checkTemplates(file: TemplateFile, overrides: Record<string, string>): string | null {
  const languages = file.language ? [file.language] : availableLetterLanguages();
  try {
    for (const language of languages) {
      const templates = loadLetterTemplates(language, overrides);
      for (const sample of [FULL_SAMPLE, SPARSE_SAMPLE]) renderWithTemplates(templates, { ...sample, language });
    }
    return null;
  } catch (error) {
    if (error instanceof LetterTemplateError) return error.message;
    throw error;
  }
}

const html = (s: string) => s as SafeHtml;
const FULL_SAMPLE: LetterContext = {
  language: "en", place: "Oslo", date: "2025-01-14",
  sender: { name: "Sample Committee", acronym: "SC", postalAddress: "Box 1\n0101 Oslo", city: "Oslo", website: "https://example.org", email: "post@example.org" },
  addressees: [{ name: "A. Minister", title: "Foreign Minister", institution: "Ministry of Foreign Affairs", email: "minister@example.org", salutation: "Dear Minister" }],
  copies: [{ name: "A. Copy", title: "State Secretary", institution: "Ministry", email: "copy@example.org", salutation: null }],
  salutation: "Dear Minister",
  country: { name: "Norway", code: "NO", instrument: "ratification", deposited: "2000-02-16", entryIntoForce: "2002-07-01", isPartyOnDate: true },
  statesPartiesOnDate: 125, subject: "A subject of our own", ownParagraph: "A paragraph\nof our own.",
  demands: [{ html: html("Stand <em>by</em> the Court"), text: "Stand by the Court" }],
  signers: [{ name: "A. Signer", title: "Secretary General" }],
  statement: {
    title: "A statement", date: "2025-01-10", language: "en", author: { name: "Author Org", acronym: "AO" },
    bodyHtml: html("<p>Body.</p>"), bodyText: "Body.", leadIn: "Signed by:",
    signatories: [{ name: "First Org", footnoteMark: "*" }], footnotes: [{ mark: "*", html: html("A note"), text: "A note" }],
  },
};
const SPARSE_SAMPLE: LetterContext = {
  ...FULL_SAMPLE,
  sender: { name: "Sample Committee", acronym: null, postalAddress: null, city: null, website: null, email: null },
  addressees: [{ name: "A. Minister", title: null, institution: null, email: null, salutation: null }],
  copies: [], salutation: null, subject: null, ownParagraph: null, signers: [],
  country: { name: "Elsewhere", code: "US", instrument: null, deposited: null, entryIntoForce: null, isPartyOnDate: false },
  statement: { ...FULL_SAMPLE.statement, author: null, leadIn: "", signatories: [], footnotes: [] },
};

/**
 * Renders the editor's unsaved text against a real letter: the chosen statement, the
 * country's recipient list, and the sender with all its signers. Nothing is stored.
 */
export async function previewTemplate(db: DB, file: TemplateFile, input: TemplatePreviewInput) {
  const languages = availableLetterLanguages();
  const language = file.language ?? input.language ?? languages[0];
  if (!languages.includes(language)) throw new FieldInputError({ language: [`There are no letter templates in “${language}”.`] });
  const organisation = await getOrganisation(db, input.organisationId);
  if (!organisation) throw new FieldInputError({ organisationId: ["There is no such organisation. Choose one from the list."] });
  const [recipients, signers] = await Promise.all([listRecipients(db, input.countryCode), listSigners(db, organisation.id)]);
  try {
    const context = await buildLetterContext(db, {
      statementId: input.statementId, countryCode: input.countryCode, organisationId: organisation.id, signerIds: signers.map((s) => s.id),
      place: organisation.city ?? organisation.name, date: input.date, language, ownParagraph: null, subject: null,
      recipients: recipients.map((r) => ({ kind: r.kind, name: r.name, title: r.title, institution: r.institution, email: r.email, salutation: r.salutation })),
    });
    const r = renderLetter(context, language, { ...(await currentOverrides(db)), [file.path]: input.body });
    const email = /(^|\/)email/.test(file.path);
    return { language, subject: email ? r.emailSubject : r.subject, text: email ? r.emailText : r.text, html: email ? r.emailHtml : r.html };
  } catch (error) {
    if (error instanceof LetterTemplateError) throw new FieldInputError({ body: [error.message] });
    if (error instanceof LetterContextError) throw new FieldInputError({ [FORM_ERRORS]: [error.message] });
    throw error;
  }
}
