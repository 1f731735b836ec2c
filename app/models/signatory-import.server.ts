// Importing signatories a coordinator already has: a pasted list (one organisation per
// line, as published) or a CSV file. A preview classifies every row (new, duplicate
// of whom, invalid and why) and writes nothing. Confirming re-reads the same text and
// classifies it again inside the write transaction, so a row that became a duplicate
// since the preview is skipped rather than written twice; the accepted rows, the
// version bump and the audit entry commit together or not at all.
import { distance } from "fastest-levenshtein";
import type { Statement } from "../../db/schema";
import { atomically, type DB } from "~/platform/db.server";
import { importRowSchema, parseImportText, type ImportRow, type ImportSource, type SourceRow } from "~/schemas/signatory-import.server";
import { type ChangeContext, recordAudit } from "./audit.server";
import { acronymKey, looseKey, nameKey, nearReasons, organisationEmailDomain, type Comparable } from "./name-matching.server";
import { touchStatement } from "./signatory-list.server";
import { canChange, refusalReason } from "./statement-lifecycle.server";

// Routes take the form reader from here: a .server module keeps zod out of the browser.
export { decodeUpload, readImportRequest, CSV_COLUMNS, IMPORT_MAX_LABEL, IMPORT_MAX_ROWS, type ImportSource } from "~/schemas/signatory-import.server";

export type RowKind = "new" | "duplicate" | "invalid" | "ignored";

/** One row of the preview, ready to show: long or invisible characters made harmless. */
export interface PreviewRow {
  line: number;
  name: string;
  acronym: string | null;
  country: string | null;
  email: string | null;
  footnoteMark: string | null;
  kind: RowKind;
  /** invalid: why; duplicate: of whom; ignored: why. */
  reasons: string[];
  /** Possible (near) duplicates of a new row, for the coordinator to judge. */
  warnings: string[];
}

export interface ImportPreview {
  source: ImportSource;
  rows: PreviewRow[];
  counts: Record<RowKind, number>;
}

type Classified = PreviewRow & { value: (ImportRow & { key: string }) | null };
type StatementRef = Pick<Statement, "id" | "lead_in">;

async function statementMarks(db: DB, statementId: number): Promise<string[]> {
  const rows = await db.selectFrom("statement_footnotes").select("mark").where("statement_id", "=", statementId).orderBy("id").execute();
  return rows.map((r) => r.mark);
}

/** Classifies parsed rows against the statement's signatures and each other. */
async function classify(db: DB, statementId: number, marks: string[], rows: SourceRow[], { near }: { near: boolean }): Promise<Classified[]> {
  const [existing, countries] = await Promise.all([
    db
      .selectFrom("signatures")
      .select(["organisation_name", "display_name", "acronym", "contact_email", "name_key", "status"])
      .where("statement_id", "=", statementId)
      .orderBy("id")
      .execute(),
    db.selectFrom("countries").select("code").execute(),
  ]);
  const countryCodes = new Set(countries.map((c) => c.code));
  const onStatement = new Map<string, (typeof existing)[number]>();
  for (const e of existing) if (!onStatement.has(e.name_key)) onStatement.set(e.name_key, e);
  const inFile = new Map<string, { line: number; name: string }>();
  const nearIndex = near ? new NearIndex() : null;
  if (nearIndex) {
    for (const e of existing) {
      const name = e.display_name ?? e.organisation_name;
      nearIndex.add(`“${shown(name)}” (${e.status}, on this statement)`, { name, acronym: e.acronym, email: e.contact_email });
    }
  }

  return rows.map((row): Classified => {
    const base = {
      line: row.line,
      name: shown(row.raw.name ?? ""),
      acronym: row.raw.acronym ? shown(row.raw.acronym) : null,
      country: row.raw.country ? shown(row.raw.country) : null,
      email: row.raw.email ? shown(row.raw.email) : null,
      footnoteMark: row.raw.footnote ? shown(row.raw.footnote) : null,
      warnings: [] as string[],
      value: null,
    };
    if (row.ignored) return { ...base, kind: "ignored", reasons: [row.ignored] };

    const reasons = [...row.problems];
    const parsed = importRowSchema.safeParse(row.raw);
    if (!parsed.success) reasons.push(...parsed.error.issues.map((i) => i.message));
    const value = parsed.success ? parsed.data : null;
    if (value?.country && !countryCodes.has(value.country)) reasons.push(`country '${visible(value.country)}' is not an ISO 3166-1 code`);
    if (value?.footnote && !marks.includes(value.footnote)) reasons.push(notAMark(value.footnote, marks));
    const key = value ? nameKey(value.name) : "";
    if (value && key === "") reasons.push("Name has no letters or digits.");
    if (!value || reasons.length) return { ...base, kind: "invalid", reasons };

    // Zero-width characters pass the field rules; the preview names them so a coordinator sees them.
    const shownRow = { ...base, name: shown(value.name, 300), acronym: value.acronym && shown(value.acronym), country: value.country, email: value.email, footnoteMark: value.footnote };
    const signed = onStatement.get(key);
    if (signed) return { ...shownRow, kind: "duplicate", reasons: [`already on this statement as “${signed.display_name ?? signed.organisation_name}” (${signed.status})`] };
    const earlier = inFile.get(key);
    if (earlier) return { ...shownRow, kind: "duplicate", reasons: [`same organisation as line ${earlier.line} (“${earlier.name}”)`] };
    inFile.set(key, { line: row.line, name: value.name });

    const comparable = { name: value.name, acronym: value.acronym, email: value.email };
    const warnings = nearIndex ? nearIndex.match(comparable) : [];
    nearIndex?.add(`line ${row.line} (“${value.name}”)`, comparable);
    return { ...shownRow, kind: "new", reasons: [], warnings, value: { ...value, key } };
  });
}

