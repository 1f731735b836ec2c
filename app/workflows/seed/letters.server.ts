// The demo's saved letter: the Norwegian Helsinki Committee's letter to Norway of
// 14 January 2025, carrying the demo statement, signed by NHC's two signers in their
// order, written in Oslo, in English, with the subject the real letter had. It is
// built and rendered by the app's own model from the seeded recipients, so it is
// exactly what a member would get by filling in the form.
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../../db/schema";
import { createLetter } from "~/models/letter.server";
import { DEMO_STATEMENT_SLUG } from "./statements.server";

export const DEMO_LETTER_SUBJECT = "Civil society urges States to oppose ICC sanctions";

/** Saves the demo letter unless NHC already has a letter to Norway for the statement (a rerun adds nothing). */
export async function loadDemoLetters(
  db: Kysely<Database> | Transaction<Database>,
  { nhcId, coalitionId }: { nhcId: number; coalitionId: number },
): Promise<void> {
  const statement = await db.selectFrom("statements").select(["id", "author_organisation_id"]).where("slug", "=", DEMO_STATEMENT_SLUG).executeTakeFirstOrThrow();
  if (statement.author_organisation_id !== coalitionId) throw new Error("The demo statement should be the coalition's: load the demo statement first.");
  const existing = await db
    .selectFrom("letters")
    .select("id")
    .where("statement_id", "=", statement.id)
    .where("organisation_id", "=", nhcId)
    .where("country_code", "=", "NO")
    .executeTakeFirst();
  if (existing) return;
  const signers = await db.selectFrom("signers").select("id").where("organisation_id", "=", nhcId).orderBy("position").orderBy("id").execute();
  await createLetter(db, "seed", { actor: null, ip: null }, {
    statementId: statement.id,
    countryCode: "NO",
    organisationId: nhcId,
    signerIds: signers.map((s) => s.id),
    place: "Oslo",
    date: "2025-01-14",
    language: "en",
    subject: DEMO_LETTER_SUBJECT,
    ownParagraph: null,
  });
}
