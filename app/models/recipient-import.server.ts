// A country's recipient list in and out of spreadsheets. Import follows the signatory
// import (docs/decisions/0005): a preview classifies every row and writes nothing; the
// confirmation re-posts the same text, and the rows are classified again inside the
// write transaction, so the list and the audit entry change together or not at all.
// Two modes: "add" appends the new rows (people already on the list are skipped);
// "replace" makes the file the whole list, which is how an exported list edited in a
// spreadsheet comes back. A list is a handful of officials, each of whom matters: an
// invalid row blocks the commit instead of being skipped.
import { stringify } from "csv-stringify/sync";
import type { Recipient, RecipientKind } from "../../db/schema";
import { atomically, type DB } from "~/platform/db.server";
import { parseRecipientCsv, RECIPIENT_CSV_COLUMNS, RECIPIENT_KINDS, recipientRowSchema, type CsvRow, type ImportMode, type RecipientRow } from "~/schemas/recipient.server";
import { type ChangeContext, recordAudit } from "./audit.server";
import { nameKey } from "./name-matching.server";
import { isStale, listRecipients } from "./recipient.server";
import { shown } from "./signatory-import.server";

// Routes take the form reader from here: a .server module keeps zod out of the browser.
export { decodeUpload, IMPORT_MAX_LABEL, RECIPIENT_CSV_COLUMNS, RECIPIENT_IMPORT_MAX_ROWS, readRecipientImportRequest, type ImportMode } from "~/schemas/recipient.server";

export type RowResult = "new" | "duplicate" | "invalid";

/** One row of the preview, ready to show: long or invisible characters made harmless. */
export interface PreviewRow {
  line: number;
  name: string;
  title: string;
  institution: string;
  email: string;
  salutation: string;
  language: string;
  kind: string;
  position: string;
  checkedOn: string;
  result: RowResult;
  /** invalid: why; duplicate: of whom. */
  reasons: string[];
  /** A valid row whose checked_on is already six months old. */
  stale: boolean;
}

export interface RecipientImportPreview {
  mode: ImportMode;
  rows: PreviewRow[];
  counts: Record<RowResult, number>;
  /** Replace mode: the current entries the import would remove. */
  removed: { name: string; title: string; kind: RecipientKind }[];
  /** Why the import cannot be confirmed as it is, or null. */
  blocked: string | null;
}

type Classified = PreviewRow & { value: RecipientRow | null };

function classify(rows: CsvRow[], existing: Recipient[], mode: ImportMode, today: string): Classified[] {
  const schema = recipientRowSchema(today);
  const onList = new Map<string, Recipient>();
  if (mode === "add") for (const r of existing) onList.set(nameKey(r.name), r);
  const inFile = new Map<string, { line: number; name: string }>();
  return rows.map((row): Classified => {
    const cell = (c: (typeof RECIPIENT_CSV_COLUMNS)[number], max = 120) => shown(row.raw[c] ?? "", max);
    const base = {
      line: row.line,
      name: cell("name"),
      title: cell("title"),
      institution: cell("institution"),
      email: cell("email"),
      salutation: cell("salutation"),
      language: cell("language", 40),
      kind: cell("kind", 40),
      position: cell("position", 20),
      checkedOn: cell("checked_on", 20),
      stale: false,
      value: null,
    };
    const reasons = [...row.problems];
    const parsed = schema.safeParse(row.raw);
    if (!parsed.success) reasons.push(...parsed.error.issues.map((i) => i.message));
    const value = parsed.success ? parsed.data : null;
    const key = value ? nameKey(value.name) : "";
    if (value && key === "") reasons.push("Name has no letters.");
    if (!value || reasons.length) return { ...base, result: "invalid", reasons };

    const shownRow = { ...base, language: value.language, kind: value.kind, stale: isStale(value.checked_on, today) };
    const listed = onList.get(key);
    if (listed) return { ...shownRow, result: "duplicate", reasons: [`already on the list as “${shown(listed.name)}” (${listed.title}, ${listed.kind})`] };
    const earlier = inFile.get(key);
    if (earlier) return { ...shownRow, result: "duplicate", reasons: [`same person as line ${earlier.line} (“${shown(earlier.name)}”)`] };
    inFile.set(key, { line: row.line, name: value.name });
    return { ...shownRow, result: "new", reasons: [], value };
  });
}

function countResults(rows: { result: RowResult }[]): Record<RowResult, number> {
  const counts: Record<RowResult, number> = { new: 0, duplicate: 0, invalid: 0 };
  for (const r of rows) counts[r.result]++;
  return counts;
}

// A replacement never empties a list: the file has at least one row, and with no
// invalid row at least one of them is new (a duplicate is of an earlier, new row).
function blockedReason(counts: Record<RowResult, number>): string | null {
  if (counts.invalid) return `${counts.invalid === 1 ? "One row is" : `${counts.invalid} rows are`} invalid. Correct the file and preview it again: an import writes every row or none.`;
  return null;
}

