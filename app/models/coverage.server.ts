// Who writes to which state party, and what each one's recipient list lacks. A
// coordinator assigns organisations to countries (organisation_countries); a member
// of an assigned organisation may then edit that country's recipients. The coverage
// view takes every state party on a chosen date (statesPartiesOn, the one rule for
// "party on a day"), groups them by ICC regional group and calls out the gaps that
// would stop or spoil a letter: no addressee, an addressee without email, stale entries,
// and addresses that bounce (issue 12: stale as surely as an entry nobody checked).
import type { RegionalGroup } from "../../db/schema";
import { atomically, type DB } from "~/platform/db.server";
import { NotFound } from "~/platform/errors.server";
import { REGIONAL_GROUPS, regionalGroupLabel } from "~/lib/regional-groups";
import { type ChangeContext, recordAudit } from "./audit.server";
import { statesPartiesOn } from "./country.server";
import { isStale } from "./recipient.server";
import { recipientStatuses } from "./recipient-address-status.server";

export { coverageQuerySchema } from "~/schemas/recipient.server";

export interface AssignedOrganisation {
  id: number;
  name: string;
  acronym: string | null;
}

/** The organisations that cover a country, by name. */
export async function assignedOrganisations(db: DB, countryCode: string): Promise<AssignedOrganisation[]> {
  return db
    .selectFrom("organisation_countries")
    .innerJoin("organisations", "organisations.id", "organisation_countries.organisation_id")
    .select(["organisations.id", "organisations.name", "organisations.acronym"])
    .where("organisation_countries.country_code", "=", countryCode)
    .orderBy("organisations.name")
    .execute();
}

/** Organisations a coordinator may still assign to the country, for the select. */
export async function unassignedOrganisations(db: DB, countryCode: string) {
  return db
    .selectFrom("organisations")
    .select(["id", "name", "acronym"])
    .where("id", "not in", (eb) => eb.selectFrom("organisation_countries").select("organisation_id").where("country_code", "=", countryCode))
    .orderBy("name")
    .execute();
}

/** Assigns an organisation to a country. False (and nothing written) if it already covers it. Coordinators only: the route checks. */
export async function assignOrganisation(db: DB, ctx: ChangeContext, countryCode: string, organisationId: number): Promise<boolean> {
  return atomically(db, async (trx) => {
    const org = await trx.selectFrom("organisations").select(["id", "name"]).where("id", "=", organisationId).executeTakeFirst();
    if (!org) throw new NotFound("There is no such organisation.");
    const inserted = await trx
      .insertInto("organisation_countries")
      .values({ organisation_id: organisationId, country_code: countryCode })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return false;
    await audit(trx, ctx, "country.organisation_assigned", countryCode, { organisationId, organisation: org.name });
    return true;
  });
}

/** Ends an assignment. False (and nothing written) if there was none. */
export async function unassignOrganisation(db: DB, ctx: ChangeContext, countryCode: string, organisationId: number): Promise<boolean> {
  return atomically(db, async (trx) => {
    const org = await trx.selectFrom("organisations").select("name").where("id", "=", organisationId).executeTakeFirst();
    const deleted = await trx
      .deleteFrom("organisation_countries")
      .where("organisation_id", "=", organisationId)
      .where("country_code", "=", countryCode)
      .executeTakeFirst();
    if (Number(deleted.numDeletedRows) === 0) return false;
    await audit(trx, ctx, "country.organisation_unassigned", countryCode, { organisationId, organisation: org?.name ?? null });
    return true;
  });
}

function audit(db: DB, ctx: ChangeContext, action: string, countryCode: string, detail: Record<string, unknown>) {
  return recordAudit(db, { actor: ctx.actor, ip: ctx.ip, action, subjectType: "country", subjectId: countryCode, detail });
}

export type Gap =
  | { kind: "no-addressee" }
  | { kind: "addressee-without-email"; count: number; names: string[] }
  | { kind: "stale"; count: number; oldest: string }
  /** Recipients whose address is bouncing: "Espen Barth Eide, Foreign Minister of Norway" (the title alone where names are not shown), and the day. */
  | { kind: "bouncing"; recipients: { who: string; at: string }[] };

