// Reference data: every state and its Rome Statute dates, from countries.json. Loaded
// whenever the countries table is empty (demo or real deployment alike) and never
// touched afterwards. The file is checked before anything is written: a typo in a
// date would otherwise quietly move a state in or out of the Court.
import type { Kysely } from "kysely";
import { z } from "zod";
import type { CountriesTable, Database } from "../../../db/schema";
import { ISO_COUNTRY_CODE, isRealDate } from "~/schemas/common.server";
import { REGIONAL_GROUPS } from "~/lib/regional-groups";
import { entryIntoForceFor } from "~/models/country.server";
import file from "../../../db/seed/countries.json";

const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be written YYYY-MM-DD")
  .refine(isRealDate, "is not a real calendar date");

/** The same day a year later (29 February falls to 1 March). */
function oneYearAfter(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + 1);
  return d.toISOString().slice(0, 10);
}

const CountryEntry = z
  .object({
    code: z.string().regex(ISO_COUNTRY_CODE, "must be an ISO 3166-1 alpha-2 code"),
    alpha3: z.string().regex(/^[A-Z]{3}$/, "must be an ISO 3166-1 alpha-3 code"),
    name: z.string().trim().min(1),
    regionalGroup: z.enum(REGIONAL_GROUPS).nullable(),
    instrument: z.enum(["ratification", "accession", "acceptance", "approval", "succession"]).optional(),
    deposited: date.optional(),
    entryIntoForce: date.optional(),
    withdrawalNotified: date.optional(),
    withdrawalEffective: date.optional(),
    note: z.string().optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const problem = (message: string) => ctx.addIssue({ code: "custom", message: `${c.code}: ${message}` });
    const party = [c.instrument, c.deposited, c.entryIntoForce];
    if (party.some(Boolean) && !party.every(Boolean)) problem("instrument, deposited and entryIntoForce go together");
    if (Boolean(c.withdrawalNotified) !== Boolean(c.withdrawalEffective)) problem("withdrawalNotified and withdrawalEffective go together");
    if (c.withdrawalNotified && !c.deposited) problem("a withdrawal needs a deposit");
    // Zod still runs this after a field's own check failed; that issue is reported.
    if (!c.deposited || !c.entryIntoForce || !isRealDate(c.deposited)) return;
    if (c.instrument === "succession") {
      // A successor state is bound from independence, before it notifies.
      if (c.entryIntoForce > c.deposited) problem("a succession takes effect on or before its notification");
    } else if (c.entryIntoForce !== entryIntoForceFor(c.deposited)) {
      problem(`entryIntoForce ${c.entryIntoForce} does not follow Article 126 from ${c.deposited} (expected ${entryIntoForceFor(c.deposited)})`);
    }
    if (c.withdrawalNotified && c.withdrawalEffective) {
      if (c.withdrawalNotified < c.entryIntoForce) problem("withdrawal notified before entry into force");
      // Article 127(1): one year after receipt, or a later date the state names.
      if (c.withdrawalEffective < oneYearAfter(c.withdrawalNotified)) problem("a withdrawal takes effect at least one year after notification");
    }
  });

export const CountriesFile = z
  .object({
    name: z.literal("countries"),
    source: z.string().min(1),
    asOf: date,
    notes: z.string(),
    countries: z.array(CountryEntry).min(1),
  })
  .superRefine((f, ctx) => {
    for (const key of ["code", "alpha3"] as const) {
      const seen = new Set<string>();
      for (const c of f.countries) {
        if (seen.has(c[key])) ctx.addIssue({ code: "custom", message: `${key} ${c[key]} appears twice` });
        seen.add(c[key]);
      }
    }
  });

export type CountriesData = z.infer<typeof CountriesFile>;

/** Parses the data file, or throws one error listing every problem found. */
export function parseCountriesFile(input: unknown): CountriesData {
  const result = CountriesFile.safeParse(input);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ${i.path.join(".") || "(file)"}: ${i.message}`);
  throw new Error(`db/seed/countries.json is not valid:\n${lines.join("\n")}`);
}

function toRow(c: CountriesData["countries"][number]): CountriesTable {
  return {
    code: c.code,
    alpha3: c.alpha3,
    name: c.name,
    regional_group: c.regionalGroup,
    rs_instrument: c.instrument ?? null,
    rs_deposited: c.deposited ?? null,
    rs_entry_into_force: c.entryIntoForce ?? null,
    rs_withdrawal_notified: c.withdrawalNotified ?? null,
    rs_withdrawal_effective: c.withdrawalEffective ?? null,
  };
}

async function countCountries(db: Kysely<Database>): Promise<number> {
  const { n } = await db.selectFrom("countries").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return Number(n);
}

/** Loads countries.json into an empty countries table; does nothing otherwise. */
export async function loadCountries(db: Kysely<Database>, input: unknown = file): Promise<{ loaded: boolean; count: number }> {
  const existing = await countCountries(db);
  if (existing > 0) return { loaded: false, count: existing };
  const data = parseCountriesFile(input);
  return db.transaction().execute(async (trx) => {
    // Checked again under the write lock: two processes starting together load once.
    const again = await countCountries(trx);
    if (again > 0) return { loaded: false, count: again };
    await trx.insertInto("countries").values(data.countries.map(toRow)).execute();
    await trx
      .insertInto("reference_datasets")
      .values({ name: data.name, source: data.source, as_of: data.asOf })
      .onConflict((oc) => oc.column("name").doUpdateSet({ source: data.source, as_of: data.asOf }))
      .execute();
    return { loaded: true, count: data.countries.length };
  });
}
