// Recipients learn from what comes back (issue 12): a recipient may name a fallback, another
// recipient of the same country (the embassy, the permanent mission in The Hague), to write
// to when its own address bounces; and a letter remembers where it put a fallback in place
// of a bouncing recipient (recipient_swaps: JSON [{ "replaced": id, "by": id }], in the order
// they were made), because a letter is otherwise built from its country's list as it stands.
// Removing the fallback's entry clears the link (on delete set null); that "same country,
// not itself" holds is the form's and the model's rule, not the database's.
// Migrations never import app code: they must still run after the app has moved on.
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("recipients")
    .addColumn("fallback_recipient_id", "integer", (c) => c.references("recipients.id").onDelete("set null"))
    .execute();
  await db.schema.alterTable("letters").addColumn("recipient_swaps", "text", (c) => c.notNull().defaultTo("[]")).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("letters").dropColumn("recipient_swaps").execute();
  await db.schema.alterTable("recipients").dropColumn("fallback_recipient_id").execute();
}