function notAMark(mark: string, marks: string[]): string {
  const known = marks.length ? `its marks are ${marks.join(" ")}` : "it has none; add the footnote to the statement first";
  return `footnote '${visible(mark)}' is not one of this statement's footnote marks (${known})`;
}

function countKinds(rows: { kind: RowKind }[]): Record<RowKind, number> {
  const counts: Record<RowKind, number> = { new: 0, duplicate: 0, invalid: 0, ignored: 0 };
  for (const r of rows) counts[r.kind]++;
  return counts;
}

/** What importing `text` would do. Reads only; nothing is written. */
export async function previewImport(db: DB, statement: StatementRef, source: ImportSource, text: string): Promise<{ ok: true; preview: ImportPreview } | { ok: false; message: string }> {
  const marks = await statementMarks(db, statement.id);
  const parsed = parseImportText(source, text, { leadIn: statement.lead_in });
  if (!parsed.ok) return parsed;
  const rows = (await classify(db, statement.id, marks, parsed.rows, { near: true })).map(({ value: _value, ...row }) => row);
  return { ok: true, preview: { source, rows, counts: countKinds(rows) } };
}

export type ImportOutcome = { ok: true; added: number; skipped: number } | { ok: false; message: string };

/**
 * Writes the new rows of `text` as approved signatures, in one transaction with the
 * statement's version bump and one audit entry. Rows that are (now) duplicates or
 * invalid are skipped. Nothing is written, and no entry made, when nothing is new.
 */
export async function commitImport(db: DB, ctx: ChangeContext, statementId: number, source: ImportSource, text: string, now = new Date()): Promise<ImportOutcome> {
  return atomically(db, async (trx) => {
    const statement = await trx.selectFrom("statements").select(["id", "slug", "lead_in", "status"]).where("id", "=", statementId).executeTakeFirst();
    if (!statement) return { ok: false, message: "There is no such statement." };
    if (!canChange(statement.status, "signatories")) return { ok: false, message: refusalReason(statement.status, "signatories") };
    const marks = await statementMarks(trx, statement.id);
    const parsed = parseImportText(source, text, { leadIn: statement.lead_in });
    if (!parsed.ok) return parsed;
    // The near-duplicate warnings are for the preview; the write needs only the exact rules.
    const rows = await classify(trx, statement.id, marks, parsed.rows, { near: false });
    const accepted = rows.flatMap((r) => (r.value ? [r.value] : []));
    const skipped = rows.length - accepted.length;
    if (accepted.length === 0) return { ok: true, added: 0, skipped };

    const organisations = await organisationsByKey(trx);
    const at = now.toISOString();
    const values = accepted.map((v) => ({
      statement_id: statement.id,
      organisation_id: organisations.get(v.key) ?? null,
      organisation_name: v.name,
      acronym: v.acronym,
      country_code: v.country,
      contact_email: v.email,
      name_key: v.key,
      email_domain: organisationEmailDomain(v.email),
      footnote_mark: v.footnote,
      status: "approved" as const,
      source: "import" as const,
      decided_at: at,
      decided_by: ctx.actor?.id ?? null,
    }));
    // 13 bound values a row: 500 rows stay far below SQLite's limit on variables.
    for (let i = 0; i < values.length; i += 500) await trx.insertInto("signatures").values(values.slice(i, i + 500)).execute();
    await touchStatement(trx, statement.id);
    await recordAudit(trx, {
      actor: ctx.actor,
      ip: ctx.ip,
      action: "signatures.imported",
      subjectType: "statement",
      subjectId: statement.id,
      detail: { slug: statement.slug, source, count: accepted.length, skipped },
    });
    return { ok: true, added: accepted.length, skipped };
  });
}

