// A statement as the coordinators' pages about it (its overview, publish, edit) read
// it: statements whose deadline has passed are closed first, so the status shown and
// the moves offered are the current ones, then its parts and its signature counts.
import type { DB } from "~/platform/db.server";
import { requireStatement, signatureCounts, statementParts } from "~/models/statement.server";
import { closeExpiredStatements } from "~/models/statement-lifecycle.server";

/** The statement at `slug` (NotFound otherwise), its points, footnotes and author, and its signatures by status. */
export async function statementOverview(db: DB, slug: string | undefined) {
  await closeExpiredStatements(db);
  const statement = await requireStatement(db, slug);
  const [parts, counts] = await Promise.all([statementParts(db, statement), signatureCounts(db, statement.id)]);
  return { statement, parts, counts };
}
