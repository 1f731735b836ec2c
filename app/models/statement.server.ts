// Joint statements as coordinators write them: the text, the demands (points, in
// order), the footnotes and the address. Whether a change is allowed in the
// statement's current state is asked of statement-lifecycle.server.ts; every change
// is written with its audit entry and a version bump in one transaction.
import type { SignatureStatus, Statement } from "../../db/schema";
import type { FieldErrors } from "~/lib/field-errors";
import { atomically, type DB } from "~/platform/db.server";
import { renderInlineMarkdown, renderMarkdown } from "~/platform/markdown.server";
import { slugFromTitle, slugProblem, STATEMENT_LANGUAGES, type StatementInput } from "~/schemas/statement.server";
import { type ChangeContext, recordAudit } from "./audit.server";
import { FieldInputError, NotFound } from "~/platform/errors.server";
import { touchStatement } from "./signatory-list.server";
import { knownStatementVersion, noteStatementVersion } from "~/models/statement-versions.server";
import { canChange, changeRule, deadlinePassed, refusalReason, type StatementChange } from "./statement-lifecycle.server";

// Routes take their schemas from here: a .server module keeps zod out of the browser.
export { statementSchema, transitionSchema, type StatementInput } from "~/schemas/statement.server";

export async function findStatementBySlug(db: DB, slug: string) {
  if (!/^[a-z0-9][a-z0-9-]{0,79}$/.test(slug)) return undefined;
  return db.selectFrom("statements").selectAll().where("slug", "=", slug).executeTakeFirst();
}

/** The statement; NotFound otherwise. */
export async function requireStatement(db: DB, slug: string | undefined) {
  const statement = slug ? await findStatementBySlug(db, slug) : undefined;
  if (!statement) throw new NotFound("There is no statement at this address.");
  return statement;
}

// Public pages ask for the same few statements on every request. A row read once
// stays good while its version is the newest this process knows: every change bumps
// the version through touchStatement, so a stale row is never returned. (Changes
// made by another process show after the next change made here, as for the page cache.)
const key = Symbol.for("demarche.statementRows");
type Holder = { [key]?: Map<string, Statement> };

/** As requireStatement, served from memory while the row is current. */
export async function requireCurrentStatement(db: DB, slug: string | undefined): Promise<Statement> {
  const holder = globalThis as Holder;
  const rows = (holder[key] ??= new Map());
  const cached = slug ? rows.get(slug) : undefined;
  if (cached && cached.version === knownStatementVersion(cached.id)) return cached;
  const statement = await requireStatement(db, slug);
  noteStatementVersion(statement.id, statement.version);
  if (statement.version === knownStatementVersion(statement.id)) rows.set(statement.slug, statement);
  return statement;
}

/** Every statement, newest first, with its approved and pending signature counts. */
export async function listStatements(db: DB) {
  return db
    .selectFrom("statements")
    .leftJoin("organisations", "organisations.id", "statements.author_organisation_id")
    .select(["statements.id", "statements.slug", "statements.title", "statements.statement_date", "statements.status", "statements.signing_deadline", "organisations.name as author_name"])
    .select((eb) =>
      (["approved", "pending"] as const).map((status) =>
        eb
          .selectFrom("signatures")
          .whereRef("signatures.statement_id", "=", "statements.id")
          .where("signatures.status", "=", status)
          .select(eb.fn.countAll<number>().as("n"))
          .as(status),
      ),
    )
    .orderBy("statements.statement_date", "desc")
    .orderBy("statements.id", "desc")
    .execute();
}

/** The points (in order), footnotes and author's name of a statement. */
export async function statementParts(db: DB, statement: Pick<Statement, "id" | "author_organisation_id">) {
  const [points, footnotes, author] = await Promise.all([
    db.selectFrom("statement_points").select(["id", "position", "text"]).where("statement_id", "=", statement.id).orderBy("position").orderBy("id").execute(),
    db.selectFrom("statement_footnotes").select(["id", "mark", "text"]).where("statement_id", "=", statement.id).orderBy("id").execute(),
    statement.author_organisation_id === null
      ? undefined
      : db.selectFrom("organisations").select(["id", "name"]).where("id", "=", statement.author_organisation_id).executeTakeFirst(),
  ]);
  return { points, footnotes, author: author ?? null };
}

/** How many signatures are in each status (all statuses present, zero when none). */
export async function signatureCounts(db: DB, statementId: number): Promise<Record<SignatureStatus, number>> {
  const rows = await db
    .selectFrom("signatures")
    .select(["status", (eb) => eb.fn.countAll<number>().as("n")])
    .where("statement_id", "=", statementId)
    .groupBy("status")
    .execute();
  const counts: Record<SignatureStatus, number> = { unverified: 0, pending: 0, approved: 0, rejected: 0, withdrawn: 0, removed: 0 };
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}

export async function organisationChoices(db: DB) {
  return db.selectFrom("organisations").select(["id", "name"]).orderBy("name").execute();
}

