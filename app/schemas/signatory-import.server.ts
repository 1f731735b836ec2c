// The edge of the signatory import: the form, the two input formats (a pasted list,
// a CSV file) read into raw rows with their line numbers, and the rules for one row.
// A row's fields go through the same rules as every other form (common.server.ts):
// single lines, no control or text-direction characters, bounded lengths. Whether a
// country exists, whether a footnote mark is the statement's, and whether the row
// is a duplicate are database questions, answered in models/signatory-import.server.ts.
import { readCsvTable, stripBom } from "~/platform/csv-table.server";
import { z } from "zod";
import { optionalEmail, optionalLine, line } from "./common.server";
import { IMPORT_MAX_LABEL, readImportForm, type ImportFormRequest } from "./import-upload.server";

export { decodeUpload, IMPORT_MAX_BYTES, IMPORT_MAX_LABEL } from "./import-upload.server";
export const IMPORT_MAX_ROWS = 10_000;
export const CSV_COLUMNS = ["name", "acronym", "country", "email", "footnote"] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** One row as the file or the pasted line gave it; blank cells are absent or "". */
export type RawImportRow = Partial<Record<CsvColumn, string>>;

// Country and footnote are only tidied here; the model checks them against the database.
const code = (label: string, max: number) => optionalLine(label, max);

export const importRowSchema = z.object({
  name: line("Name", 300),
  acronym: optionalLine("Acronym", 40),
  country: code("Country", 60).transform((v) => v?.toUpperCase() ?? null),
  email: optionalEmail("Email"),
  footnote: code("Footnote", 10),
});
export type ImportRow = z.infer<typeof importRowSchema>;

export const importFormSchema = z.object({
  intent: z.enum(["preview", "confirm"], { error: "Unknown action." }),
  source: z.enum(["paste", "csv"], { error: "Choose a pasted list or a CSV file." }),
  text: z.string().default(""),
});
export type ImportForm = z.infer<typeof importFormSchema>;

export type ImportRequest = ImportFormRequest<ImportForm>;

const tooLarge = (what: string) => `The ${what} is larger than ${IMPORT_MAX_LABEL}. Split it into smaller parts and import them one after the other.`;

/** Reads the import form: the CSV upload, or the pasted list (or CSV text) and the confirmation. */
export function readImportRequest(request: Request): Promise<ImportRequest> {
  return readImportForm(request, {
    schema: importFormSchema,
    fields: ["intent", "source", "text"],
    tooLarge: (file) => tooLarge(file ? "file" : "list"),
    textIsFile: (data) => data.source === "csv",
  });
}

export type ImportSource = ImportForm["source"];

/** A row as read from the input: its first line, its cells, and why it is not a row at all (`ignored`). */
export interface SourceRow {
  line: number;
  raw: RawImportRow;
  problems: string[];
  ignored: string | null;
}

export type ParsedText = { ok: true; rows: SourceRow[] } | { ok: false; message: string };

const tooMany = (): ParsedText => ({ ok: false, message: `Import at most ${IMPORT_MAX_ROWS.toLocaleString("en")} organisations at a time; split the list.` });
const fold = (s: string) => s.normalize("NFC").replace(/\s+/g, " ").trim().toLowerCase();

export function parseImportText(source: ImportSource, text: string, statement: { leadIn: string }): ParsedText {
  const parsed = source === "csv" ? parseCsv(text) : parsePastedList(text, statement);
  if (parsed.ok && parsed.rows.length === 0) {
    return { ok: false, message: source === "csv" ? "The file has no rows below its header line." : "Paste the list of organisations, one per line." };
  }
  return parsed;
}

// List bullets as word processors and web pages paste them.
const BULLET = /^(?:[-\u2013\u2014]\s+|[\u2022\u00B7\u25AA\u25E6\u2023]\s*)/;
// Footnote marks the pasted list can carry after a name ("Asia Justice Coalition (AJC)*").
const MARK_CHARS = "*\u2020\u2021\u00A7\u00B6\u2070\u00B9\u00B2\u00B3\u2074\u2075\u2076\u2077\u2078\u2079";
// "(AJC)", "(REQCI)", "(RSF)": at least two capitals, no spaces.
const ACRONYM = /^(?=(?:[^\p{Lu}]*\p{Lu}){2})[\p{L}\p{N}&.'\-/]{2,20}$/u;

/**
 * One organisation per line, as a signatory list is published: bullets, blank lines
 * and surrounding spaces are dropped; a trailing footnote mark becomes the row's
 * footnote; a trailing "(ACRONYM)" fills the acronym while the name keeps it. The
 * statement's lead-in line and footnote texts (lines starting with a mark) are
 * recognised and ignored, so a whole published list can be pasted as it is.
 */
export function parsePastedList(text: string, { leadIn }: { leadIn: string }): ParsedText {
  const rows: SourceRow[] = [];
  const lead = leadIn.trim() ? fold(leadIn) : null;
  for (const [i, original] of stripBom(text).split(/\r\n|\r|\n/).entries()) {
    const line = original.trim().replace(BULLET, "");
    if (!line) continue;
    if (rows.length === IMPORT_MAX_ROWS) return tooMany();
    const at = { line: i + 1, problems: [] };
    if (lead && line.length <= 2000 && fold(line) === lead) rows.push({ ...at, raw: { name: line }, ignored: "the statement's lead-in line, not an organisation" });
    else if (MARK_CHARS.includes(line[0])) rows.push({ ...at, raw: { name: line }, ignored: "footnote text, not an organisation" });
    else rows.push({ ...at, raw: splitPublishedName(line), ignored: null });
  }
  return { ok: true, rows };
}

function splitPublishedName(line: string): RawImportRow {
  let end = line.length;
  while (end > 0 && MARK_CHARS.includes(line[end - 1])) end--;
  const footnote = end < line.length ? line.slice(end) : undefined;
  const name = line.slice(0, end).trimEnd();
  let acronym: string | undefined;
  if (name.endsWith(")")) {
    const inner = name.slice(name.lastIndexOf("(") + 1, -1);
    if (inner.length <= 20 && ACRONYM.test(inner)) acronym = inner;
  }
  return { name, acronym, footnote };
}

/**
 * A CSV file whose first line names its columns (name, acronym, country, email,
 * footnote; any order, only name required). UTF-8 with or without BOM; comma or
 * semicolon, whichever the header line uses (Excel in many locales writes ";").
 */
export function parseCsv(text: string): ParsedText {
  const table = readCsvTable(text, { maxRows: IMPORT_MAX_ROWS, tooMany: (tooMany() as { message: string }).message, columns: CSV_COLUMNS, required: ["name"] });
  if (!table.ok) return table;
  return { ok: true, rows: table.rows.map((row) => ({ ...row, ignored: null })) };
}