export interface CoverageRow {
  code: string;
  name: string;
  recipients: number;
  addressees: number;
  copies: number;
  organisations: AssignedOrganisation[];
  gaps: Gap[];
}

export interface CoverageGroup {
  group: RegionalGroup | null;
  label: string;
  /** States parties of the group on the date, whatever the filter shows. */
  parties: number;
  withGaps: number;
  rows: CoverageRow[];
}

export interface Coverage {
  on: string;
  today: string;
  parties: number;
  withGaps: number;
  groups: CoverageGroup[];
}

export interface CoverageFilters {
  gapsOnly?: boolean;
  group?: RegionalGroup;
  /** Countries whose recipients may be named (ADR 0014); null or absent: all. Elsewhere gaps are counted, not named. */
  namesShownFor?: Set<string> | null;
}

/**
 * Every state party on `on`, grouped by regional group (in the ASP's order), with
 * its recipients counted and its gaps named. Staleness is judged on `today`, not on
 * `on`: a recipient list is today's knowledge, whatever date a letter carries.
 */
export async function coverageOn(db: DB, on: string, today: string, filters: CoverageFilters = {}): Promise<Coverage> {
  const [parties, recipients, assignments] = await Promise.all([
    statesPartiesOn(db, on),
    db.selectFrom("recipients").select(["id", "country_code", "name", "title", "kind", "email", "checked_on"]).execute(),
    db
      .selectFrom("organisation_countries")
      .innerJoin("organisations", "organisations.id", "organisation_countries.organisation_id")
      .select(["organisation_countries.country_code", "organisations.id", "organisations.name", "organisations.acronym"])
      .orderBy("organisations.name")
      .execute(),
  ]);
  const recipientsOf = groupBy(recipients, (r) => r.country_code);
  const statuses = await recipientStatuses(db, recipients);
  const organisationsOf = groupBy(assignments, (a) => a.country_code);

  const rows = parties.map((country) => {
    const list = recipientsOf.get(country.code) ?? [];
    const addressees = list.filter((r) => r.kind === "addressee");
    const gaps: Gap[] = [];
    if (addressees.length === 0) gaps.push({ kind: "no-addressee" });
    const noEmail = addressees.filter((r) => !r.email).map((r) => r.name);
    const named = !filters.namesShownFor || filters.namesShownFor.has(country.code);
    if (noEmail.length) gaps.push({ kind: "addressee-without-email", count: noEmail.length, names: named ? noEmail : [] });
    const stale = list.filter((r) => isStale(r.checked_on, today));
    if (stale.length) gaps.push({ kind: "stale", count: stale.length, oldest: stale.map((r) => r.checked_on).sort()[0] });
    const bouncing = list.flatMap((r) => {
      const status = statuses.get(r.id);
      return status?.state === "bouncing" ? [{ who: named ? `${r.name}, ${r.title}` : r.title, at: status.at.slice(0, 10) }] : [];
    });
    if (bouncing.length) gaps.push({ kind: "bouncing", recipients: bouncing });
    const row: CoverageRow = {
      code: country.code,
      name: country.name,
      recipients: list.length,
      addressees: addressees.length,
      copies: list.length - addressees.length,
      organisations: (organisationsOf.get(country.code) ?? []).map(({ id, name, acronym }) => ({ id, name, acronym })),
      gaps,
    };
    return { group: country.regional_group, row };
  });

  const order: (RegionalGroup | null)[] = [...REGIONAL_GROUPS, null];
  const groups = order
    .filter((g) => !filters.group || g === filters.group)
    .map((group): CoverageGroup => {
      const all = rows.filter((r) => r.group === group).map((r) => r.row);
      return {
        group,
        label: regionalGroupLabel(group),
        parties: all.length,
        withGaps: all.filter((r) => r.gaps.length > 0).length,
        rows: filters.gapsOnly ? all.filter((r) => r.gaps.length > 0) : all,
      };
    })
    // The Holy See (no group) is not a party; its heading appears only if that changes.
    .filter((g) => g.group !== null || g.parties > 0);
  return {
    on,
    today,
    parties: groups.reduce((n, g) => n + g.parties, 0),
    withGaps: groups.reduce((n, g) => n + g.withGaps, 0),
    groups,
  };
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}
