// Replies that came by mail (issue 12): a reply matched to one of our letters becomes an
// outreach event (kind reply, like one logged by hand) that names the inbound message it
// came from, once; inbound messages keep their readable text, the names and sizes of
// their attachments (the bytes stay in raw, within its size limit), where a coordinator
// attached an unmatched one, or that it was discarded, by whom and when.
// Migrations never import app code: they must still run after the app has moved on.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("outreach_events").addColumn("inbound_message_id", "integer", (c) => c.references("inbound_messages.id").onDelete("set null")).execute();
  await db.schema.createIndex("outreach_events_inbound_once").on("outreach_events").column("inbound_message_id").unique().where(sql.ref("inbound_message_id"), "is not", null).execute();
  await db.schema.alterTable("inbound_messages").addColumn("from_name", "text").execute();
  await db.schema.alterTable("inbound_messages").addColumn("text_body", "text").execute();
  await db.schema.alterTable("inbound_messages").addColumn("attachments_json", "text", (c) => c.notNull().defaultTo("[]")).execute();
  await db.schema.alterTable("inbound_messages").addColumn("statement_id", "integer", (c) => c.references("statements.id").onDelete("set null")).execute();
  await db.schema.alterTable("inbound_messages").addColumn("country_code", "text").execute();
  await db.schema.alterTable("inbound_messages").addColumn("resolution", "text", (c) => c.check(sql`resolution is null or resolution in ('attached', 'discarded')`)).execute();
  await db.schema.alterTable("inbound_messages").addColumn("resolved_by", "integer", (c) => c.references("users.id").onDelete("set null")).execute();
  await db.schema.alterTable("inbound_messages").addColumn("resolved_at", "text").execute();
  await db.schema.createIndex("inbound_messages_target").on("inbound_messages").columns(["statement_id", "country_code"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("inbound_messages_target").execute();
  for (const column of ["resolved_at", "resolved_by", "resolution", "country_code", "statement_id", "attachments_json", "text_body", "from_name"]) {
    await db.schema.alterTable("inbound_messages").dropColumn(column).execute();
  }
  await db.schema.dropIndex("outreach_events_inbound_once").execute();
  await db.schema.alterTable("outreach_events").dropColumn("inbound_message_id").execute();
}
