// Demo recipient lists: Norway's five recipients exactly as the Norwegian Helsinki
// Committee's letter of 14 January 2025 names them (the Foreign Minister addressed,
// four officials copied, in the letter's order), checked on the letter's date, and
// Norway assigned to NHC. The facts live in demo-recipients.json so a reviewer can
// check them against the letter without reading code. On any later day than
// 2025-07-14 the entries show as stale: ministers change, and the demo says so.
import type { Kysely, Transaction } from "kysely";
import type { Database, RecipientKind } from "../../../db/schema";
import demo from "../../../db/seed/demo-recipients.json";
import { appendRecipients } from "~/models/recipient-import.server";

type DemoRecipient = (typeof demo.countries)[number]["recipients"][number];

/** Inserts each country's list unless it has recipients already (a rerun adds nothing), and its assignment. */
export async function loadDemoRecipients(db: Kysely<Database> | Transaction<Database>, { nhcId }: { nhcId: number }): Promise<void> {
  for (const country of demo.countries) {
    // The file names the covering organisation; the seed's own id for it is the check.
    if (country.covered_by !== "Norwegian Helsinki Committee") throw new Error(`demo-recipients.json: unknown organisation "${country.covered_by}".`);
    await db
      .insertInto("organisation_countries")
      .values({ organisation_id: nhcId, country_code: country.country_code })
      .onConflict((oc) => oc.doNothing())
      .execute();
    const existing = await db.selectFrom("recipients").select("id").where("country_code", "=", country.country_code).limit(1).executeTakeFirst();
    if (existing) continue;
    const entries = (country.recipients as DemoRecipient[]).map((r) => ({ ...r, kind: r.kind as RecipientKind, checked_on: country.checked_on }));
    await appendRecipients(db, country.country_code, entries);
  }
}
