// Everything a cover letter says, gathered once from the database into plain data, so
// that rendering (app/platform/letter-templates.server.ts) is a pure function of it.
// Markdown is turned into HTML and plain text here, with the same renderer as the
// public statement page, so a letter's appendix shows exactly what the public sees.
// Counts such as "the 124 other states parties" are never stored here as typed
// numbers: they come from statesPartiesOn for the letter's own date.
import { getCountry, statesPartiesOn } from "~/models/country.server";
import { getOrganisation } from "~/models/organisation.server";
import { listSigners } from "~/models/signer.server";
import { approvedSignatories } from "~/models/signatory-list.server";
import { statementParts } from "~/models/statement.server";
import type { DB } from "~/platform/db.server";
import { inlineMarkdownToPlainText, markdownToPlainText } from "~/platform/markdown.server";
import { inlineMarkdownToSafeHtml, markdownToSafeHtml, type LetterContext, type LetterPerson, type LetterRecipientInput, type RichText } from "~/platform/letter-document.server";


export interface LetterRequest {
  statementId: number;
  countryCode: string;
  organisationId: number;
  /** In the order they sign; each must be a signer of the organisation. */
  signerIds: number[];
  place: string;
  date: string;
  language: string;
  ownParagraph: string | null;
  /** In list order; at least one addressee. */
  recipients: LetterRecipientInput[];
  /** Null or absent: the template's default subject. */
  subject?: string | null;
}

export class LetterContextError extends Error {
  name = "LetterContextError";
}

export async function buildLetterContext(db: DB, request: LetterRequest): Promise<LetterContext> {
  return (await buildLetterContexts(db, [request]))[0];
}

/**
 * Many letters at once (bulk generation): the statement, its signatories, each
 * sender and each day's states parties are read once for the whole batch. The
 * contexts share those parts, which is safe: rendering never changes a context. A
 * caller building letters one at a time (to fail each alone) passes one `memo` for all.
 */
export async function buildLetterContexts(db: DB, requests: LetterRequest[], memo = new Map<string, Promise<unknown>>()): Promise<LetterContext[]> {
  const once = <T>(key: string, load: () => Promise<T>): Promise<T> => {
    if (!memo.has(key)) memo.set(key, load());
    return memo.get(key) as Promise<T>;
  };
  const contexts: LetterContext[] = [];
  for (const request of requests) {
    const { date, language } = request;
    if (!/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(language)) throw new LetterContextError(`"${language}" is not a language code`);
    const addressees = request.recipients.filter((r) => r.kind === "addressee").map(person);
    const copies = request.recipients.filter((r) => r.kind === "copy").map(person);
    if (addressees.length === 0) throw new LetterContextError("A letter needs at least one addressee.");
    // statesPartiesOn validates the date; getCountry answers with the same rule for the same day.
    const parties = await once(`parties ${date}`, () => statesPartiesOn(db, date));
    const country = await getCountry(db, request.countryCode, date);
    if (!country) throw new LetterContextError(`There is no country with the code "${request.countryCode}".`);
    const [appendix, sender] = await Promise.all([
      once(`statement ${request.statementId}`, () => loadAppendix(db, request.statementId)),
      once(`sender ${request.organisationId}`, () => loadSender(db, request.organisationId)),
    ]);
    const signers = request.signerIds.map((id) => {
      const signer = sender.signers.find((s) => s.id === id);
      if (!signer) throw new LetterContextError(`Signer ${id} does not sign for ${sender.letterhead.name}.`);
      return { name: signer.name, title: signer.title };
    });
    contexts.push({
      language,
      place: request.place,
      date,
      sender: sender.letterhead,
      addressees,
      copies,
      salutation: addressees[0].salutation,
      country: {
        name: country.name,
        code: country.code,
        instrument: country.rs_instrument,
        deposited: country.rs_deposited,
        entryIntoForce: country.rs_entry_into_force,
        isPartyOnDate: country.is_party,
      },
      statesPartiesOnDate: parties.length,
      subject: request.subject?.trim() || null,
      ownParagraph: request.ownParagraph?.trim() || null,
      demands: appendix.demands,
      signers,
      statement: appendix.statement,
    });
  }
  return contexts;
}

async function loadAppendix(db: DB, statementId: number): Promise<Pick<LetterContext, "demands" | "statement">> {
  const statement = await db.selectFrom("statements").selectAll().where("id", "=", statementId).executeTakeFirst();
  if (!statement) throw new LetterContextError(`There is no statement ${statementId}.`);
  const [parts, author, signatories] = await Promise.all([
    statementParts(db, statement),
    statement.author_organisation_id === null
      ? undefined
      : db.selectFrom("organisations").select(["name", "acronym"]).where("id", "=", statement.author_organisation_id).executeTakeFirst(),
    // The statement's own language, as on the public page: the appendix is that list.
    approvedSignatories(db, statement.id, statement.language),
  ]);
  return {
    demands: parts.points.map((p) => richInline(p.text)),
    statement: {
      title: statement.title,
      date: statement.statement_date,
      language: statement.language,
      author: author ?? null,
      bodyHtml: markdownToSafeHtml(statement.body_markdown),
      bodyText: markdownToPlainText(statement.body_markdown),
      leadIn: statement.lead_in,
      signatories: signatories.map((s) => ({ name: s.name, footnoteMark: s.footnoteMark })),
      footnotes: parts.footnotes.map((f) => ({ mark: f.mark, ...richInline(f.text) })),
    },
  };
}

async function loadSender(db: DB, organisationId: number) {
  const org = await getOrganisation(db, organisationId);
  if (!org) throw new LetterContextError(`There is no organisation ${organisationId}.`);
  const letterhead: LetterContext["sender"] = {
    name: org.name,
    acronym: org.acronym,
    postalAddress: org.postal_address,
    city: org.city,
    website: org.website,
    email: org.contact_email,
  };
  return { letterhead, signers: await listSigners(db, org.id) };
}

function person(r: LetterRecipientInput): LetterPerson {
  // Recipient lists may store the salutation with its comma ("Foreign Minister X,");
  // the templates punctuate it, as each language does.
  const salutation = r.salutation?.trim().replace(/\s*,$/, "") || null;
  return { name: r.name, title: r.title, institution: r.institution, email: r.email, salutation };
}

function richInline(source: string): RichText {
  return { html: inlineMarkdownToSafeHtml(source), text: inlineMarkdownToPlainText(source) };
}
