// Scheduled work that must run in one process at a time however many run on one
// database (issue 13): reading a mailbox, closing statements at their deadline. Each job
// is a named lease held by one process ("host:pid:random") until it expires.
// Migrations never import app code: they must still run after the app has moved on.
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("job_leases")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("owner", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("job_leases").execute();
}
