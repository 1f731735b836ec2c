// Saved cover letters: a statement, written to one country by one sending organisation,
// signed by some of its signers (signer_ids: a JSON array of ids, in signing order),
// with its place, date and language. The rendered outputs are stored as generated, so a
// letter reads the same tomorrow even when its recipients or templates change; the
// fingerprint (and its parts) records what it was built from, so the app can say that
// a letter is out of date, and why. Later issues add 'approved' and 'sent' statuses.
// Migrations never import app code: they must still run after the app has moved on.
import { sql, type Kysely } from "kysely";

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("letters")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("statement_id", "integer", (c) => c.notNull().references("statements.id"))
    .addColumn("country_code", "text", (c) => c.notNull().references("countries.code"))
    // No cascade: deleting an organisation that has letters is refused (organisation.server.ts).
    .addColumn("organisation_id", "integer", (c) => c.notNull().references("organisations.id"))
    .addColumn("signer_ids", "text", (c) => c.notNull().check(sql`json_valid(signer_ids) and json_type(signer_ids) = 'array'`))
    .addColumn("place", "text", (c) => c.notNull())
    .addColumn("letter_date", "text", (c) => c.notNull().check(sql`letter_date glob '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'`))
    .addColumn("language", "text", (c) => c.notNull())
    .addColumn("subject", "text")
    .addColumn("own_paragraph", "text")
    .addColumn("status", "text", (c) => c.notNull().defaultTo("draft").check(sql`status in ('draft')`))
    .addColumn("rendered_subject", "text", (c) => c.notNull())
    .addColumn("rendered_html", "text", (c) => c.notNull())
    .addColumn("rendered_text", "text", (c) => c.notNull())
    .addColumn("rendered_email_subject", "text", (c) => c.notNull())
    .addColumn("rendered_email_html", "text", (c) => c.notNull())
    .addColumn("rendered_email_text", "text", (c) => c.notNull())
    .addColumn("fingerprint", "text", (c) => c.notNull())
    // {"statement": sha256, "recipients": ..., "sender": ..., "templates": ..., "letter": ...}
    .addColumn("fingerprint_parts", "text", (c) => c.notNull().check(sql`json_valid(fingerprint_parts)`))
    .addColumn("generated_at", "text", (c) => c.notNull())
    .addColumn("created_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "text", (c) => c.notNull().defaultTo(now))
    .execute();
  // Members list their organisation's letters; the list filters by statement and country.
  await db.schema.createIndex("letters_organisation").on("letters").column("organisation_id").execute();
  await db.schema.createIndex("letters_statement_country").on("letters").columns(["statement_id", "country_code"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("letters").execute();
}
