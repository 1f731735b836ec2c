// Countries and their Rome Statute status. Whether a state is a party on a given day
// is decided in exactly one place, `partyOn` below; statesPartiesOn is its public
// face, and the list and country pages use the same expression for their badges, so
// a count and a badge can never disagree.
import type { ExpressionBuilder, Kysely } from "kysely";
import type { Country, Database, RegionalGroup, RomeStatuteInstrument } from "../../db/schema";
import { isRealDate } from "~/schemas/common.server";

type DB = Kysely<Database>;

/** A country row plus whether it is a state party on the date the caller asked about. */
export type CountryListing = Country & { is_party: boolean };

/** The day the 60th instrument was deposited (ten states deposited together that day). */
const SIXTIETH_INSTRUMENT_DEPOSITED = "2002-04-11";

/** Today's date in UTC, YYYY-MM-DD: the depositary dates carry no time zone. */
export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

function assertIsoDate(value: string, what: string): void {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || !isRealDate(value)) {
    throw new RangeError(`${what} must be a real calendar date written YYYY-MM-DD, got "${value}"`);
  }
}

/**
 * Article 126: the Statute enters into force for a state on the first day of the
 * month after the 60th day following the deposit of its instrument. Paragraph 1
 * applies the same rule to the 60th instrument (11 April 2002), which makes
 * 1 July 2002 the date for every state that had deposited by then.
 */
export function entryIntoForceFor(deposited: string): string {
  assertIsoDate(deposited, "The deposit date");
  const counted = deposited < SIXTIETH_INSTRUMENT_DEPOSITED ? SIXTIETH_INSTRUMENT_DEPOSITED : deposited;
  const sixtiethDay = new Date(`${counted}T00:00:00Z`);
  sixtiethDay.setUTCDate(sixtiethDay.getUTCDate() + 60);
  return new Date(Date.UTC(sixtiethDay.getUTCFullYear(), sixtiethDay.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
}

/**
 * THE rule: a state is a party on `date` if the Statute had entered into force for
 * it on or before that day, and no withdrawal had taken effect on or before it.
 * Dates are stored as YYYY-MM-DD text, so text comparison is date comparison.
 */
function partyOn(date: string) {
  return (eb: ExpressionBuilder<Database, "countries">) =>
    eb.and([
      eb("rs_entry_into_force", "<=", date),
      eb.or([eb("rs_withdrawal_effective", "is", null), eb("rs_withdrawal_effective", ">", date)]),
    ]);
}

// SQLite sorts by bytes, which would put "Côte d'Ivoire" after "Czechia" and
// "Türkiye" after "Tuvalu"; people expect the English alphabetical order.
const collator = new Intl.Collator("en", { sensitivity: "base" });
const byName = <T extends { name: string }>(rows: T[]) => rows.sort((a, b) => collator.compare(a.name, b.name));

/** The states that are parties to the Rome Statute on `date`, ordered by name. */
export async function statesPartiesOn(db: DB, date: string): Promise<Country[]> {
  assertIsoDate(date, "The date");
  return byName(await db.selectFrom("countries").selectAll().where(partyOn(date)).execute());
}

export type CountryFilters = {
  /** Only states that are parties on this date. */
  partiesOn?: string;
  regionalGroup?: RegionalGroup;
  /** Part of the name (accents and case ignored) or an exact ISO code. */
  q?: string;
  /** The date the `is_party` badge answers for; defaults to partiesOn, else today. */
  statusOn?: string;
};

// SQLite's LIKE folds ASCII case only; people type "Cote d'Ivoire" and "turkiye".
const fold = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

export async function listCountries(db: DB, filters: CountryFilters = {}): Promise<CountryListing[]> {
  const statusOn = filters.statusOn ?? filters.partiesOn ?? todayUtc();
  assertIsoDate(statusOn, "The date");
  let query = db
    .selectFrom("countries")
    .selectAll()
    .select((eb) => partyOn(statusOn)(eb).as("is_party"));
  if (filters.partiesOn) {
    assertIsoDate(filters.partiesOn, "The date");
    query = query.where(partyOn(filters.partiesOn));
  }
  if (filters.regionalGroup) query = query.where("regional_group", "=", filters.regionalGroup);
  let rows = (await query.execute()).map((row) => ({ ...row, is_party: Boolean(row.is_party) }));
  const q = filters.q?.trim();
  if (q) {
    const needle = fold(q);
    const code = q.toUpperCase();
    rows = rows.filter((c) => fold(c.name).includes(needle) || c.code === code || c.alpha3 === code);
  }
  return byName(rows);
}

/** One country by ISO alpha-2 code (any case), with its status on `statusOn`. */
export async function getCountry(db: DB, code: string, statusOn: string = todayUtc()): Promise<CountryListing | undefined> {
  assertIsoDate(statusOn, "The date");
  const row = await db
    .selectFrom("countries")
    .selectAll()
    .select((eb) => partyOn(statusOn)(eb).as("is_party"))
    .where("code", "=", code.toUpperCase())
    .executeTakeFirst();
  return row ? { ...row, is_party: Boolean(row.is_party) } : undefined;
}

/** Where the country data came from and how recent it is, for the pages to cite. */
export async function getCountriesDataset(db: DB): Promise<{ source: string; as_of: string } | undefined> {
  return db.selectFrom("reference_datasets").select(["source", "as_of"]).where("name", "=", "countries").executeTakeFirst();
}

export type Standing = "party" | "pending" | "withdrawn" | "not-party";

/** Words for a listing's `is_party` answer: why a state is not a party on that day. */
export function standingOf(country: CountryListing, on: string): Standing {
  if (country.is_party) return "party";
  if (country.rs_withdrawal_effective && country.rs_withdrawal_effective <= on) return "withdrawn";
  if (country.rs_entry_into_force && country.rs_entry_into_force > on) return "pending";
  return "not-party";
}
