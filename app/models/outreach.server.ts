// The outreach board of a statement: every state party on the statement's date, plus
// any other state that has a letter, a message or a logged event for it, each with a
// status derived from those records (app/lib/outreach-status.ts gives the order),
// never from a flag set by hand. The records are read in a few grouped queries over
// the whole statement and folded per country here, so the board costs the same for
// 5 states as for 125.
import { sql } from "kysely";
import type { Country, RegionalGroup, Statement } from "../../db/schema";
import { OUTREACH_STATUS_LABELS, OUTREACH_STATUSES, type OutreachStatus } from "~/lib/outreach-status";
import { regionalGroupLabel, REGIONAL_GROUPS } from "~/lib/regional-groups";
import type { BoardFilters } from "~/schemas/outreach.server";
import type { DB } from "~/platform/db.server";
import { NotFound } from "~/platform/errors.server";
import type { SessionUser } from "~/platform/session.server";
import { statesPartiesOn, todayUtc } from "./country.server";
import { isCoordinator } from "./permissions.server";
import { findStatementBySlug } from "./statement.server";
import { isPublic, PUBLIC_STATUSES } from "./statement-lifecycle.server";
import { loadStatementRecords, type CountryRecords } from "./outreach-records.server";

// Routes take their Zod schemas from here: a .server module keeps zod out of the browser.
export { boardFiltersFrom, type BoardFilters } from "~/schemas/outreach.server";

export interface BoardRow {
  code: string;
  name: string;
  group: RegionalGroup | null;
  groupLabel: string;
  /** A state party on the statement's date (the others are on the board for their records). */
  isParty: boolean;
  status: OutreachStatus;
  statusLabel: string;
  /** The organisations that sent a letter, first sender first. */
  sentBy: string | null;
  /** YYYY-MM-DD of the first letter sent. */
  sentAt: string | null;
  lastEvent: { text: string; on: string } | null;
  /** The earliest open follow-up's due date, and whether that day has come. */
  followUpDue: string | null;
  followUpDueNow: boolean;
  organisationIds: number[];
  /** Letter messages by state (queued … delivered, bounced), replies and automatic answers: from the records only. */
  letterStates: CountryRecords["letterStates"];
  replies: number;
  autoReplies: number;
}

export type StatusCounts = Record<OutreachStatus, number>;

export interface Board {
  statement: Pick<Statement, "id" | "slug" | "title" | "statement_date">;
  /** The date the states-parties list is taken on: the statement's date. */
  partiesOn: string;
  today: string;
  filters: BoardFilters;
  /** The rows the filters let through, by name. */
  rows: BoardRow[];
  /** Rows on the whole board, before filters. */
  total: number;
  /** Over the rows the group and organisation filters let through, whatever the status filter: it says how many each status choice would show. */
  counts: StatusCounts;
  byGroup: { group: RegionalGroup | null; label: string; total: number; counts: StatusCounts }[];
  /** The organisations with a record for this statement, for the filter. */
  organisations: { id: number; name: string }[];
}

const emptyCounts = (): StatusCounts => Object.fromEntries(OUTREACH_STATUSES.map((s) => [s, 0])) as StatusCounts;

/** The first status, in priority order, whose condition holds for the country's records. */
export function deriveStatus(r: CountryRecords | undefined, today: string): OutreachStatus {
  if (!r) return "not_started";
  const holds: Record<OutreachStatus, boolean> = {
    follow_up_due: r.openFollowUpDue !== null && r.openFollowUpDue <= today,
    meeting: r.meetings > 0,
    replied: r.replies > 0,
    sent: r.senders.length > 0,
    sending: r.dispatches.sending > 0,
    failed: r.dispatches.failed > 0,
    drafted: r.letters > 0,
    not_started: true,
  };
  return OUTREACH_STATUSES.find((s) => holds[s])!;
}

const collator = new Intl.Collator("en", { sensitivity: "base" });

/** Who sent to the state (all senders, in order) and on which day the first did. */
const sender = (r: CountryRecords | undefined) => ({
  sentBy: r?.senders.length ? r.senders.map((s) => s.name).join(", ") : null,
  sentAt: r?.senders[0]?.on ?? null,
});

/** One state's status for a statement, as its board row says, from that state's records only. */
export async function countryOutreach(db: DB, statementId: number, countryCode: string, today = todayUtc()) {
  const records = await loadStatementRecords(db, statementId, countryCode);
  const r = records.byCountry.get(countryCode);
  return { status: deriveStatus(r, today), ...sender(r), today };
}

