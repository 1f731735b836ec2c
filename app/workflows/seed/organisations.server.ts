// Demo organisations: the Coalition for the ICC and the 129 organisations that signed
// its statement of 14 January 2025 against sanctions on the Court. The names live in
// demo-organisations.json, exactly as published, so a reviewer can check them against
// the source without reading code.
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../../db/schema";
import demo from "../../../db/seed/demo-organisations.json";

interface DemoOrganisation {
  name: string;
  acronym: string | null;
  country_code: string | null;
  city?: string | null;
  website?: string | null;
  /** Where replies to the organisation's letters go (Reply-To, or From; see LETTER_FROM). */
  contact_email?: string | null;
  signers?: { name: string; title: string }[];
}

const NHC_NAME = "Norwegian Helsinki Committee";

export async function loadDemoOrganisations(
  db: Kysely<Database> | Transaction<Database>,
): Promise<{ coalitionId: number; nhcId: number }> {
  const all: DemoOrganisation[] = [demo.coalition, ...demo.signatories];
  await assertCountriesKnown(db, all);

  const ids = new Map<string, number>();
  for (const org of all) ids.set(org.name, await insertOnce(db, org));

  const coalitionId = ids.get(demo.coalition.name)!;
  const nhcId = ids.get(NHC_NAME);
  // The seed letter is signed by NHC; without it the demo has no one to sign a letter.
  if (nhcId === undefined) throw new Error(`demo-organisations.json must list "${NHC_NAME}".`);
  return { coalitionId, nhcId };
}

/** Inserts the organisation and its signers unless one of that exact name exists (a rerun adds nothing). */
async function insertOnce(db: Kysely<Database>, org: DemoOrganisation): Promise<number> {
  const existing = await db.selectFrom("organisations").select("id").where("name", "=", org.name).executeTakeFirst();
  if (existing) return existing.id;
  const { id } = await db
    .insertInto("organisations")
    .values({
      name: org.name,
      acronym: org.acronym,
      country_code: org.country_code,
      city: org.city ?? null,
      website: org.website ?? null,
      contact_email: org.contact_email ?? null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const signers = org.signers ?? [];
  for (const [position, s] of signers.entries()) {
    await db.insertInto("signers").values({ organisation_id: id, name: s.name, title: s.title, position }).execute();
  }
  return id;
}

// A code missing from the countries table would otherwise surface as a bare
// "FOREIGN KEY constraint failed" with no hint of which organisation caused it.
async function assertCountriesKnown(db: Kysely<Database>, orgs: DemoOrganisation[]): Promise<void> {
  const wanted = [...new Set(orgs.map((o) => o.country_code).filter((c): c is string => c !== null))];
  const found = await db.selectFrom("countries").select("code").where("code", "in", wanted).execute();
  const known = new Set(found.map((r) => r.code));
  const missing = wanted.filter((c) => !known.has(c));
  if (missing.length > 0) {
    throw new Error(`Demo organisations use country codes not in the countries table: ${missing.join(", ")}. Load the countries first.`);
  }
}
