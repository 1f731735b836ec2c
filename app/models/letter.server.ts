// Saved cover letters. A letter is a statement written to one country by one sending
// organisation, signed by some of its signers, with a place, a date and a language. It
// is built from the country's recipient list (addressees in the address block, the
// others in the CC list) and rendered once, when saved: the stored outputs are what was
// reviewed, so they never change behind the sender's back. Instead, a fingerprint of
// everything the letter was built from is stored per source, and recomputed on reading
// to say whether (and why) the letter is out of date; regenerating builds it afresh.
// Validation, rendering, the row and its audit entry are one transaction: a refusal or
// a template error writes nothing.
import type { Letter } from "../../db/schema";
import type { FieldErrors } from "~/lib/field-errors";
import { atomically, type DB } from "~/platform/db.server";
import { buildLetterContext, LetterContextError, type LetterRequest } from "~/models/letter-context.server";
import { availableLetterLanguages, LetterTemplateError, renderLetter } from "~/platform/letter-templates.server";
import type { SessionUser } from "~/platform/session.server";
import type { LetterFormInput } from "~/schemas/letter.server";
import { type ChangeContext, recordAudit } from "./audit.server";
import { type Built, fingerprintOf, fingerprintParts, type Freshness, LETTER_SOURCES, type LetterSource, type Memo } from "./letter-fingerprint.server";
import { FieldInputError, Forbidden, FORM_ERRORS, NotFound } from "~/platform/errors.server";
import { getOrganisation } from "./organisation.server";
import { canActForOrganisation, canEditCountry, isCoordinator, organisationScope } from "./permissions.server";
import { applySwaps, asLetterRecipient, swapsOf, type RecipientSwap } from "./letter-recipients.server";
import { listRecipients } from "./recipient.server";
import { listSigners } from "./signer.server";
import { isPublic, PUBLIC_STATUSES } from "./statement-lifecycle.server";
import { currentOverrides } from "./template-version.server";

// Routes take their Zod schemas from here: a .server module keeps zod out of the browser.
export { letterFilterSchema, letterSchema, type LetterFormInput } from "~/schemas/letter.server";

/** FieldInputError key for errors that belong to no one field (a template error). */
export { FORM_ERRORS };

/**
 * Headers policy for serving a rendered letter as a document: its inline <style> (the
 * A4 print stylesheet) and nothing else. No scripts, no requests, no forms, no framing;
 * `sandbox` also gives it an opaque origin, so it can reach nothing of ours.
 */
export const LETTER_DOCUMENT_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox";

/** The form's choices, and for a saved letter the fallbacks it puts in place of bouncing recipients. */
export type LetterInput = LetterFormInput & { swaps?: RecipientSwap[] };

/** The seed writes the demo letter with no person behind it and no access check. */
export type LetterActor = SessionUser | "seed";

/** Checks the form against the database; fills in place and language. Throws FieldInputError. */
async function resolve(db: DB, actor: LetterActor, input: LetterInput) {
  const errors: FieldErrors = {};
  const [statement, country, organisation, languages] = await Promise.all([
    db.selectFrom("statements").select(["id", "status"]).where("id", "=", input.statementId).executeTakeFirst(),
    db.selectFrom("countries").select(["code", "name"]).where("code", "=", input.countryCode).executeTakeFirst(),
    getOrganisation(db, input.organisationId),
    availableLetterLanguages(),
  ]);
  if (!statement) errors.statementId = ["There is no such statement. Choose one from the list."];
  else if (!isPublic(statement.status)) errors.statementId = ["This statement is still a draft: letters carry statements that are open, closed or published."];

  const swaps = input.swaps ?? [];
  const recipients = country ? applySwaps(await listRecipients(db, country.code), swaps) : [];
  const addressees = recipients.filter((r) => r.kind === "addressee");
  if (!country) errors.countryCode = ["There is no country with that code. Choose one from the list."];
  else if (addressees.length === 0) errors.countryCode = [`${country.name} has no addressee in its recipient list yet: add one (such as the Foreign Minister) first.`];

  if (!organisation) errors.organisationId = ["There is no such organisation. Choose one from the list."];
  if (actor !== "seed" && !isCoordinator(actor)) {
    if (organisation && !canActForOrganisation(actor, organisation.id)) errors.organisationId = ["Members write only on behalf of their own organisation."];
    else if (country && !(await canEditCountry(db, actor, country.code))) errors.countryCode = [`Your organisation does not cover ${country.name}. A coordinator assigns countries to organisations.`];
  }

  const signers = organisation ? await listSigners(db, organisation.id) : [];
  if (organisation && input.signerIds.some((id) => !signers.some((s) => s.id === id))) errors.signerIds = [`Choose signers of ${organisation.name}.`];
  else if (new Set(input.signerIds).size !== input.signerIds.length) errors.signerIds = ["Each person signs once."];

  // Blank language: the first addressee's, if there are templates in it (or in its base language).
  const wanted = addressees[0]?.language;
  const fallback = [wanted, wanted?.split("-")[0]].find((l) => l && languages.includes(l)) ?? "en";
  const language = input.language ?? fallback;
  if (!languages.includes(language)) errors.language = [`There are no letter templates in “${language}”. Choose one of: ${languages.join(", ")}.`];

  const place = input.place ?? organisation?.city ?? null;
  if (organisation && !place) errors.place = [`Give the place the letter is written in: ${organisation.name} has no city on file.`];
  if (Object.keys(errors).length) throw new FieldInputError(errors);

  const built: Built = { ...input, place: place!, language, swaps };
  return { built, recipients, country: country!, organisation: organisation! };
}

