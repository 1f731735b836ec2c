// What the records say about each country for one statement, read in four grouped
// queries (letters, messages, events, and each country's latest event) and folded
// into one summary per country. The outreach board derives its statuses from these
// summaries; nothing here decides a status.
//
// Messages count only when they are letters (kind 'letter'): a test sent to oneself
// contacted no one. Cancelled messages never left and count for nothing.
import type { DispatchDelivery, DispatchStatus, OutreachEventKind } from "../../db/schema";
import type { DB } from "~/platform/db.server";

export interface CountryRecords {
  letters: number;
  dispatches: { sending: number; failed: number };
  /** Who sent a letter (by Demarche or logged as sent outside it), earliest first, one entry per organisation. */
  senders: { organisationId: number | null; name: string; on: string }[];
  replies: number;
  /** Out-of-office and other automatic answers read from the mailbox: shown, never a reply. */
  autoReplies: number;
  /** Each letter message's state: its sending status, or once sent, what came back about it. */
  letterStates: Partial<Record<LetterState, number>>;
  meetings: number;
  /** The earliest due date of a follow-up not yet done. */
  openFollowUpDue: string | null;
  lastEvent: { text: string; on: string } | null;
  organisationIds: Set<number>;
}

export interface StatementRecords {
  byCountry: Map<string, CountryRecords>;
  organisations: { id: number; name: string }[];
}

const WAITING: DispatchStatus[] = ["queued", "sending", "uncertain"];

/** A letter message as the board and the API name it: sent and then delivered, bounced (or not heard of). */
export type LetterState = "queued" | "sending" | "uncertain" | "failed" | "sent" | "delivered" | "delayed" | "soft-bounced" | "bounced";
const letterState = (status: DispatchStatus, delivery: DispatchDelivery | null): LetterState => (status === "sent" && delivery ? delivery : (status as LetterState));

/** "Reply from X: summary" and the like: an event in the words of the board. */
export function eventInWords(e: { kind: OutreachEventKind; correspondent: string | null; summary: string; due_on: string | null; done_on: string | null; organisation: string | null }): string {
  const head = {
    reply: `Reply from ${e.correspondent ?? "the state"}`,
    meeting: `Meeting with ${e.correspondent ?? "officials"}`,
    follow_up: e.done_on ? `Follow-up done on ${e.done_on}` : `Follow-up due ${e.due_on}`,
    sent: `Letter sent outside Demarche${e.organisation ? ` by ${e.organisation}` : ""}`,
  }[e.kind];
  return e.summary ? `${head}: ${e.summary}` : head;
}

const DISPATCH_WORDS: Partial<Record<DispatchStatus, (org: string) => string>> = {
  sent: (org) => `Letter sent by ${org}`,
  failed: (org) => `Letter from ${org} could not be delivered`,
  queued: (org) => `Letter from ${org} queued for sending`,
  sending: (org) => `Letter from ${org} being sent`,
  uncertain: (org) => `Letter from ${org}: delivery uncertain, waiting for a person to confirm`,
};