export async function outreachBoard(db: DB, statement: Board["statement"], filters: BoardFilters, today = todayUtc()): Promise<Board> {
  const partiesOn = statement.statement_date;
  const [parties, records] = await Promise.all([statesPartiesOn(db, partiesOn), loadStatementRecords(db, statement.id)]);
  const partyCodes = new Set(parties.map((c) => c.code));
  const extraCodes = [...records.byCountry.keys()].filter((code) => !partyCodes.has(code));
  const extras: Country[] = extraCodes.length ? await db.selectFrom("countries").selectAll().where("code", "in", extraCodes).execute() : [];

  const all = [...parties.map((c) => rowFor(c, true)), ...extras.map((c) => rowFor(c, false))].sort((a, b) => collator.compare(a.name, b.name));
  function rowFor(country: Country, isParty: boolean): BoardRow {
    const r = records.byCountry.get(country.code);
    const status = deriveStatus(r, today);
    const followUpDue = r?.openFollowUpDue ?? null;
    return {
      ...sender(r),
      code: country.code,
      name: country.name,
      group: country.regional_group,
      groupLabel: regionalGroupLabel(country.regional_group),
      isParty,
      status,
      statusLabel: OUTREACH_STATUS_LABELS[status],
      lastEvent: r?.lastEvent ?? null,
      followUpDue,
      followUpDueNow: followUpDue !== null && followUpDue <= today,
      organisationIds: r ? [...r.organisationIds] : [],
      letterStates: r?.letterStates ?? {},
      replies: r?.replies ?? 0,
      autoReplies: r?.autoReplies ?? 0,
    };
  }

  const scoped = all.filter((row) => (!filters.group || row.group === filters.group) && (!filters.organisation || row.organisationIds.includes(filters.organisation)));
  const counts = emptyCounts();
  const groups = new Map<RegionalGroup | null, StatusCounts>();
  for (const row of scoped) {
    counts[row.status]++;
    if (!groups.has(row.group)) groups.set(row.group, emptyCounts());
    groups.get(row.group)![row.status]++;
  }
  const groupOrder = [...REGIONAL_GROUPS, null];
  const byGroup = [...groups.entries()]
    .sort(([a], [b]) => groupOrder.indexOf(a) - groupOrder.indexOf(b))
    .map(([group, c]) => ({ group, label: regionalGroupLabel(group), total: Object.values(c).reduce((n, v) => n + v, 0), counts: c }));

  return {
    statement: { id: statement.id, slug: statement.slug, title: statement.title, statement_date: statement.statement_date },
    partiesOn,
    today,
    filters,
    rows: filters.status ? scoped.filter((row) => row.status === filters.status) : scoped,
    total: all.length,
    counts,
    byGroup,
    organisations: records.organisations.sort((a, b) => collator.compare(a.name, b.name)),
  };
}

export interface OverdueFollowUp {
  id: number;
  dueOn: string;
  summary: string;
  statementSlug: string;
  statementTitle: string;
  countryCode: string;
  countryName: string;
  organisation: string | null;
}

/**
 * Open follow-ups whose due date has come (due today included, as on the board),
 * across statements, oldest first: the to-do list on the home page. `organisationId`
 * narrows it to one organisation's follow-ups (a member's own), leaving out draft
 * statements, whose boards members cannot open.
 */
export async function overdueFollowUps(db: DB, today = todayUtc(), limit = 100, organisationId: number | null = null): Promise<OverdueFollowUp[]> {
  let query = db
    .selectFrom("outreach_events as e")
    .innerJoin("statements as s", "s.id", "e.statement_id")
    .leftJoin("countries as c", "c.code", "e.country_code")
    .leftJoin("organisations as o", "o.id", "e.organisation_id")
    .select([
      "e.id",
      "e.due_on as dueOn",
      "e.summary",
      "s.slug as statementSlug",
      "s.title as statementTitle",
      "e.country_code as countryCode",
      sql<string>`coalesce(c.name, e.country_code)`.as("countryName"),
      "o.name as organisation",
    ])
    .where("e.kind", "=", "follow_up")
    .where("e.done_on", "is", null)
    .where("e.due_on", "<=", today)
    .orderBy("e.due_on")
    .orderBy("e.id")
    .limit(limit);
  if (organisationId !== null) query = query.where("e.organisation_id", "=", organisationId).where("s.status", "in", PUBLIC_STATUSES);
  return query.execute() as Promise<OverdueFollowUp[]>;
}

/**
 * The statement whose board `user` asks for, or null. A draft has no outreach yet and
 * its title is not for members (its own pages are coordinators' only): for them a draft
 * is not found, as on the statement's pages.
 */
export async function outreachStatementFor(db: DB, user: SessionUser, slug: string | undefined): Promise<Statement | null> {
  const statement = slug ? await findStatementBySlug(db, slug) : undefined;
  if (!statement || (!isPublic(statement.status) && !isCoordinator(user))) return null;
  return statement;
}

/** As outreachStatementFor, throwing NotFound. */
export async function requireOutreachStatement(db: DB, user: SessionUser, slug: string | undefined): Promise<Statement> {
  const statement = await outreachStatementFor(db, user, slug);
  if (!statement) throw new NotFound("There is no statement at this address.");
  return statement;
}
