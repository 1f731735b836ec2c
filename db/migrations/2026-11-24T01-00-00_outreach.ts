// Sending letters and tracking outreach.
// - letters gain an approval: who approved which version (approved_fingerprint), so a
//   regenerated letter is no longer approved without anyone clearing a flag.
// - dispatches: one row per message, keyed by (letter, recipient set); also the
//   platform's own notices (invitations, sign-on links) when mail goes out by SMTP. The message is
//   stored whole as confirmed (addresses, subject, bodies, attachment name); the PDF is
//   read from letter_pdfs at send time and must match letter_fingerprint.
// - dispatch_worker_lock: which process may send (one at a time, with a heartbeat).
// - sending_pauses: a statement whose sending is paused (the worker claims nothing of it).
// - outreach_events: what happened after sending (a reply, a meeting, a follow-up, a
//   letter sent outside Demarche).
// Migrations never import app code: they must still run after the app has moved on.
import { sql, type Kysely } from "kysely";

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;
const oneOf = (column: string, values: string[]) => sql.raw(`${column} in (${values.map((v) => `'${v}'`).join(", ")})`);

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("letters").addColumn("approved_fingerprint", "text").execute();
  // No foreign key: SQLite cannot drop a column that has one, and down() must work.
  await db.schema.alterTable("letters").addColumn("approved_by", "integer").execute();
  await db.schema.alterTable("letters").addColumn("approved_at", "text").execute();

  await db.schema
    .createTable("dispatches")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("dedupe_key", "text", (c) => c.notNull().unique())
    .addColumn("kind", "text", (c) => c.notNull().check(oneOf("kind", ["letter", "test", "notice"])))
    .addColumn("letter_id", "integer", (c) => c.references("letters.id").onDelete("set null"))
    .addColumn("letter_fingerprint", "text")
    // A notice (the platform's own mail: invitations, sign-on links) belongs to no letter.
    .addColumn("statement_id", "integer", (c) => c.references("statements.id").onDelete("cascade"))
    .addColumn("country_code", "text")
    .addColumn("organisation_id", "integer", (c) => c.references("organisations.id").onDelete("cascade"))
    .addColumn("bulk_id", "text")
    .addColumn("status", "text", (c) => c.notNull().defaultTo("queued").check(oneOf("status", ["queued", "sending", "sent", "failed", "uncertain", "cancelled"])))
    .addColumn("mode", "text", (c) => c.notNull().check(oneOf("mode", ["sandbox", "smtp"])))
    .addColumn("from_json", "text", (c) => c.notNull().check(sql`json_valid(from_json)`))
    .addColumn("reply_to_json", "text", (c) => c.check(sql`reply_to_json is null or json_valid(reply_to_json)`))
    .addColumn("to_json", "text", (c) => c.notNull().check(sql`json_valid(to_json) and json_type(to_json) = 'array'`))
    .addColumn("cc_json", "text", (c) => c.notNull().defaultTo("[]").check(sql`json_valid(cc_json) and json_type(cc_json) = 'array'`))
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("html", "text", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("attachment_filename", "text")
    .addColumn("message_id", "text", (c) => c.notNull().unique())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("handed_at", "text")
    .addColumn("last_error", "text")
    .addColumn("smtp_response", "text")
    .addColumn("mailbox_id", "integer", (c) => c.references("mailbox_messages.id").onDelete("set null"))
    .addColumn("queued_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("queued_at", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("sent_at", "text")
    .addColumn("resolved_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("resolved_at", "text")
    .addColumn("updated_at", "text", (c) => c.notNull().defaultTo(now))
    .addCheckConstraint("letter_messages_have_a_target", sql`kind = 'notice' or (statement_id is not null and country_code is not null and organisation_id is not null)`)
    .execute();
  // The worker's claim: queued rows that are due, oldest first.
  await db.schema.createIndex("dispatches_due").on("dispatches").columns(["status", "next_attempt_at", "id"]).execute();
  await db.schema.createIndex("dispatches_statement").on("dispatches").columns(["statement_id", "country_code"]).execute();
  await db.schema.createIndex("dispatches_letter").on("dispatches").column("letter_id").execute();
  await db.schema.createIndex("dispatches_bulk").on("dispatches").column("bulk_id").execute();

  // One sending worker at a time: the process holding this row (and keeping its
  // heartbeat fresh) is the only one that recovers, claims or hands messages over.
  await db.schema
    .createTable("dispatch_worker_lock")
    .addColumn("id", "integer", (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn("owner", "text", (c) => c.notNull())
    .addColumn("heartbeat_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("sending_pauses")
    .addColumn("statement_id", "integer", (c) => c.primaryKey().references("statements.id").onDelete("cascade"))
    .addColumn("paused_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("paused_at", "text", (c) => c.notNull().defaultTo(now))
    .execute();

  await db.schema
    .createTable("outreach_events")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("statement_id", "integer", (c) => c.notNull().references("statements.id").onDelete("cascade"))
    .addColumn("country_code", "text", (c) => c.notNull())
    .addColumn("organisation_id", "integer", (c) => c.references("organisations.id").onDelete("set null"))
    .addColumn("kind", "text", (c) => c.notNull().check(oneOf("kind", ["reply", "meeting", "follow_up", "sent"])))
    .addColumn("happened_on", "text", (c) => c.notNull())
    .addColumn("due_on", "text")
    .addColumn("done_on", "text")
    .addColumn("correspondent", "text")
    .addColumn("summary", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("body", "text")
    .addColumn("attachment_filename", "text")
    .addColumn("attachment_type", "text")
    .addColumn("attachment", "blob")
    .addColumn("created_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "text", (c) => c.notNull().defaultTo(now))
    .addCheckConstraint("follow_up_has_due_date", sql`kind <> 'follow_up' or due_on is not null`)
    .execute();
  await db.schema.createIndex("outreach_events_country").on("outreach_events").columns(["statement_id", "country_code"]).execute();
  await db.schema.createIndex("outreach_events_due").on("outreach_events").columns(["kind", "done_on", "due_on"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("outreach_events").execute();
  await db.schema.dropTable("sending_pauses").execute();
  await db.schema.dropTable("dispatch_worker_lock").execute();
  await db.schema.dropTable("dispatches").execute();
  await db.schema.alterTable("letters").dropColumn("approved_at").execute();
  await db.schema.alterTable("letters").dropColumn("approved_by").execute();
  await db.schema.alterTable("letters").dropColumn("approved_fingerprint").execute();
}