/** What importing `text` into the country's list would do. Reads only; nothing is written. */
export async function previewRecipientImport(
  db: DB,
  countryCode: string,
  mode: ImportMode,
  text: string,
  today: string,
): Promise<{ ok: true; preview: RecipientImportPreview } | { ok: false; message: string }> {
  const parsed = parseRecipientCsv(text);
  if (!parsed.ok) return parsed;
  const existing = await listRecipients(db, countryCode);
  const rows = classify(parsed.rows, existing, mode, today).map(({ value: _value, ...row }) => row);
  const counts = countResults(rows);
  const removed = mode === "replace" ? existing.map((r) => ({ name: shown(r.name), title: shown(r.title), kind: r.kind })) : [];
  return { ok: true, preview: { mode, rows, counts, removed, blocked: blockedReason(counts) } };
}

export type RecipientImportOutcome = { ok: true; added: number; skipped: number; removed: number } | { ok: false; message: string };

/**
 * Writes the new rows of `text` to the country's list in one transaction with one
 * audit entry: appended after each kind's entries ("add"), or as the whole list
 * ("replace"). Rows are ordered by kind, then by their position column (blank ones
 * after the numbered ones), then by line. Refused, with nothing written, while any
 * row is invalid.
 */
export async function commitRecipientImport(db: DB, ctx: ChangeContext, countryCode: string, mode: ImportMode, text: string, today: string): Promise<RecipientImportOutcome> {
  return atomically(db, async (trx) => {
    const parsed = parseRecipientCsv(text);
    if (!parsed.ok) return parsed;
    const existing = await listRecipients(trx, countryCode);
    const rows = classify(parsed.rows, existing, mode, today);
    const counts = countResults(rows);
    const blocked = blockedReason(counts);
    if (blocked) return { ok: false, message: blocked };
    const accepted = rows.flatMap((r) => (r.value ? [{ line: r.line, value: r.value }] : []));
    const skipped = rows.length - accepted.length;
    if (accepted.length === 0) return { ok: true, added: 0, skipped, removed: 0 };

    if (mode === "replace") await trx.deleteFrom("recipients").where("country_code", "=", countryCode).execute();
    const ordered = RECIPIENT_KINDS.flatMap((kind) =>
      accepted
        .filter((r) => r.value.kind === kind)
        .sort((a, b) => (a.value.position ?? Infinity) - (b.value.position ?? Infinity) || a.line - b.line)
        .map((r) => r.value),
    );
    await appendRecipients(trx, countryCode, ordered, mode === "replace" ? [] : existing);
    const removed = mode === "replace" ? existing.length : 0;
    await recordAudit(trx, {
      actor: ctx.actor,
      ip: ctx.ip,
      action: "recipients.imported",
      subjectType: "country",
      subjectId: countryCode,
      detail: { mode, added: accepted.length, skipped, removed, names: accepted.map((a) => a.value.name) },
    });
    return { ok: true, added: accepted.length, skipped, removed };
  });
}

/** One entry as a list file gives it (an imported row, the demo seed's data). */
export type RecipientEntry = Pick<Recipient, "name" | "title" | "institution" | "email" | "salutation" | "language" | "kind" | "checked_on">;

/**
 * Writes `entries` at the end of the country's list, in their order within each kind,
 * after the entries in `kept`. No audit entry: the caller records what it did as a whole.
 */
export async function appendRecipients(db: DB, countryCode: string, entries: RecipientEntry[], kept: Pick<Recipient, "kind" | "position">[] = []): Promise<void> {
  const next: Record<RecipientKind, number> = { addressee: 0, copy: 0 };
  for (const r of kept) next[r.kind] = Math.max(next[r.kind], r.position + 1);
  for (const e of entries) {
    await db
      .insertInto("recipients")
      .values({
        country_code: countryCode,
        name: e.name,
        title: e.title,
        institution: e.institution,
        email: e.email,
        salutation: e.salutation,
        language: e.language,
        kind: e.kind,
        position: next[e.kind]++,
        checked_on: e.checked_on,
      })
      .execute();
  }
}

/**
 * The list as CSV with the import's columns, so an exported list edited in a
 * spreadsheet can be imported back ("replace"). Position counts from 1 within each
 * kind. UTF-8 with a BOM, CRLF line ends, and any cell a spreadsheet would run as a
 * formula (starting with = + - @, tab or CR) prefixed with an apostrophe.
 */
export function recipientsCsv(recipients: Recipient[]): string {
  const seen: Record<RecipientKind, number> = { addressee: 0, copy: 0 };
  const records = recipients.map((r) => {
    const position = ++seen[r.kind];
    const cells: Record<(typeof RECIPIENT_CSV_COLUMNS)[number], string | number | null> = {
      name: r.name,
      title: r.title,
      institution: r.institution,
      email: r.email,
      salutation: r.salutation,
      language: r.language,
      kind: r.kind,
      position,
      checked_on: r.checked_on,
    };
    return RECIPIENT_CSV_COLUMNS.map((c) => cells[c]);
  });
  return stringify(records, { header: true, columns: [...RECIPIENT_CSV_COLUMNS], bom: true, record_delimiter: "windows", quote_record_delimiter: true, escape_formulas: true });
}

/** The download: its bytes, type and file name. */
export async function exportRecipients(db: DB, countryCode: string): Promise<{ body: string; contentType: string; filename: string }> {
  return {
    body: recipientsCsv(await listRecipients(db, countryCode)),
    contentType: "text/csv; charset=utf-8",
    filename: `recipients-${countryCode.replace(/[^A-Z]/g, "")}.csv`,
  };
}