/** Builds and renders the letter (a template error becomes a form error) and its fingerprint. */
async function build(db: DB, actor: LetterActor, input: LetterInput) {
  const resolved = await resolve(db, actor, input);
  const { built, recipients } = resolved;
  try {
    const context = await buildLetterContext(db, {
      ...built,
      recipients: recipients.map(asLetterRecipient),
    });
    const rendered = renderLetter(context, built.language, await currentOverrides(db));
    const parts = await fingerprintParts(db, built);
    return { ...resolved, rendered, parts };
  } catch (error) {
    if (error instanceof LetterTemplateError || error instanceof LetterContextError) throw new FieldInputError({ [FORM_ERRORS]: [error.message] });
    throw error;
  }
}

function columns(b: Awaited<ReturnType<typeof build>>) {
  const { built: l, rendered: r, parts } = b;
  return {
    statement_id: l.statementId,
    country_code: l.countryCode,
    organisation_id: l.organisationId,
    signer_ids: JSON.stringify(l.signerIds),
    place: l.place,
    letter_date: l.date,
    language: l.language,
    subject: l.subject,
    own_paragraph: l.ownParagraph,
    rendered_subject: r.subject,
    rendered_html: r.html,
    rendered_text: r.text,
    rendered_email_subject: r.emailSubject,
    rendered_email_html: r.emailHtml,
    rendered_email_text: r.emailText,
    fingerprint: fingerprintOf(parts),
    fingerprint_parts: JSON.stringify(parts),
    recipient_swaps: JSON.stringify(l.swaps),
    generated_at: new Date().toISOString(),
  };
}

const auditDetail = (b: Awaited<ReturnType<typeof build>>) => ({
  statementId: b.built.statementId, country: b.country.code, organisation: b.organisation.name, language: b.built.language, date: b.built.date,
});

/** Saves a new draft letter. Returns its id. Refusals: FieldInputError, nothing written. */
export async function createLetter(db: DB, actor: LetterActor, ctx: ChangeContext, input: LetterInput): Promise<number> {
  return atomically(db, async (trx) => {
    const built = await build(trx, actor, input);
    const { id } = await trx
      .insertInto("letters")
      .values({ ...columns(built), created_by: actor === "seed" ? null : actor.id })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(trx, { actor: ctx.actor, ip: ctx.ip, action: "letter.created", subjectType: "letter", subjectId: id, detail: auditDetail(built) });
    return id;
  });
}

/** Replaces a letter's choices and renders it again. */
export async function updateLetter(db: DB, actor: SessionUser, ctx: ChangeContext, id: number, input: LetterInput, action = "letter.updated", detail: Record<string, unknown> = {}): Promise<void> {
  await atomically(db, async (trx) => {
    await requireLetter(trx, actor, id);
    const built = await build(trx, actor, input);
    await trx.updateTable("letters").set({ ...columns(built), updated_at: new Date().toISOString() }).where("id", "=", id).execute();
    await recordAudit(trx, { actor: ctx.actor, ip: ctx.ip, action, subjectType: "letter", subjectId: id, detail: { ...auditDetail(built), ...detail } });
  });
}

/** The form's values a saved letter was made with, and its swaps. */
export function letterInput(letter: Letter): LetterInput & { swaps: RecipientSwap[] } {
  return {
    statementId: letter.statement_id,
    countryCode: letter.country_code,
    organisationId: letter.organisation_id,
    signerIds: JSON.parse(letter.signer_ids) as number[],
    place: letter.place,
    date: letter.letter_date,
    language: letter.language,
    subject: letter.subject,
    ownParagraph: letter.own_paragraph,
    swaps: swapsOf(letter),
  };
}

