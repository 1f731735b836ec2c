// Everything a cover letter says, gathered once from the database into plain data, so
// that rendering (app/services/letter-templates.server.ts) is a pure function of it.
// Markdown is turned into HTML and plain text here, with the same renderer as the
// public statement page, so a letter's appendix shows exactly what the public sees.
// Counts such as "the 124 other states parties" are never stored here as typed
// numbers: they come from statesPartiesOn for the letter's own date.
import type { RomeStatuteInstrument } from "../../db/schema";
import { getCountry, statesPartiesOn } from "~/models/country.server";
import { getOrganisation } from "~/models/organisation.server";
import { listSigners } from "~/models/signer.server";
import { approvedSignatories } from "~/models/signatory-list.server";
import { statementParts } from "~/models/statement.server";
import type { DB } from "~/services/db.server";
import { parseInlineMarkdown, parseMarkdown, renderInlineMarkdown, renderMarkdown } from "~/services/markdown.server";

/** HTML that came out of our Markdown renderer (raw HTML disabled), safe to print unescaped. */
export type SafeHtml = string & { readonly __safeHtml: true };

/** Markdown written in the app: the only way to obtain SafeHtml. */
export const markdownToSafeHtml = (source: string) => renderMarkdown(source) as SafeHtml;
export const inlineMarkdownToSafeHtml = (source: string) => renderInlineMarkdown(source) as SafeHtml;

/** Text with both renderings: `html` for .html.hbs (printed with {{{html}}}), `text` for .text.hbs. */
export interface RichText {
  html: SafeHtml;
  text: string;
}

export interface LetterPerson {
  name: string;
  title: string | null;
  institution: string | null;
  email: string | null;
  /** "Foreign Minister Espen Barth Eide": the template adds the comma (one given in the list is dropped). */
  salutation: string | null;
}

/** A recipient as the recipient list gives it: addressees go in the address block, copies in the CC list. */
export interface LetterRecipientInput extends LetterPerson {
  kind: "addressee" | "copy";
}

export interface LetterContext {
  /** The language the context was built for (templates are chosen by renderLetter's argument). */
  language: string;
  place: string;
  /** YYYY-MM-DD: the letter's date, which also decides the states-parties count. */
  date: string;
  /** The letterhead. */
  sender: { name: string; acronym: string | null; postalAddress: string | null; city: string | null; website: string | null; email: string | null };
  addressees: LetterPerson[];
  copies: LetterPerson[];
  /** The first addressee's salutation, or null for the language's default greeting. */
  salutation: string | null;
  country: {
    name: string;
    code: string;
    instrument: RomeStatuteInstrument | null;
    deposited: string | null;
    entryIntoForce: string | null;
    /** Whether the country is among the states parties on `date`. */
    isPartyOnDate: boolean;
  };
  /** How many states are parties on `date`: statesPartiesOn(db, date).length. */
  statesPartiesOnDate: number;
  /** The sender's own subject, or null for the language's default (subject.hbs). */
  subject: string | null;
  /** An optional paragraph of the sender's own, plain text (may contain line breaks). */
  ownParagraph: string | null;
  /** The statement's points, which the letter asks the government to act on. */
  demands: RichText[];
  signers: { name: string; title: string }[];
  /** The appendix: the statement as published, with its signatories. */
  statement: {
    title: string;
    date: string;
    /** The statement's language (its title, body, points and list are in it), for lang attributes. */
    language: string;
    author: { name: string; acronym: string | null } | null;
    bodyHtml: SafeHtml;
    bodyText: string;
    leadIn: string;
    signatories: { name: string; footnoteMark: string | null }[];
    footnotes: ({ mark: string } & RichText)[];
  };
}

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

// Plain text from the same Markdown: emphasis marks dropped, links as "label (url)",
// list items as "- ". The public renderer's own parser, so both read the same source alike.
type Token = ReturnType<typeof parseMarkdown>[number];

function inlineText(tokens: Token[] | null): string {
  let out = "";
  const links: { start: number; href: string }[] = [];
  for (const t of tokens ?? []) {
    if (t.type === "text" || t.type === "code_inline") out += t.content;
    else if (t.type === "softbreak") out += " ";
    else if (t.type === "hardbreak") out += "\n";
    else if (t.type === "image") out += t.content;
    else if (t.type === "link_open") links.push({ start: out.length, href: String(t.attrGet("href") ?? "") });
    else if (t.type === "link_close") {
      const link = links.pop();
      const label = link ? out.slice(link.start) : "";
      // An address that is its own label, or a jump within the page, adds nothing on paper.
      if (link && link.href && !link.href.startsWith("#") && link.href !== label && link.href !== `mailto:${label}`) out += ` (${link.href})`;
    }
  }
  return out;
}

export function inlineMarkdownToPlainText(source: string): string {
  return inlineText(parseInlineMarkdown(source)[0]?.children ?? null).trim();
}

export function markdownToPlainText(source: string): string {
  const blocks: { text: string; inList: boolean; newList: boolean }[] = [];
  const lists: { ordered: boolean; n: number }[] = [];
  let marker = "";
  let newList = false;
  for (const t of parseMarkdown(source)) {
    if (t.type === "bullet_list_open" || t.type === "ordered_list_open") {
      newList ||= lists.length === 0;
      lists.push({ ordered: t.type === "ordered_list_open", n: Number(t.attrGet("start") ?? 1) - 1 });
    } else if (t.type === "bullet_list_close" || t.type === "ordered_list_close") {
      lists.pop();
    } else if (t.type === "list_item_open") {
      const list = lists[lists.length - 1];
      list.n += 1;
      marker = list.ordered ? `${list.n}. ` : "- ";
    } else if (t.type === "inline" || t.type === "fence" || t.type === "code_block") {
      const text = t.type === "inline" ? inlineText(t.children) : t.content.trimEnd();
      const indent = "  ".repeat(Math.max(0, lists.length - 1));
      const lead = lists.length ? indent + (marker || "  ") : "";
      blocks.push({ text: lead + text.replace(/\n/g, `\n${" ".repeat(lead.length)}`), inList: lists.length > 0, newList });
      marker = "";
      newList = false;
    }
  }
  // Items of one list go on consecutive lines; everything else is a paragraph of its own.
  return blocks.map((b, i) => (i === 0 ? "" : b.inList && !b.newList && blocks[i - 1].inList ? "\n" : "\n\n") + b.text).join("");
}
