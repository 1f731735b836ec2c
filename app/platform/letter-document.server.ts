// The cover letter as plain data: what the templates (letter-templates.server.ts) and the
// PDF renderer (letter-pdf.server.ts) print. Gathering it from the database is the
// models' job (app/models/letter-context.server.ts); rendering is a pure function of it.
import type { RomeStatuteInstrument } from "../../db/schema";
import { LetterTemplateError } from "./handlebars.server";
import { renderInlineMarkdown, renderMarkdown } from "./markdown.server";

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

// ---- Plain-text safety. HTML escaping protects the HTML side; for both sides, every
// string is cleaned here: control characters and bidirectional overrides go (they can
// disguise text), and line breaks survive only in the fields meant to have them, so a
// name cannot start a line of its own ("CC: ...", a header, a fake signature).

const MULTILINE = new Set(["ownParagraph", "statement.bodyText", "sender.postalAddress"]);
// Fields typed SafeHtml: produced by our Markdown renderer, printed with {{{ }}}.
const HTML_FIELDS = new Set(["demands.html", "statement.bodyHtml", "statement.footnotes.html"]);
const CONTROLS = /[\u0000-\u0008\u000E-\u001F\u007F-\u0084\u0086-\u009F\u202A-\u202E\u2066-\u2069]/g;
const BREAK = /\r\n|[\r\n\u000B\u000C\u0085\u2028\u2029]/g;

function clean(value: unknown, at: string): unknown {
  // Strict mode catches absent keys; an explicit undefined would still print nothing.
  if (value === undefined) throw new LetterTemplateError("letter context", undefined, `"${at}" is undefined`);
  if (typeof value === "string") {
    if (HTML_FIELDS.has(at)) return value;
    const text = value.replace(CONTROLS, "");
    return MULTILINE.has(at) ? text.replace(BREAK, "\n").trim() : text.replace(BREAK, " ").replace(/\t/g, " ").replace(/ {2,}/g, " ").trim();
  }
  if (Array.isArray(value)) return value.map((v) => clean(v, at));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clean(v, at ? `${at}.${k}` : k)]));
  return value;
}

/** The context as templates see it: every string cleaned as above. */
export function cleanLetterContext(context: LetterContext): LetterContext {
  return clean(context, "") as LetterContext;
}
