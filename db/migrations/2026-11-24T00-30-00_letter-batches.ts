// A bulk run of letters: one statement, one sender, written to every country with an
// addressee (members: the countries their organisation covers). The letters themselves
// are ordinary rows in `letters` (their PDFs queued by the letter_pdfs triggers); the
// batch records which ones it made (letter_ids, a JSON array of ids, in country order)
// and the countries it skipped with the reason (skipped, JSON [{country, reason}]).
// Migrations never import app code: they must still run after the app has moved on.
import { sql, type Kysely } from "kysely";

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("letter_batches")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("statement_id", "integer", (c) => c.notNull().references("statements.id").onDelete("cascade"))
    .addColumn("organisation_id", "integer", (c) => c.notNull().references("organisations.id").onDelete("cascade"))
    .addColumn("created_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("letter_ids", "text", (c) => c.notNull().defaultTo("[]").check(sql`json_valid(letter_ids) and json_type(letter_ids) = 'array'`))
    .addColumn("skipped", "text", (c) => c.notNull().defaultTo("[]").check(sql`json_valid(skipped) and json_type(skipped) = 'array'`))
    .execute();
  await db.schema.createIndex("letter_batches_created_by").on("letter_batches").column("created_by").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("letter_batches").execute();
}