/** The language select: "français (French)", from Intl rather than a hand-kept list. */
export function languageOptions(): { value: string; label: string }[] {
  const english = new Intl.DisplayNames(["en"], { type: "language" });
  return STATEMENT_LANGUAGES.map((code) => {
    const own = new Intl.DisplayNames([code], { type: "language" }).of(code) ?? code;
    const en = english.of(code) ?? code;
    return { value: code, label: own === en ? `${en} (${code})` : `${own} (${en}, ${code})` };
  });
}

/** What the public page would show of this text: safe HTML from the Markdown. */
export function previewStatement(input: { body: string; points: string[] }) {
  return { bodyHtml: renderMarkdown(input.body), pointsHtml: input.points.map(renderInlineMarkdown) };
}

/** Creates a draft. A blank slug is made from the title (numbered if taken). */
export async function createStatement(db: DB, ctx: ChangeContext, input: StatementInput, now = new Date()): Promise<{ id: number; slug: string }> {
  return atomically(db, async (trx) => {
    const errors: FieldErrors = {};
    const slug = input.slug ?? (await freeSlug(trx, slugFromTitle(input.title) || `statement-${input.date}`));
    if (input.slug) await checkSlugFree(trx, input.slug, null, errors);
    await checkAuthor(trx, input.author, errors);
    if (deadlinePassed(input.deadline, now)) errors.deadline = ["The signing deadline must be in the future."];
    if (Object.keys(errors).length) throw new FieldInputError(errors);

    const { id } = await trx
      .insertInto("statements")
      .values({ slug, ...textColumns(input), signing_deadline: input.deadline })
      .returning("id")
      .executeTakeFirstOrThrow();
    await writePoints(trx, id, input.points);
    await writeFootnotes(trx, id, input.footnotes);
    await recordAudit(trx, { actor: ctx.actor, ip: ctx.ip, action: "statement.created", subjectType: "statement", subjectId: id, detail: { slug, title: input.title } });
    await touchStatement(trx, id);
    return { id, slug };
  });
}

// Each stored field, the kind of change it is (for the lifecycle table) and its form field.
const FIELDS = {
  title: ["text", "title"],
  statement_date: ["text", "date"],
  author_organisation_id: ["text", "author"],
  language: ["text", "language"],
  lead_in: ["text", "lead_in"],
  body_markdown: ["text", "body"],
  points: ["points", "points"],
  footnotes: ["footnotes", "footnotes"],
  slug: ["slug", "slug"],
  signing_deadline: ["deadline", "deadline"],
} as const satisfies Record<string, [StatementChange, string]>;
type StoredField = keyof typeof FIELDS;

/**
 * Saves the edit form. Refuses (FieldInputError, nothing written) a change the
 * statement's state does not allow, and a noted change to a published statement
 * unless `confirm_update` was ticked. Returns the fields that changed and the slug.
 */
export async function updateStatement(
  db: DB,
  ctx: ChangeContext,
  statementId: number,
  input: StatementInput,
  now = new Date(),
): Promise<{ changed: StoredField[]; slug: string }> {
  return atomically(db, async (trx) => {
    const before = await trx.selectFrom("statements").selectAll().where("id", "=", statementId).executeTakeFirst();
    if (!before) throw new NotFound("There is no such statement.");
    const parts = await statementParts(trx, before);
    // Left blank, the address follows the title while it may still change (a draft's).
    const slug = input.slug ?? (canChange(before.status, "slug") ? await freeSlug(trx, slugFromTitle(input.title) || before.slug, before.id) : before.slug);
    const after = { ...textColumns(input), slug, signing_deadline: input.deadline };

    const changed: StoredField[] = [];
    for (const f of ["title", "statement_date", "author_organisation_id", "language", "lead_in", "body_markdown", "slug", "signing_deadline"] as const) {
      if (before[f] !== after[f]) changed.push(f);
    }
    if (JSON.stringify(parts.points.map((p) => p.text)) !== JSON.stringify(input.points)) changed.push("points");
    if (JSON.stringify(parts.footnotes.map((f) => [f.mark, f.text])) !== JSON.stringify(input.footnotes.map((f) => [f.mark, f.text]))) changed.push("footnotes");
    if (changed.length === 0) return { changed, slug: before.slug };

    const errors: FieldErrors = {};
    const rules = changed.map((f) => changeRule(before.status, FIELDS[f][0]));
    changed.forEach((f, i) => {
      if (rules[i] === "refused") errors[FIELDS[f][1]] = [refusalReason(before.status, FIELDS[f][0])];
    });
    const noted = rules.includes("noted");
    if (noted && !input.confirm_update) {
      errors.confirm_update = ["This statement is published: confirm that the public page will show “Updated on” with today's date."];
    }
    if (changed.includes("slug")) await checkSlugFree(trx, slug, before.id, errors);
    if (changed.includes("author_organisation_id")) await checkAuthor(trx, input.author, errors);
    if (changed.includes("signing_deadline") && deadlinePassed(input.deadline, now)) {
      errors.deadline = ["The signing deadline must be in the future. To stop signatures now, close the statement."];
    }
    if (changed.includes("footnotes")) await checkFootnotesUnused(trx, before.id, parts.footnotes, input.footnotes, errors);
    if (Object.keys(errors).length) throw new FieldInputError(errors);

    await trx
      .updateTable("statements")
      .set({ ...after, ...(noted ? { text_updated_at: now.toISOString() } : {}) })
      .where("id", "=", before.id)
      .execute();
    if (changed.includes("points")) await writePoints(trx, before.id, input.points);
    if (changed.includes("footnotes")) await writeFootnotes(trx, before.id, input.footnotes);
    await recordAudit(trx, {
      actor: ctx.actor,
      ip: ctx.ip,
      action: "statement.updated",
      subjectType: "statement",
      subjectId: before.id,
      detail: { slug, status: before.status, changed, ...(noted ? { textUpdatedAt: now.toISOString() } : {}) },
    });
    await touchStatement(trx, before.id);
    return { changed, slug };
  });
}