/** Organisations in the address book by folded name, to link an imported signature to its record; ambiguous names are left unlinked. */
async function organisationsByKey(db: DB): Promise<Map<string, number>> {
  const rows = await db.selectFrom("organisations").select(["id", "name"]).execute();
  const byKey = new Map<string, number | null>();
  for (const o of rows) {
    const key = nameKey(o.name);
    byKey.set(key, byKey.has(key) ? null : o.id);
  }
  return new Map([...byKey].filter((e): e is [string, number] => e[1] !== null));
}

const INVISIBLE = /[\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;

/** Control, zero-width and text-direction characters written out (⟨U+202E⟩), so a hostile row shows what it holds. */
export function visible(s: string): string {
  return s.replace(INVISIBLE, (c) => `⟨U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}⟩`);
}

/** `visible`, and cut to a length a table cell can hold. */
export function shown(s: string, max = 120): string {
  const chars = Array.from(s.length > max + 10 ? s.slice(0, max + 10) : s);
  return visible(chars.length > max ? `${chars.slice(0, max).join("")}…` : chars.join(""));
}

interface NearEntry {
  label: string;
  item: Comparable;
  loose: string;
}

const MAX_WARNINGS = 5;

/** Where the three pieces of a folded name of length `len` start, and how long they are. */
function pieces(len: number): [number, number][] {
  const base = Math.floor(len / 3);
  const sizes = [0, 1, 2].map((i) => base + (i < len % 3 ? 1 : 0));
  return [[0, sizes[0]], [sizes[0], sizes[1]], [sizes[0] + sizes[1], sizes[2]]];
}

/**
 * Near-duplicate warnings without comparing every pair (a 10,000-row file would
 * otherwise hold the server for many seconds). Candidates come from indexes: the same
 * acronym, the same organisation mail domain, or a folded name at most two edits
 * away, found by pigeonhole (two edits leave one of a name's three pieces intact,
 * shifted by at most two places). nearReasons has the last word on each candidate.
 */
export class NearIndex {
  private byPiece = new Map<string, NearEntry[]>();
  private byLoose = new Map<string, NearEntry[]>();
  private byAcronym = new Map<string, NearEntry[]>();
  private byDomain = new Map<string, NearEntry[]>();

  add(label: string, item: Comparable): void {
    const entry = { label, item, loose: looseKey(item.name) };
    push(this.byLoose, entry.loose, entry);
    // Names shorter than 6 folded characters are only "similar" when equal (see nearReasons).
    if (entry.loose.length >= 6) {
      pieces(entry.loose.length).forEach(([start, size], i) => push(this.byPiece, `${entry.loose.length}|${i}|${entry.loose.substr(start, size)}`, entry));
    }
    const acronym = acronymKey(item.acronym);
    if (acronym) push(this.byAcronym, acronym, entry);
    const domain = organisationEmailDomain(item.email);
    if (domain) push(this.byDomain, domain, entry);
  }

  /** "looks like “X” (pending, on this statement): similar name", for the first few near matches. */
  match(item: Comparable): string[] {
    const loose = looseKey(item.name);
    const warnings: string[] = [];
    const seen = new Set<NearEntry>();
    const consider = (list: NearEntry[] | undefined, byName: boolean) => {
      for (const e of list ?? []) {
        if (warnings.length === MAX_WARNINGS) return;
        if (seen.has(e) || (byName && distance(loose, e.loose) > 2)) continue;
        seen.add(e);
        const reasons = nearReasons(item, e.item);
        if (reasons.length) warnings.push(`looks like ${e.label}: ${reasons.join(", ")}`);
      }
    };
    consider(this.byLoose.get(loose), false);
    const acronym = acronymKey(item.acronym);
    if (acronym) consider(this.byAcronym.get(acronym), false);
    const domain = organisationEmailDomain(item.email);
    if (domain) consider(this.byDomain.get(domain), false);
    for (let len = Math.max(6, loose.length - 2); len <= loose.length + 2; len++) {
      pieces(len).forEach(([start, size], i) => {
        for (let shift = -2; shift <= 2; shift++) {
          const at = start + shift;
          if (at >= 0 && at + size <= loose.length) consider(this.byPiece.get(`${len}|${i}|${loose.substr(at, size)}`), true);
        }
      });
    }
    return warnings;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
