// The Norwegian Helsinki Committee's letter of 14 January 2025 as a letter request on
// a seeded test database: Norway's five recipients are facts from the seed letter.
import type { DB } from "../../app/platform/db.server";
import type { LetterRecipientInput } from "../../app/platform/letter-document.server";
import type { LetterRequest } from "../../app/models/letter-context.server";
import { seedIfEmpty } from "../../app/workflows/seed/index.server";
import { DEMO_STATEMENT_SLUG } from "../../app/workflows/seed/statements.server";

export const NORWAY: LetterRecipientInput[] = [
  { kind: "addressee", name: "Espen Barth Eide", title: "Foreign Minister of Norway", institution: null, email: "post@mfa.no", salutation: "Foreign Minister Espen Barth Eide," },
  { kind: "copy", name: "Emilie Enger Mehl", title: "Minister of Justice", institution: null, email: "postmottak@jd.dep.no", salutation: null },
  { kind: "copy", name: "Andreas Motzfeldt Kravik", title: "State Secretary", institution: null, email: "Andreas.Motzfeldt.Kravik@mfa.no", salutation: null },
  { kind: "copy", name: "Monica Furnes", title: "Director", institution: null, email: "monica.furnes@mfa.no", salutation: null },
  { kind: "copy", name: "Herborg Fiskaa Alvsåker", title: "Director", institution: null, email: "herborg.fiskaa.alvsaker2@mfa.no", salutation: null },
];
export const NORWAY_SUBJECT = "Civil society urges States to oppose ICC sanctions";

/** Seeds the demo data, then returns the request for the Norway letter (overridable). */
export async function norwayLetterRequest(db: DB, overrides: Partial<LetterRequest> = {}): Promise<LetterRequest> {
  await seedIfEmpty(db, { DEMO_PASSWORD: "letter-test-password", DEMO_API_TOKEN: undefined });
  const nhc = await db.selectFrom("organisations").select("id").where("name", "=", "Norwegian Helsinki Committee").executeTakeFirstOrThrow();
  const signers = await db.selectFrom("signers").select("id").where("organisation_id", "=", nhc.id).orderBy("position").execute();
  const statement = await db.selectFrom("statements").select("id").where("slug", "=", DEMO_STATEMENT_SLUG).executeTakeFirstOrThrow();
  return {
    statementId: statement.id,
    countryCode: "NO",
    organisationId: nhc.id,
    signerIds: signers.map((s) => s.id),
    place: "Oslo",
    date: "2025-01-14",
    language: "en",
    ownParagraph: null,
    recipients: NORWAY,
    subject: NORWAY_SUBJECT,
    ...overrides,
  };
}
