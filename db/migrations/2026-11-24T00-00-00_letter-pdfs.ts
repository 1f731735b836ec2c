// A saved letter's PDF, rendered in the background (never inside a web request): one row
// per letter, with the letter fingerprint the PDF was (or will be) made from. Triggers
// queue the PDF in the same statement, hence the same transaction, as the letter's
// insert or a regeneration that changes its fingerprint, so no code path that saves a
// letter can forget it. Letters saved before this migration are queued here.
// status: queued -> rendering -> ready | failed. pdf is set only when ready.
// Migrations never import app code: they must still run after the app has moved on.
import { sql, type Kysely } from "kysely";

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("letter_pdfs")
    .addColumn("letter_id", "integer", (c) => c.primaryKey().references("letters.id").onDelete("cascade"))
    .addColumn("fingerprint", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("queued").check(sql`status in ('queued', 'rendering', 'ready', 'failed')`))
    .addColumn("pdf", "blob")
    .addColumn("error", "text")
    .addColumn("queued_at", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("rendered_at", "text")
    .addCheckConstraint("letter_pdfs_ready_has_pdf", sql`(status = 'ready') = (pdf is not null)`)
    .execute();
  // The worker loop claims the oldest queued rows.
  await db.schema.createIndex("letter_pdfs_status").on("letter_pdfs").columns(["status", "queued_at"]).execute();
  await sql`
    create trigger letter_pdfs_queue_on_insert after insert on letters begin
      insert into letter_pdfs (letter_id, fingerprint, status) values (new.id, new.fingerprint, 'queued')
      on conflict (letter_id) do update set fingerprint = excluded.fingerprint, status = 'queued', pdf = null, error = null, queued_at = ${now}, rendered_at = null;
    end`.execute(db);
  await sql`
    create trigger letter_pdfs_queue_on_regenerate after update of fingerprint on letters when new.fingerprint is not old.fingerprint begin
      insert into letter_pdfs (letter_id, fingerprint, status) values (new.id, new.fingerprint, 'queued')
      on conflict (letter_id) do update set fingerprint = excluded.fingerprint, status = 'queued', pdf = null, error = null, queued_at = ${now}, rendered_at = null;
    end`.execute(db);
  await sql`insert into letter_pdfs (letter_id, fingerprint, status) select id, fingerprint, 'queued' from letters`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists letter_pdfs_queue_on_regenerate`.execute(db);
  await sql`drop trigger if exists letter_pdfs_queue_on_insert`.execute(db);
  await db.schema.dropTable("letter_pdfs").execute();
}
