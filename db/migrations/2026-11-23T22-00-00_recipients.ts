// Who a country's letters go to, and which organisations write to which country.
// A recipient is addressed (the address block and salutation) or copied (the CC
// list); `position` orders entries within their kind. `checked_on` is the day
// someone last confirmed the entry: ministers change, and the app flags old ones.
// Migrations never import app code: they must still run after the app has moved on.
import { sql, type Kysely } from "kysely";

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("recipients")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("country_code", "text", (c) => c.notNull().references("countries.code"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("institution", "text")
    .addColumn("email", "text")
    .addColumn("salutation", "text")
    .addColumn("language", "text", (c) => c.notNull().defaultTo("en"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('addressee','copy')`))
    .addColumn("position", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("checked_on", "text", (c) => c.notNull().check(sql`checked_on glob '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'`))
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "text", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex("recipients_country_order").on("recipients").columns(["country_code", "kind", "position"]).execute();

  await db.schema
    .createTable("organisation_countries")
    .addColumn("organisation_id", "integer", (c) => c.notNull().references("organisations.id").onDelete("cascade"))
    .addColumn("country_code", "text", (c) => c.notNull().references("countries.code"))
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint("organisation_countries_pk", ["organisation_id", "country_code"])
    .execute();
  // The primary key serves "which countries does this organisation cover"; this serves
  // the other direction (the coverage view, the country page).
  await db.schema.createIndex("organisation_countries_country").on("organisation_countries").column("country_code").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["organisation_countries", "recipients"]) {
    await db.schema.dropTable(table).execute();
  }
}
