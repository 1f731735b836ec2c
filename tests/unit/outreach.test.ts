// The outreach board through its model, on this file's own seeded database: every
// status from real rows (letters, messages, events), the priority order, test and
// cancelled messages ignored, states that are not parties, the filters and counts,
// the number of queries, overdue follow-ups, and the demo: Norway sent by the
// Norwegian Helsinki Committee on 14 January 2025, every other state not started.
import { beforeAll, describe, expect, it } from "vitest";
import type { Insertable } from "kysely";
import type { OutreachEventsTable } from "../../db/schema";
import { OUTREACH_STATUSES } from "~/lib/outreach-status";
import { statesPartiesOn } from "~/models/country.server";
import { deriveStatus, outreachBoard, overdueFollowUps, type Board } from "~/models/outreach.server";
import type { CountryRecords } from "~/models/outreach-records.server";
import type { DB } from "~/platform/db.server";
import { seedIfEmpty } from "../../app/workflows/seed/index.server";
import { loadDemoOutreach } from "../../app/workflows/seed/outreach.server";
import { DEMO_STATEMENT_SLUG } from "../../app/workflows/seed/statements.server";
import { migratedDb } from "../setup/db";
import { createOrganisation } from "../factories";
import { insertDispatch, insertLetter } from "../setup/outreach-records";

const TODAY = "2026-11-24";
const NO_FILTERS = { status: null, group: null, organisation: null };
let db: DB;
let statement: Board["statement"];
let orgA: { id: number; name: string };
let orgB: { id: number; name: string };
const event = (values: Omit<Insertable<OutreachEventsTable>, "statement_id">) => db.insertInto("outreach_events").values({ statement_id: statement.id, ...values }).execute();
const row = (board: Board, code: string) => board.rows.find((r) => r.code === code)!;

beforeAll(async () => {
  db = await migratedDb();
  await seedIfEmpty(db, { DEMO_PASSWORD: "outreach-unit-password", DEMO_API_TOKEN: undefined });
  orgA = await createOrganisation(db, { name: "Amnesty Test Section" });
  orgB = await createOrganisation(db, { name: "Bureau of Tests" });
  const id = (await db.insertInto("statements").values({ slug: "outreach-unit", title: "Outreach unit statement", statement_date: "2025-01-14", status: "published" }).returning("id").executeTakeFirstOrThrow()).id;
  statement = { id, slug: "outreach-unit", title: "Outreach unit statement", statement_date: "2025-01-14" };
  const s = { statement_id: id, organisation_id: orgA.id };
  // FR has everything: the open follow-up that is due wins.
  await insertDispatch(db, { ...s, country_code: "FR", status: "sent", sent_at: "2025-01-20T10:00:00Z" });
  await event({ country_code: "FR", organisation_id: orgA.id, kind: "reply", happened_on: "2025-02-01", correspondent: "Quai d'Orsay", summary: "Acknowledged" });
  await event({ country_code: "FR", organisation_id: orgA.id, kind: "meeting", happened_on: "2025-03-01", correspondent: "Legal adviser", summary: "Met" });
  await event({ country_code: "FR", organisation_id: orgA.id, kind: "follow_up", happened_on: "2025-03-01", due_on: "2025-04-01", summary: "Ask again" });
  // DE: meeting beats reply and sent.
  await insertDispatch(db, { ...s, country_code: "DE", status: "sent", sent_at: "2025-01-21T10:00:00Z" });
  await event({ country_code: "DE", organisation_id: orgA.id, kind: "reply", happened_on: "2025-02-02", correspondent: "Auswärtiges Amt", summary: "Reply" });
  await event({ country_code: "DE", organisation_id: orgA.id, kind: "meeting", happened_on: "2025-02-03", correspondent: "Desk officer", summary: "Met" });
  // IT: reply beats sent.
  await insertDispatch(db, { ...s, country_code: "IT", status: "sent", sent_at: "2025-01-22T10:00:00Z" });
  await event({ country_code: "IT", organisation_id: orgA.id, kind: "reply", happened_on: "2025-02-04", correspondent: "Farnesina", summary: "Reply" });
  // ES: sent by a message, which beats a failed one and a queued one.
  await insertDispatch(db, { ...s, country_code: "ES", status: "sent", sent_at: "2025-02-05T08:30:00Z" });
  await insertDispatch(db, { ...s, country_code: "ES", status: "failed", last_error: "550 mailbox unavailable" });
  await insertDispatch(db, { ...s, country_code: "ES", status: "queued" });
  // PT: sent outside Demarche by organisation B.
  await event({ country_code: "PT", organisation_id: orgB.id, kind: "sent", happened_on: "2025-01-15", summary: "By post" });
  // NL: queued beats failed; BE: uncertain counts as sending; AT: failed beats drafted.
  await insertDispatch(db, { ...s, country_code: "NL", status: "queued" });
  await insertDispatch(db, { ...s, country_code: "NL", status: "failed" });
  await insertDispatch(db, { ...s, country_code: "BE", status: "uncertain" });
  await insertLetter(db, id, "AT", orgB.id);
  await insertDispatch(db, { statement_id: id, organisation_id: orgB.id, country_code: "AT", status: "failed", last_error: "550 no such user" });
  // IE: a letter only. DK: a letter and a test message that went to the sender only.
  await insertLetter(db, id, "IE", orgA.id);
  await insertLetter(db, id, "DK", orgA.id);
  await insertDispatch(db, { ...s, country_code: "DK", kind: "test", status: "sent", sent_at: "2025-01-23T10:00:00Z" });
  // FI: a cancelled message never left. SE: a follow-up not yet due. GR: a follow-up done.
  await insertDispatch(db, { ...s, country_code: "FI", status: "cancelled" });
  await event({ country_code: "SE", organisation_id: orgA.id, kind: "follow_up", happened_on: "2025-03-01", due_on: "2027-01-01", summary: "Later" });
  await event({ country_code: "GR", organisation_id: orgA.id, kind: "follow_up", happened_on: "2025-03-01", due_on: "2025-04-01", done_on: "2025-04-02", summary: "Done" });
  // US is not a party, but has a letter: it is on the board for it.
  await insertLetter(db, id, "US", orgA.id);
});