function textColumns(input: StatementInput) {
  return {
    title: input.title,
    statement_date: input.date,
    author_organisation_id: input.author,
    language: input.language,
    lead_in: input.lead_in,
    body_markdown: input.body,
  };
}

async function slugOwner(db: DB, slug: string, exceptId: number | null) {
  let q = db.selectFrom("statements").select(["id", "title"]).where("slug", "=", slug);
  if (exceptId !== null) q = q.where("id", "!=", exceptId);
  return q.executeTakeFirst();
}

async function checkSlugFree(db: DB, slug: string, exceptId: number | null, errors: FieldErrors) {
  const owner = await slugOwner(db, slug, exceptId);
  if (owner) errors.slug = [`The address /s/${slug} is already used by the statement “${owner.title}”. Choose another.`];
}

/** `base`, or `base-2`, `base-3`… : the first address no other statement uses. */
async function freeSlug(db: DB, base: string, exceptId: number | null = null): Promise<string> {
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? "" : `-${n}`;
    const slug = base.slice(0, 80 - suffix.length).replace(/-+$/, "") + suffix;
    if (slugProblem(slug) === null && !(await slugOwner(db, slug, exceptId))) return slug;
  }
}

async function checkAuthor(db: DB, id: number | null, errors: FieldErrors) {
  if (id === null) return;
  const found = await db.selectFrom("organisations").select("id").where("id", "=", id).executeTakeFirst();
  if (!found) errors.author = ["There is no such organisation. Choose one from the list."];
}

// A footnote attached to signatories (by moderation) stays until they are detached:
// otherwise the public list would show a mark that explains nothing.
async function checkFootnotesUnused(db: DB, statementId: number, before: { mark: string }[], after: { mark: string }[], errors: FieldErrors) {
  const kept = new Set(after.map((f) => f.mark));
  const dropped = before.map((f) => f.mark).filter((m) => !kept.has(m));
  if (dropped.length === 0) return;
  const used = await db
    .selectFrom("signatures")
    .select(["footnote_mark", (eb) => eb.fn.countAll<number>().as("n")])
    .where("statement_id", "=", statementId)
    .where("footnote_mark", "in", dropped)
    .groupBy("footnote_mark")
    .execute();
  if (used.length) {
    errors.footnotes = used.map((u) => `The footnote ${u.footnote_mark} is attached to ${u.n} ${Number(u.n) === 1 ? "signatory" : "signatories"}; detach it in moderation before removing it.`);
  }
}

// Points keep their row (and id) by position: the text at position 3 is updated in place.
async function writePoints(db: DB, statementId: number, points: string[]) {
  const rows = await db.selectFrom("statement_points").select(["id", "position", "text"]).where("statement_id", "=", statementId).orderBy("position").orderBy("id").execute();
  for (const [position, text] of points.entries()) {
    const row = rows[position];
    if (!row) await db.insertInto("statement_points").values({ statement_id: statementId, position, text }).execute();
    else if (row.text !== text || row.position !== position) await db.updateTable("statement_points").set({ position, text }).where("id", "=", row.id).execute();
  }
  const surplus = rows.slice(points.length).map((r) => r.id);
  if (surplus.length) await db.deleteFrom("statement_points").where("id", "in", surplus).execute();
}

// Footnotes are shown in the order the form lists them, so a change rewrites them all;
// nothing refers to their ids (signatures carry the mark).
async function writeFootnotes(db: DB, statementId: number, footnotes: { mark: string; text: string }[]) {
  await db.deleteFrom("statement_footnotes").where("statement_id", "=", statementId).execute();
  if (footnotes.length) await db.insertInto("statement_footnotes").values(footnotes.map((f) => ({ statement_id: statementId, mark: f.mark, text: f.text }))).execute();
}
