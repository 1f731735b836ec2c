// The demo statement: the Coalition for the ICC's joint statement of 14 January 2025,
// published, with its 129 signatories approved. The text lives in demo-statement.json
// (our own summary, not the original wording); the signatories are the organisations
// of demo-organisations.json, whose names are exactly as published, so each signature
// is linked to its organisation.
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../../db/schema";
import { nameKey } from "~/models/name-matching.server";
import organisations from "../../../db/seed/demo-organisations.json";
import statement from "../../../db/seed/demo-statement.json";

export const DEMO_STATEMENT_SLUG = statement.slug;

/** Inserts the demo statement unless its slug exists (a rerun adds nothing). Returns its id. */
export async function loadDemoStatement(
  db: Kysely<Database> | Transaction<Database>,
  { coalitionId }: { coalitionId: number },
): Promise<{ statementId: number }> {
  const existing = await db.selectFrom("statements").select("id").where("slug", "=", statement.slug).executeTakeFirst();
  if (existing) return { statementId: existing.id };

  const { id } = await db
    .insertInto("statements")
    .values({
      slug: statement.slug,
      title: statement.title,
      statement_date: statement.date,
      author_organisation_id: coalitionId,
      language: statement.language,
      body_markdown: statement.body.join("\n\n"),
      lead_in: statement.leadIn,
      status: "published",
      published_at: statement.date,
    })
    .returning("id")
    .executeTakeFirstOrThrow();

  await db
    .insertInto("statement_points")
    .values(statement.points.map((text, i) => ({ statement_id: id, position: i + 1, text })))
    .execute();
  await db
    .insertInto("statement_footnotes")
    .values(statement.footnotes.map((f) => ({ statement_id: id, mark: f.mark, text: f.text })))
    .execute();

  const names = organisations.signatories.map((o) => o.name);
  const rows = await db.selectFrom("organisations").select(["id", "name"]).where("name", "in", names).execute();
  const organisationIds = new Map(rows.map((r) => [r.name, r.id]));
  const marks: Record<string, string> = statement.footnoteMarks;
  await db
    .insertInto("signatures")
    .values(
      organisations.signatories.map((o) => ({
        statement_id: id,
        organisation_id: organisationIds.get(o.name) ?? null,
        organisation_name: o.name,
        acronym: o.acronym,
        country_code: o.country_code,
        name_key: nameKey(o.name),
        footnote_mark: marks[o.name] ?? null,
        status: "approved" as const,
        source: "import" as const,
        decided_at: statement.date,
      })),
    )
    .execute();
  return { statementId: id };
}
