// Reading an uploaded CSV table whose first line names its columns, for the
// importers (signatories, recipients). UTF-8 with or without BOM; comma or semicolon,
// whichever the header line uses (Excel writes ";" in many locales). Each row keeps
// the line it starts on in the file, so a preview can say "line 7: …" even after a
// quoted cell with a line break inside.
import { parse } from "csv-parse/sync";

export interface CsvTableRow {
  line: number;
  raw: Record<string, string>;
  problems: string[];
}

export type CsvTable = { ok: true; rows: CsvTableRow[] } | { ok: false; message: string };

export const stripBom = (s: string) => (s.charCodeAt(0) === 0xfeff ? s.slice(1) : s);
const count = (s: string, ch: string) => s.split(ch).length - 1;

/**
 * `columns` are the names the header line may use, in any order; `required` those it
 * must. One rule and one set of messages for every importer.
 */
export function readCsvTable(
  text: string,
  { maxRows, tooMany, columns, required }: { maxRows: number; tooMany: string; columns: readonly string[]; required: readonly string[] },
): CsvTable {
  const body = stripBom(text);
  if (!body.trim()) return { ok: false, message: "The file is empty." };
  const firstLine = body.slice(0, 10_000).split(/\r|\n/, 1)[0];
  const delimiter = count(firstLine, ";") > count(firstLine, ",") ? ";" : ",";
  let records: { record: string[]; raw: string }[];
  try {
    records = parse(body, { delimiter, raw: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true }) as unknown as typeof records;
  } catch (error) {
    return { ok: false, message: `The CSV file could not be read: ${error instanceof Error ? error.message.slice(0, 300) : "unknown error"}.` };
  }
  if (records.length - 1 > maxRows) return { ok: false, message: tooMany };
  const header = (records[0]?.record ?? []).map((h) => h.trim().toLowerCase());
  const problem = headerProblem(header, columns, required);
  if (problem) return { ok: false, message: problem };

  const rows: CsvTableRow[] = [];
  let breaksBefore = 0;
  for (const [k, { record, raw }] of records.entries()) {
    // csv-parse hands back each record's source text, skipped blank lines included:
    // counting line breaks gives the line the record starts on.
    const line = breaksBefore + (/^(?:\r\n|\r|\n)+/.exec(raw)?.[0].replace(/\r\n/g, "\n").length ?? 0) + 1;
    breaksBefore += raw.match(/\r\n|\r|\n/g)?.length ?? 0;
    if (k === 0 || record.every((c) => c.trim() === "")) continue;
    const problems = record.length === header.length ? [] : [`this line has ${record.length} cells; the header has ${header.length}`];
    rows.push({ line, raw: Object.fromEntries(header.map((h, i) => [h, record[i] ?? ""])), problems });
  }
  return { ok: true, rows };
}

/** Why the header line is not one the importer reads (an unknown, repeated or missing column), or null. */
export function headerProblem(header: string[], columns: readonly string[], required: readonly string[]): string | null {
  const expected = columns.join(", ");
  const unknown = header.find((h) => !columns.includes(h));
  if (unknown !== undefined) {
    const what = unknown === "" ? "an empty column name" : `“${unknown.slice(0, 40)}”`;
    return `The first line must name the columns (${expected}); it has ${what}. Is the header line missing?`;
  }
  const twice = header.find((h, i) => header.indexOf(h) !== i);
  if (twice) return `The column “${twice}” appears twice in the header line.`;
  const missing = required.filter((c) => !header.includes(c));
  if (missing.length) return `The header line needs ${missing.length === 1 ? `a “${missing[0]}” column` : `the columns ${missing.join(", ")}`} (columns: ${expected}).`;
  return null;
}
