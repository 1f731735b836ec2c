// Joint statements and their signatures. A statement's `version` is bumped by every
// change that shows on its public page (text, status, approved signatories), so the
// rendered page can be cached and invalidated by comparing versions.
import { sql, type Kysely } from "kysely";

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("statements")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("slug", "text", (c) => c.notNull().unique().check(sql`slug glob '[a-z0-9]*' and slug not glob '*[^a-z0-9-]*' and length(slug) <= 80`))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("statement_date", "text", (c) => c.notNull())
    .addColumn("author_organisation_id", "integer", (c) => c.references("organisations.id").onDelete("restrict"))
    .addColumn("language", "text", (c) => c.notNull().defaultTo("en"))
    .addColumn("body_markdown", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("lead_in", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("status", "text", (c) => c.notNull().defaultTo("draft").check(sql`status in ('draft','open','closed','published')`))
    .addColumn("signing_deadline", "text")
    .addColumn("published_at", "text")
    .addColumn("text_updated_at", "text")
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "text", (c) => c.notNull().defaultTo(now))
    .execute();

  await db.schema
    .createTable("statement_points")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("statement_id", "integer", (c) => c.notNull().references("statements.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("statement_points_order").on("statement_points").columns(["statement_id", "position"]).execute();

  await db.schema
    .createTable("statement_footnotes")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("statement_id", "integer", (c) => c.notNull().references("statements.id").onDelete("cascade"))
    .addColumn("mark", "text", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull())
    .addUniqueConstraint("statement_footnotes_mark", ["statement_id", "mark"])
    .execute();

  await db.schema
    .createTable("signatures")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("statement_id", "integer", (c) => c.notNull().references("statements.id").onDelete("cascade"))
    .addColumn("organisation_id", "integer", (c) => c.references("organisations.id").onDelete("set null"))
    .addColumn("organisation_name", "text", (c) => c.notNull())
    .addColumn("display_name", "text")
    .addColumn("acronym", "text")
    .addColumn("country_code", "text", (c) => c.references("countries.code"))
    .addColumn("website", "text")
    .addColumn("contact_name", "text")
    .addColumn("contact_title", "text")
    .addColumn("contact_email", "text")
    .addColumn("note", "text")
    .addColumn("name_key", "text", (c) => c.notNull())
    .addColumn("email_domain", "text")
    .addColumn("footnote_mark", "text")
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('unverified','pending','approved','rejected','withdrawn','removed')`))
    .addColumn("source", "text", (c) => c.notNull().check(sql`source in ('form','import')`))
    .addColumn("consent_at", "text")
    .addColumn("verify_token_hash", "text", (c) => c.unique())
    .addColumn("verify_expires_at", "text")
    .addColumn("verified_at", "text")
    .addColumn("withdraw_token_hash", "text", (c) => c.unique())
    .addColumn("decided_at", "text")
    .addColumn("decided_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("rejection_reason", "text")
    .addColumn("withdrawn_at", "text")
    .addColumn("removed_at", "text")
    .addColumn("ip", "text")
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "text", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex("signatures_statement_status").on("signatures").columns(["statement_id", "status"]).execute();
  await db.schema.createIndex("signatures_email").on("signatures").columns(["statement_id", "contact_email"]).execute();
  // The database itself refuses a second approved signature with the same folded name.
  await db.schema
    .createIndex("signatures_one_approved_per_name")
    .on("signatures")
    .columns(["statement_id", "name_key"])
    .unique()
    .where(sql.ref("status"), "=", "approved")
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["signatures", "statement_footnotes", "statement_points", "statements"]) {
    await db.schema.dropTable(table).execute();
  }
}