/** Builds the letter again from today's statement, recipients, sender and templates. */
export async function regenerateLetter(db: DB, actor: SessionUser, ctx: ChangeContext, id: number): Promise<void> {
  await atomically(db, async (trx) => {
    const letter = await trx.selectFrom("letters").selectAll().where("id", "=", id).executeTakeFirst();
    if (!letter) throw new NotFound("There is no such letter.");
    await updateLetter(trx, actor, ctx, id, letterInput(letter), "letter.regenerated");
  });
}

/** Recomputes the fingerprint and names the sources that changed since the letter was generated. */
export async function isLetterOutOfDate(db: DB, letter: Letter, memo: Memo = new Map()): Promise<Freshness> {
  const input = letterInput(letter);
  const now = await fingerprintParts(db, { ...input, place: letter.place, language: letter.language }, memo);
  const then = JSON.parse(letter.fingerprint_parts) as Partial<Record<LetterSource, string>>;
  const changed = LETTER_SOURCES.filter((s) => then[s] !== now[s]);
  return { outOfDate: changed.length > 0 || fingerprintOf(now) !== letter.fingerprint, changed };
}

function withNames(db: DB) {
  return db
    .selectFrom("letters")
    .innerJoin("statements", "statements.id", "letters.statement_id")
    .innerJoin("countries", "countries.code", "letters.country_code")
    .innerJoin("organisations", "organisations.id", "letters.organisation_id")
    .selectAll("letters")
    .select(["statements.title as statement_title", "statements.slug as statement_slug", "countries.name as country_name", "organisations.name as sender_name"]);
}

/** The letters `user` may see (members: their organisation's; coordinators: all), newest first, each with its freshness. */
export async function listLetters(db: DB, user: SessionUser, filters: { statement?: number | null; country?: string | null } = {}) {
  let query = withNames(db).orderBy("letters.letter_date", "desc").orderBy("letters.id", "desc");
  const only = organisationScope(user);
  if (only !== null) query = query.where("letters.organisation_id", "=", only);
  if (filters.statement) query = query.where("letters.statement_id", "=", filters.statement);
  if (filters.country) query = query.where("letters.country_code", "=", filters.country);
  const letters = await query.execute();
  const memo: Memo = new Map();
  return Promise.all(letters.map(async (l) => ({ ...l, freshness: await isLetterOutOfDate(db, l, memo) })));
}

/** The letter with its names, or 404 (unknown) / 403 (a member asking for another organisation's letter). */
export async function letterFor(db: DB, user: SessionUser, idParam: string | number | undefined) {
  const id = Number(idParam);
  const letter = Number.isSafeInteger(id) && id > 0 ? await withNames(db).where("letters.id", "=", id).executeTakeFirst() : undefined;
  if (!letter) return 404 as const;
  if (!canActForOrganisation(user, letter.organisation_id)) return 403 as const;
  return letter;
}

/** As letterFor, throwing NotFound or Forbidden (with `refusal`, what a member may not do). */
export async function requireLetter(db: DB, user: SessionUser, idParam: string | number | undefined, refusal = "Members see only their own organisation's letters.") {
  const letter = await letterFor(db, user, idParam);
  if (letter === 404) throw new NotFound("There is no such letter.");
  if (letter === 403) throw new Forbidden(refusal);
  return letter;
}

/** What the new-letter form offers `user`: statements that are not drafts, countries, senders with their signers. */
export async function letterFormChoices(db: DB, user: SessionUser) {
  const only = organisationScope(user);
  let countries = db.selectFrom("countries").select(["code", "name"]).orderBy("name");
  countries = only === null
    ? countries.where("code", "in", (eb) => eb.selectFrom("recipients").select("country_code").where("kind", "=", "addressee"))
    : countries.where("code", "in", (eb) => eb.selectFrom("organisation_countries").select("country_code").where("organisation_id", "=", only));
  let organisations = db.selectFrom("organisations").select(["id", "name", "city"]).orderBy("name");
  organisations = only === null
    ? organisations.where("id", "in", (eb) => eb.selectFrom("signers").select("organisation_id"))
    : organisations.where("id", "=", only);
  const [statements, countryRows, orgRows] = await Promise.all([
    db.selectFrom("statements").select(["id", "title"]).where("status", "in", PUBLIC_STATUSES).orderBy("statement_date", "desc").orderBy("id", "desc").execute(),
    countries.execute(),
    organisations.execute(),
  ]);
  // Every sender's signers in one query, in signing order.
  const signerRows = orgRows.length
    ? await db.selectFrom("signers").select(["id", "name", "title", "organisation_id"]).where("organisation_id", "in", orgRows.map((o) => o.id)).orderBy("position").orderBy("id").execute()
    : [];
  const senders = orgRows.map((o) => ({ ...o, signers: signerRows.filter((s) => s.organisation_id === o.id).map((s) => ({ id: s.id, name: s.name, title: s.title })) }));
  return { statements, countries: countryRows, senders, languages: availableLetterLanguages() };
}