describe("status derivation", () => {
  it("takes the first status in priority order whose condition holds", () => {
    const records = (from: number): CountryRecords => {
      const on = (s: string) => OUTREACH_STATUSES.indexOf(s as never) >= from;
      return {
        letters: on("drafted") ? 1 : 0,
        dispatches: { sending: on("sending") ? 1 : 0, failed: on("failed") ? 1 : 0 },
        senders: on("sent") ? [{ organisationId: 1, name: "A", on: "2025-01-14" }] : [],
        replies: on("replied") ? 1 : 0,
        autoReplies: 0,
        letterStates: {},
        meetings: on("meeting") ? 1 : 0,
        openFollowUpDue: on("follow_up_due") ? TODAY : null,
        lastEvent: null,
        organisationIds: new Set(),
      };
    };
    expect(OUTREACH_STATUSES.map((_, i) => deriveStatus(records(i), TODAY))).toEqual([...OUTREACH_STATUSES]);
    expect(deriveStatus(undefined, TODAY)).toBe("not_started");
    expect(deriveStatus({ ...records(OUTREACH_STATUSES.length - 1), openFollowUpDue: "2026-11-25" }, TODAY)).toBe("not_started");
  });

  it("derives every status from the records", async () => {
    const board = await outreachBoard(db, statement, NO_FILTERS, TODAY);
    const statuses = Object.fromEntries(["FR", "DE", "IT", "ES", "PT", "NL", "BE", "AT", "IE", "DK", "FI", "SE", "GR", "US", "NO"].map((c) => [c, row(board, c).status]));
    expect(statuses).toEqual({
      FR: "follow_up_due", DE: "meeting", IT: "replied", ES: "sent", PT: "sent", NL: "sending", BE: "sending", AT: "failed",
      IE: "drafted", DK: "drafted", FI: "not_started", SE: "not_started", GR: "not_started", US: "drafted", NO: "not_started",
    });
    expect(row(board, "FR").statusLabel).toBe("Follow-up due");
  });

  it("says who sent and when, the last event in words, and the open follow-up", async () => {
    const board = await outreachBoard(db, statement, NO_FILTERS, TODAY);
    expect([row(board, "ES").sentBy, row(board, "ES").sentAt]).toEqual([orgA.name, "2025-02-05"]);
    expect([row(board, "PT").sentBy, row(board, "PT").sentAt]).toEqual([orgB.name, "2025-01-15"]);
    expect(row(board, "PT").lastEvent).toEqual({ text: `Letter sent outside Demarche by ${orgB.name}: By post`, on: "2025-01-15" });
    expect(row(board, "FR").lastEvent?.on).toBe("2025-03-01");
    expect(row(board, "IT").lastEvent).toEqual({ text: "Reply from Farnesina: Reply", on: "2025-02-04" });
    expect(row(board, "AT").lastEvent).toEqual({ text: `Letter from ${orgB.name} could not be delivered`, on: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    expect([row(board, "FR").followUpDue, row(board, "FR").followUpDueNow]).toEqual(["2025-04-01", true]);
    expect([row(board, "SE").followUpDue, row(board, "SE").followUpDueNow]).toEqual(["2027-01-01", false]);
    expect(row(board, "GR").followUpDue).toBeNull();
    // The test message and the cancelled one are no one's news.
    expect([row(board, "DK").sentBy, row(board, "DK").lastEvent, row(board, "FI").lastEvent]).toEqual([null, null, null]);
  });

  it("lists every state party on the statement's date, plus the others with records", async () => {
    const board = await outreachBoard(db, statement, NO_FILTERS, TODAY);
    const parties = await statesPartiesOn(db, "2025-01-14");
    expect(board.partiesOn).toBe("2025-01-14");
    expect(board.total).toBe(parties.length + 1);
    expect([row(board, "US").isParty, row(board, "NO").isParty]).toEqual([false, true]);
    expect(board.rows.map((r) => r.code)).not.toContain("RU");
  });
});

describe("filters and counts", () => {
  it("filters by status, and counts every status whatever the status filter", async () => {
    const all = await outreachBoard(db, statement, NO_FILTERS, TODAY);
    const sent = await outreachBoard(db, statement, { ...NO_FILTERS, status: "sent" }, TODAY);
    expect(sent.rows.map((r) => r.code).sort()).toEqual(["ES", "PT"]);
    expect(sent.counts).toEqual(all.counts);
    expect(all.counts).toMatchObject({ follow_up_due: 1, meeting: 1, replied: 1, sent: 2, sending: 2, failed: 1, drafted: 3 });
    expect(Object.values(all.counts).reduce((a, b) => a + b, 0)).toBe(all.total);
  });

  it("filters by regional group, counting per group and status", async () => {
    const all = await outreachBoard(db, statement, NO_FILTERS, TODAY);
    const weog = all.byGroup.find((g) => g.group === "western-european-other")!;
    expect(weog.counts).toMatchObject({ follow_up_due: 1, meeting: 1, replied: 1, sent: 2, sending: 2, failed: 1, drafted: 3 });
    expect(all.byGroup.reduce((n, g) => n + g.total, 0)).toBe(all.total);
    const african = await outreachBoard(db, statement, { ...NO_FILTERS, group: "african" }, TODAY);
    expect(african.rows.length).toBeGreaterThan(20);
    expect(african.rows.every((r) => r.group === "african" && r.status === "not_started")).toBe(true);
    expect(african.byGroup.map((g) => g.group)).toEqual(["african"]);
  });

  it("filters by organisation: the states where it has a letter, a message or an event", async () => {
    const b = await outreachBoard(db, statement, { ...NO_FILTERS, organisation: orgB.id }, TODAY);
    expect(b.rows.map((r) => r.code)).toEqual(["AT", "PT"]);
    expect(b.counts).toMatchObject({ sent: 1, failed: 1, not_started: 0 });
    expect(b.organisations.map((o) => o.name)).toEqual([orgA.name, orgB.name]);
  });

  it("reads the records in a handful of queries, however many states", async () => {
    let queries = 0;
    const counting = db.withPlugin({
      transformQuery: (args) => { queries++; return args.node; },
      transformResult: async (args) => args.result,
    });
    await outreachBoard(counting, statement, NO_FILTERS, TODAY);
    expect(queries).toBeGreaterThanOrEqual(4);
    expect(queries).toBeLessThanOrEqual(7); // parties, statement, letters, messages, events, latest events, automatic answers: never per state
  });
});

describe("overdue follow-ups", () => {
  it("lists open follow-ups due on or before today, across statements", async () => {
    const due = await overdueFollowUps(db, TODAY);
    expect(due.map((f) => [f.countryCode, f.dueOn, f.statementSlug])).toEqual([["FR", "2025-04-01", "outreach-unit"]]);
    expect(due[0]).toMatchObject({ countryName: "France", summary: "Ask again", organisation: orgA.name });
    expect(await overdueFollowUps(db, "2025-03-31")).toEqual([]);
  });

  it("narrows to one organisation's follow-ups for a member's home page", async () => {
    expect((await overdueFollowUps(db, TODAY, 100, orgA.id)).map((f) => f.countryCode)).toEqual(["FR"]);
    expect(await overdueFollowUps(db, TODAY, 100, orgA.id + 1000)).toEqual([]);
  });
});

describe("the demo", () => {
  it("shows Norway sent by the Norwegian Helsinki Committee on 14 January 2025, every other state not started", async () => {
    const demo = await db.selectFrom("statements").selectAll().where("slug", "=", DEMO_STATEMENT_SLUG).executeTakeFirstOrThrow();
    const board = await outreachBoard(db, demo, NO_FILTERS, TODAY);
    const parties = await statesPartiesOn(db, demo.statement_date);
    expect(demo.statement_date).toBe("2025-01-14");
    expect(board.total).toBe(parties.length);
    expect(row(board, "NO")).toMatchObject({ status: "sent", sentBy: "Norwegian Helsinki Committee", sentAt: "2025-01-14" });
    expect(board.counts.sent).toBe(1);
    expect(board.counts.not_started).toBe(parties.length - 1);
    expect(board.rows.filter((r) => r.code !== "NO").every((r) => r.status === "not_started")).toBe(true);
  });

  it("is loaded once: a rerun of the outreach seed adds nothing", async () => {
    const nhc = await db.selectFrom("organisations").select("id").where("name", "=", "Norwegian Helsinki Committee").executeTakeFirstOrThrow();
    const count = async () => Number((await db.selectFrom("outreach_events").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
    const before = await count();
    await loadDemoOutreach(db, { nhcId: nhc.id });
    expect(await count()).toBe(before);
  });
});
