// Letter templates edited in the app. The files in emails/letters are the defaults; each
// save adds a version (1, 2, … per path, e.g. "en/cover-letter.html.hbs"), and a path's
// current text is its latest version. History is never rewritten: a revert is a new
// version whose body is the old one, with reverted_from naming it. reverted_from = 0
// means "back to the file default": that version hands the path back to the file, so a
// later change to the file shows through again.
// Migrations never import app code: they must still run after the app has moved on.
import { sql, type Kysely } from "kysely";

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("template_versions")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("path", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().check(sql`version >= 1`))
    .addColumn("note", "text")
    .addColumn("reverted_from", "integer", (c) => c.check(sql`reverted_from >= 0 and reverted_from < version`))
    .addColumn("created_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    .execute();
  // One version number per path; also the index for "latest version of each path".
  await db.schema.createIndex("template_versions_path_version").on("template_versions").columns(["path", "version"]).unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("template_versions").execute();
}