/** The statement's records, grouped by state; with `countryCode`, that one state's only (a state's own page). */
export async function loadStatementRecords(db: DB, statementId: number, countryCode?: string): Promise<StatementRecords> {
  const one = countryCode !== undefined;
  const [letters, dispatches, events, latest, autoReplies] = await Promise.all([
    db
      .selectFrom("letters as l")
      .innerJoin("organisations as o", "o.id", "l.organisation_id")
      .select(["l.country_code", "l.organisation_id", "o.name as organisation", (eb) => eb.fn.countAll<number>().as("n")])
      .where("l.statement_id", "=", statementId)
      .$if(one, (q) => q.where("l.country_code", "=", countryCode!))
      .groupBy(["l.country_code", "l.organisation_id", "o.name"])
      .execute(),
    db
      .selectFrom("dispatches as d")
      .innerJoin("organisations as o", "o.id", "d.organisation_id")
      .select(["d.country_code", "d.organisation_id", "o.name as organisation", "d.status", "d.delivery", (eb) => eb.fn.countAll<number>().as("n")])
      .select((eb) => [eb.fn.min("d.sent_at").as("first_sent"), eb.fn.max(eb.fn.coalesce("d.sent_at", "d.updated_at")).as("last_at")])
      .where("d.statement_id", "=", statementId)
      .$if(one, (q) => q.where("d.country_code", "=", countryCode!))
      .where("d.kind", "=", "letter")
      .where("d.status", "!=", "cancelled")
      .groupBy(["d.country_code", "d.organisation_id", "o.name", "d.status", "d.delivery"])
      // Letter messages always have a state and a sender (only notices have neither).
      .$narrowType<{ country_code: string; organisation_id: number }>()
      .execute(),
    db
      .selectFrom("outreach_events as e")
      .leftJoin("organisations as o", "o.id", "e.organisation_id")
      .select(["e.country_code", "e.organisation_id", "o.name as organisation", "e.kind", (eb) => eb.fn.countAll<number>().as("n")])
      .select((eb) => [
        eb.fn.min("e.happened_on").as("first_on"),
        eb.fn.min(eb.case().when("e.done_on", "is", null).then(eb.ref("e.due_on")).end()).as("open_due"),
      ])
      .where("e.statement_id", "=", statementId)
      .$if(one, (q) => q.where("e.country_code", "=", countryCode!))
      .groupBy(["e.country_code", "e.organisation_id", "o.name", "e.kind"])
      .execute(),
    // Each country's latest logged event: ranked within the country, the first kept.
    db
      .selectFrom((eb) =>
        eb
          .selectFrom("outreach_events as e")
          .leftJoin("organisations as o", "o.id", "e.organisation_id")
          .select(["e.country_code", "e.kind", "e.happened_on", "e.due_on", "e.done_on", "e.correspondent", "e.summary", "o.name as organisation"])
          .select((eb2) => eb2.fn.agg<number>("row_number").over((ob) => ob.partitionBy("e.country_code").orderBy("e.happened_on", "desc").orderBy("e.id", "desc")).as("rank"))
          .where("e.statement_id", "=", statementId)
          .$if(one, (q) => q.where("e.country_code", "=", countryCode!))
          .as("ranked"),
      )
      .selectAll()
      .where("rank", "=", 1)
      .execute(),
    db
      .selectFrom("inbound_messages")
      .select(["country_code", (eb) => eb.fn.countAll<number>().as("n")])
      .where("statement_id", "=", statementId)
      .$if(one, (q) => q.where("country_code", "=", countryCode!))
      .where("kind", "=", "auto-reply")
      .where("country_code", "is not", null)
      .groupBy("country_code")
      .$narrowType<{ country_code: string }>()
      .execute(),
  ]);

  const byCountry = new Map<string, CountryRecords>();
  const organisations = new Map<number, string>();
  const of = (code: string, organisationId: number | null, organisation: string | null) => {
    if (organisationId !== null && organisation !== null) organisations.set(organisationId, organisation);
    let r = byCountry.get(code);
    if (!r) {
      r = { letters: 0, dispatches: { sending: 0, failed: 0 }, senders: [], replies: 0, autoReplies: 0, letterStates: {}, meetings: 0, openFollowUpDue: null, lastEvent: null, organisationIds: new Set() };
      byCountry.set(code, r);
    }
    if (organisationId !== null) r.organisationIds.add(organisationId);
    return r;
  };
  const addSender = (r: CountryRecords, organisationId: number | null, name: string, on: string) => {
    const known = r.senders.find((s) => s.organisationId === organisationId && s.name === name);
    if (known) known.on = on < known.on ? on : known.on;
    else r.senders.push({ organisationId, name, on });
  };
  // A message's own news competes with the logged events for "last event"; on the same day the logged event wins.
  const newsFromMessages = new Map<string, { text: string; on: string }>();

  for (const l of letters) of(l.country_code, l.organisation_id, l.organisation).letters += Number(l.n);
  for (const d of dispatches) {
    const r = of(d.country_code, d.organisation_id, d.organisation);
    const state = letterState(d.status, d.delivery);
    r.letterStates[state] = (r.letterStates[state] ?? 0) + Number(d.n);
    // A letter the address refused reached no one: it counts as failed, not as sent.
    if (state === "bounced") r.dispatches.failed += Number(d.n);
    else if (d.status === "sent") addSender(r, d.organisation_id, d.organisation, String(d.first_sent ?? d.last_at).slice(0, 10));
    else if (d.status === "failed") r.dispatches.failed += Number(d.n);
    else if (WAITING.includes(d.status)) r.dispatches.sending += Number(d.n);
    const on = String(d.last_at).slice(0, 10);
    const words = state === "bounced" ? (org: string) => `Letter from ${org} bounced: the address refused it` : DISPATCH_WORDS[d.status];
    const current = newsFromMessages.get(d.country_code);
    if (words && (!current || on > current.on)) newsFromMessages.set(d.country_code, { text: words(d.organisation), on });
  }
  for (const e of events) {
    const r = of(e.country_code, e.organisation_id, e.organisation);
    if (e.kind === "reply") r.replies += Number(e.n);
    else if (e.kind === "meeting") r.meetings += Number(e.n);
    else if (e.kind === "sent") addSender(r, e.organisation_id, e.organisation ?? "an organisation", String(e.first_on));
    else if (e.kind === "follow_up" && e.open_due !== null) {
      const due = String(e.open_due);
      if (r.openFollowUpDue === null || due < r.openFollowUpDue) r.openFollowUpDue = due;
    }
  }
  for (const a of autoReplies) of(a.country_code, null, null).autoReplies += Number(a.n);
  for (const e of latest) of(e.country_code, null, null).lastEvent = { text: eventInWords(e), on: e.happened_on };
  for (const [code, news] of newsFromMessages) {
    const r = of(code, null, null);
    if (!r.lastEvent || news.on > r.lastEvent.on) r.lastEvent = news;
  }
  for (const r of byCountry.values()) r.senders.sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0));
  return { byCountry, organisations: [...organisations].map(([id, name]) => ({ id, name })) };
}
