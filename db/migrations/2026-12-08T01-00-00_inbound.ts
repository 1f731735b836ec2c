// Mail that comes back (issue 12): each inbound message once (dedupe_key: its Message-ID,
// else a hash of its bytes), what it was classified as and which dispatch it is about;
// where each mailbox was read up to (UIDVALIDITY and the last UID), so a restart neither
// skips nor repeats; and on each dispatch, what is known of its delivery.
// Migrations never import app code: they must still run after the app has moved on.
import { sql, type Kysely } from "kysely";

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("inbound_messages")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("received_at", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("mailbox", "text", (c) => c.notNull())
    .addColumn("uid_validity", "integer")
    .addColumn("uid", "integer")
    .addColumn("dedupe_key", "text", (c) => c.notNull().unique())
    .addColumn("message_id", "text")
    .addColumn("from_address", "text")
    .addColumn("subject", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("sent_at", "text")
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("token", "text")
    .addColumn("dispatch_id", "integer", (c) => c.references("dispatches.id").onDelete("set null"))
    .addColumn("severity", "text")
    .addColumn("status_code", "text")
    .addColumn("diagnostic", "text")
    .addColumn("recipient", "text")
    .addColumn("raw", "blob", (c) => c.notNull())
    .addColumn("raw_truncated", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex("inbound_messages_dispatch").on("inbound_messages").column("dispatch_id").execute();
  await db.schema.createIndex("inbound_messages_kind").on("inbound_messages").columns(["kind", "received_at"]).execute();
  await db.schema
    .createTable("mailbox_cursors")
    .addColumn("mailbox", "text", (c) => c.primaryKey())
    .addColumn("uid_validity", "integer", (c) => c.notNull())
    .addColumn("last_uid", "integer", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.alterTable("dispatches").addColumn("delivery", "text").execute();
  await db.schema.alterTable("dispatches").addColumn("delivery_detail", "text").execute();
  await db.schema.alterTable("dispatches").addColumn("delivery_at", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("dispatches").dropColumn("delivery_at").execute();
  await db.schema.alterTable("dispatches").dropColumn("delivery_detail").execute();
  await db.schema.alterTable("dispatches").dropColumn("delivery").execute();
  await db.schema.dropTable("mailbox_cursors").execute();
  await db.schema.dropTable("inbound_messages").execute();
}
