// The demo's outreach: the Norwegian Helsinki Committee's letter to Norway went out on
// 14 January 2025, the day of the statement, long before Demarche existed, so it is
// logged as a letter sent outside Demarche (no message row: nothing was sent from
// here). Through the app's own model, like the demo letter; every other state is left
// not started, which the board derives from the absence of records.
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../../db/schema";
import { logSentOutside } from "~/models/outreach-events.server";
import { DEMO_STATEMENT_SLUG } from "./statements.server";

const DEMO_SENT_ON = "2025-01-14";

/** Logs NHC's letter to Norway unless a 'sent' event for Norway exists on the statement (a rerun adds nothing). */
export async function loadDemoOutreach(db: Kysely<Database> | Transaction<Database>, { nhcId }: { nhcId: number }): Promise<void> {
  const statement = await db.selectFrom("statements").select("id").where("slug", "=", DEMO_STATEMENT_SLUG).executeTakeFirstOrThrow();
  const target = { statementId: statement.id, countryCode: "NO" };
  const existing = await db
    .selectFrom("outreach_events")
    .select("id")
    .where("statement_id", "=", target.statementId)
    .where("country_code", "=", target.countryCode)
    .where("kind", "=", "sent")
    .executeTakeFirst();
  if (existing) return;
  await logSentOutside(db, "seed", { actor: null, ip: null }, target, {
    happenedOn: DEMO_SENT_ON,
    organisationId: nhcId,
    summary: "Cover letter and joint statement emailed to the Foreign Minister on the day of publication, before Demarche was in use",
  });
}
