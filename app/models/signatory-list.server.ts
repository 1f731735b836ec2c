// The published signatory list: approved signatures in the statement language's
// alphabetical order. One place, used by the public page, the API and the exports,
// so they can never disagree. Also the one place that marks a statement as changed.
import type { DB } from "~/platform/db.server";
import { noteStatementVersion } from "~/models/statement-versions.server";

export interface ListedSignatory {
  id: number;
  name: string;
  acronym: string | null;
  country: string | null;
  footnoteMark: string | null;
}

const collators = new Map<string, Intl.Collator>();

/** Alphabetical order as readers of `language` expect it (English reproduces the CICC list). */
export function sortForDisplay<T extends { name: string }>(list: T[], language: string): T[] {
  let collator = collators.get(language);
  if (!collator) {
    collator = new Intl.Collator(Intl.Collator.supportedLocalesOf([language]).length ? language : "en");
    collators.set(language, collator);
  }
  return [...list].sort((a, b) => collator!.compare(a.name, b.name));
}

export async function approvedSignatories(db: DB, statementId: number, language: string): Promise<ListedSignatory[]> {
  const rows = await db
    .selectFrom("signatures")
    .select(["id", "organisation_name", "display_name", "acronym", "country_code", "footnote_mark"])
    .where("statement_id", "=", statementId)
    .where("status", "=", "approved")
    .execute();
  return sortForDisplay(
    rows.map((r) => ({ id: r.id, name: r.display_name ?? r.organisation_name, acronym: r.acronym, country: r.country_code, footnoteMark: r.footnote_mark })),
    language,
  );
}

/**
 * Marks a statement as changed: call it, inside the same transaction, after any
 * change to its text, status, points, footnotes or approved signatories. Public
 * caches compare versions, so forgetting this call shows stale pages.
 */
export async function touchStatement(db: DB, statementId: number): Promise<number> {
  const row = await db
    .updateTable("statements")
    .set((eb) => ({ version: eb("version", "+", 1), updated_at: new Date().toISOString() }))
    .where("id", "=", statementId)
    .returning("version")
    .executeTakeFirstOrThrow();
  // Noted before commit: if the transaction rolls back, the cache merely misses
  // until the next real change reaches this version; it never serves stale pages.
  noteStatementVersion(statementId, row.version);
  return row.version;
}
