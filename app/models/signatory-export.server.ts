// Signatories out of Demarche: every signature with every field as CSV for the
// coordinators' own work, and the published list (approved signatures only, in
// display order, from approvedSignatories) as plain text, Markdown and JSON.
import { stringify } from "csv-stringify/sync";
import type { Signature, Statement } from "../../db/schema";
import type { DB } from "~/platform/db.server";
import { approvedSignatories, sortForDisplay, type ListedSignatory } from "./signatory-list.server";

export const EXPORT_FORMATS = {
  csv: { file: "signatories.csv", contentType: "text/csv; charset=utf-8", label: "CSV (spreadsheet)", publication: false },
  txt: { file: "signatories.txt", contentType: "text/plain; charset=utf-8", label: "Plain text", publication: true },
  md: { file: "signatories.md", contentType: "text/markdown; charset=utf-8", label: "Markdown", publication: true },
  json: { file: "signatories.json", contentType: "application/json; charset=utf-8", label: "JSON", publication: true },
} as const;
export type ExportFormat = keyof typeof EXPORT_FORMATS;

/** "signatories.csv" (the last segment of the download's address) -> "csv"; null for anything else. */
export function exportFormatOf(segment: string | undefined): ExportFormat | null {
  const found = Object.entries(EXPORT_FORMATS).find(([, f]) => f.file === segment);
  return found ? (found[0] as ExportFormat) : null;
}

// Every column of a signature except the two token hashes: they only ever match a
// link in someone's mailbox and are of no use, and some risk, in a spreadsheet.
export const CSV_EXPORT_COLUMNS = [
  "id", "statement_id", "status", "organisation_name", "display_name", "acronym", "country_code", "website",
  "contact_name", "contact_title", "contact_email", "email_domain", "note", "footnote_mark", "name_key", "source",
  "organisation_id", "consent_at", "verify_expires_at", "verified_at", "decided_at", "decided_by", "rejection_reason",
  "withdrawn_at", "removed_at", "ip", "created_at", "updated_at",
] as const satisfies readonly (keyof Signature)[];

/**
 * All signatures of a statement, every status, as CSV: UTF-8 with a BOM (Excel then
 * reads accents right), CRLF line ends, and any cell that a spreadsheet would run
 * as a formula (starting with = + - @, tab or CR) prefixed with an apostrophe.
 */
export function signaturesCsv(rows: Pick<Signature, (typeof CSV_EXPORT_COLUMNS)[number]>[]): string {
  return stringify(
    rows.map((r) => CSV_EXPORT_COLUMNS.map((c) => r[c])),
    { header: true, columns: [...CSV_EXPORT_COLUMNS], bom: true, record_delimiter: "windows", quote_record_delimiter: true, escape_formulas: true },
  );
}

export interface PublicationList {
  title: string;
  date: string;
  language: string;
  leadIn: string;
  footnotes: { mark: string; text: string }[];
  signatories: ListedSignatory[];
}

// Names and the lead-in are single lines; this keeps any that slipped in as one line.
const oneLine = (s: string) => s.replace(/[\r\n\u2028\u2029]+/g, " ");

/** Lead-in line, one name per line (with its footnote mark), then the footnotes. */
export function publicationText(list: PublicationList): string {
  const blocks = [
    list.leadIn.trim() ? [oneLine(list.leadIn)] : [],
    list.signatories.map((s) => oneLine(s.name) + (s.footnoteMark ?? "")),
    list.footnotes.map((f) => `${f.mark} ${oneLine(f.text)}`),
  ].filter((b) => b.length);
  return blocks.map((b) => b.join("\n")).join("\n\n") + "\n";
}

// CommonMark lets any ASCII punctuation be escaped. These are the characters that can
// start emphasis, code, links, images, HTML, entities, headings, lists, quotes, tables,
// or (":", "@", ".") an automatic link: escaped, a name is only ever text. Quotes,
// commas and slashes are left as they are, so the file stays readable.
const MARKDOWN_SPECIAL = /[\\`*_{}[\]()<>#+\-.!|~&:@=^$]/g;

export function escapeMarkdown(s: string): string {
  return oneLine(s).replace(MARKDOWN_SPECIAL, (c) => `\\${c}`);
}

/**
 * The list as Markdown: the lead-in as a paragraph, the names as a bulleted list,
 * then each footnote. Names, marks and the lead-in are escaped; a footnote's text is
 * Markdown already (the public page renders it so) and is passed through.
 */
export function publicationMarkdown(list: PublicationList): string {
  const blocks = [
    list.leadIn.trim() ? escapeMarkdown(list.leadIn) : "",
    list.signatories.map((s) => `- ${escapeMarkdown(s.name)}${s.footnoteMark ? escapeMarkdown(s.footnoteMark) : ""}`).join("\n"),
    ...list.footnotes.map((f) => `${escapeMarkdown(f.mark)} ${oneLine(f.text)}`),
  ].filter(Boolean);
  return blocks.join("\n\n") + "\n";
}

export function publicationJson(list: PublicationList) {
  return {
    title: list.title,
    date: list.date,
    language: list.language,
    leadIn: list.leadIn,
    footnotes: list.footnotes.map((f) => ({ mark: f.mark, text: f.text })),
    signatoryCount: list.signatories.length,
    signatories: list.signatories.map((s) => ({ name: s.name, acronym: s.acronym, country: s.country, footnoteMark: s.footnoteMark })),
  };
}

type ExportStatement = Pick<Statement, "id" | "slug" | "title" | "statement_date" | "language" | "lead_in">;

export async function publicationList(db: DB, statement: ExportStatement): Promise<PublicationList> {
  const [footnotes, signatories] = await Promise.all([
    db.selectFrom("statement_footnotes").select(["mark", "text"]).where("statement_id", "=", statement.id).orderBy("id").execute(),
    approvedSignatories(db, statement.id, statement.language),
  ]);
  return { title: statement.title, date: statement.statement_date, language: statement.language, leadIn: statement.lead_in, footnotes, signatories };
}

/** Every signature of the statement in display order (then by id), for the CSV. */
export async function allSignatures(db: DB, statement: Pick<Statement, "id" | "language">) {
  const rows = await db.selectFrom("signatures").select(CSV_EXPORT_COLUMNS).where("statement_id", "=", statement.id).orderBy("id").execute();
  return sortForDisplay(rows.map((row) => ({ name: row.display_name ?? row.organisation_name, row })), statement.language).map((r) => r.row);
}

/** The download: its bytes, type and a file name made from the slug. */
export async function exportSignatories(db: DB, statement: ExportStatement, format: ExportFormat): Promise<{ body: string; contentType: string; filename: string }> {
  const { file, contentType } = EXPORT_FORMATS[format];
  const filename = `${statement.slug.replace(/[^a-z0-9-]/g, "").slice(0, 80) || "statement"}-${file}`;
  if (format === "csv") return { body: signaturesCsv(await allSignatures(db, statement)), contentType, filename };
  const list = await publicationList(db, statement);
  const body = format === "txt" ? publicationText(list) : format === "md" ? publicationMarkdown(list) : JSON.stringify(publicationJson(list), null, 2) + "\n";
  return { body, contentType, filename };
}
