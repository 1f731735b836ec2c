// Logging what happened with a state after (or outside) sending: a reply, a meeting, a
// follow-up to do by a date (and marking it done), a letter sent outside Demarche.
// Each is one row written with its audit entry in one transaction. Who may log is one
// function, canLogOutreach (permissions.server.ts): coordinators for every state; a
// member for the states its organisation covers, or writes to for this statement.
import type { Insertable } from "kysely";
import type { OutreachEventsTable } from "../../db/schema";
import { atomically, type DB } from "~/platform/db.server";
import type { SessionUser } from "~/platform/session.server";
import type { FollowUpInput, MeetingInput, ReplyInput, SentOutsideInput } from "~/schemas/outreach.server";
import { type ChangeContext, recordAudit } from "./audit.server";
import { FieldInputError, Forbidden } from "~/platform/errors.server";
import { canActForOrganisation, canLogOutreach } from "./permissions.server";

// Routes take their Zod schemas from here: a .server module keeps zod out of the browser.
export { removeEventSchema } from "~/schemas/outreach.server";
export { followUpDoneSchema, followUpSchema, meetingSchema, readOutreachForm, replySchema, sentOutsideSchema, ATTACHMENT_MAX_LABEL } from "~/schemas/outreach.server";

/** Which statement and which state an event is about. */
export interface OutreachTarget {
  statementId: number;
  countryCode: string;
}

/** An uploaded reply, checked (outreach-reply.server.ts). */
export interface StoredAttachment {
  filename: string;
  type: string;
  content: Buffer;
}

/** Forbidden unless `user` may log events for the state. */
export async function requireOutreachLogger(db: DB, user: SessionUser, target: OutreachTarget, countryName: string): Promise<void> {
  if (!(await canLogOutreach(db, user, target))) {
    throw new Forbidden(`Only coordinators and members of an organisation that covers ${countryName}, or writes to it for this statement, can log its outreach.`);
  }
}

type NewEvent = Omit<Insertable<OutreachEventsTable>, "statement_id" | "country_code" | "created_by">;

async function insertEvent(db: DB, ctx: ChangeContext, target: OutreachTarget, event: NewEvent): Promise<number> {
  return atomically(db, async (trx) => {
    const { id } = await trx
      .insertInto("outreach_events")
      .values({ ...event, statement_id: target.statementId, country_code: target.countryCode, created_by: ctx.actor?.id ?? null })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actor: ctx.actor,
      ip: ctx.ip,
      action: `outreach.${event.kind}_logged`,
      subjectType: "outreach_event",
      subjectId: id,
      detail: { statementId: target.statementId, country: target.countryCode, on: event.happened_on, dueOn: event.due_on ?? null, attachment: event.attachment_filename ?? null, inboundMessageId: event.inbound_message_id ?? null },
    });
    return id;
  });
}

/** A reply received; `organisationId` is the logger's organisation (who followed it up). */
export function logReply(db: DB, ctx: ChangeContext, target: OutreachTarget, organisationId: number | null, input: ReplyInput, attachment: StoredAttachment | null) {
  return insertEvent(db, ctx, target, {
    kind: "reply",
    organisation_id: organisationId,
    happened_on: input.happenedOn,
    correspondent: input.correspondent,
    summary: input.summary,
    body: input.body,
    attachment_filename: attachment?.filename ?? null,
    attachment_type: attachment?.type ?? null,
    attachment: attachment?.content ?? null,
  });
}

/** What a reply that came in by mail says about itself (app/models/inbound). */
export interface MailedReply {
  inboundMessageId: number;
  organisationId: number | null;
  happenedOn: string;
  correspondent: string | null;
  subject: string;
  text: string | null;
}

/**
 * A reply read from the mailbox: the same event as one logged by hand (so the board,
 * the map and the API count it as "replied"), naming the message it came from. Nobody
 * logged it when `ctx.actor` is null (the mailbox reader); a coordinator when attached
 * from the unmatched queue.
 */
export function logMailedReply(db: DB, ctx: ChangeContext, target: OutreachTarget, reply: MailedReply) {
  return insertEvent(db, ctx, target, {
    kind: "reply",
    organisation_id: reply.organisationId,
    happened_on: reply.happenedOn,
    correspondent: reply.correspondent,
    summary: reply.subject.slice(0, 500),
    body: reply.text,
    inbound_message_id: reply.inboundMessageId,
  });
}

export function logMeeting(db: DB, ctx: ChangeContext, target: OutreachTarget, organisationId: number | null, input: MeetingInput) {
  return insertEvent(db, ctx, target, { kind: "meeting", organisation_id: organisationId, happened_on: input.happenedOn, correspondent: input.correspondent, summary: input.summary, body: input.body });
}

/** A follow-up to do by `dueOn`; it is logged (happened_on) today. */
export function logFollowUp(db: DB, ctx: ChangeContext, target: OutreachTarget, organisationId: number | null, input: FollowUpInput, today: string) {
  return insertEvent(db, ctx, target, { kind: "follow_up", organisation_id: organisationId, happened_on: today, due_on: input.dueOn, summary: input.summary });
}

/**
 * A letter sent before Demarche, or by other means. Members log only their own
 * organisation's letters; the seed (no person) logs the demo's historical letter.
 */
export async function logSentOutside(db: DB, actor: SessionUser | "seed", ctx: ChangeContext, target: OutreachTarget, input: SentOutsideInput): Promise<number> {
  return atomically(db, async (trx) => {
    const organisation = await trx.selectFrom("organisations").select(["id", "name"]).where("id", "=", input.organisationId).executeTakeFirst();
    if (!organisation) throw new FieldInputError({ organisationId: ["There is no such organisation. Choose one from the list."] });
    if (actor !== "seed" && !canActForOrganisation(actor, organisation.id)) throw new FieldInputError({ organisationId: ["Members log only their own organisation's letters."] });
    return insertEvent(trx, ctx, target, { kind: "sent", organisation_id: organisation.id, happened_on: input.happenedOn, summary: input.summary ?? "" });
  });
}

/** Marks an open follow-up of this statement and state done today. False when there is none (already done, or another state's). */
export async function markFollowUpDone(db: DB, ctx: ChangeContext, target: OutreachTarget, eventId: number, today: string): Promise<boolean> {
  return atomically(db, async (trx) => {
    const result = await trx
      .updateTable("outreach_events")
      .set({ done_on: today, updated_at: new Date().toISOString() })
      .where("id", "=", eventId)
      .where("statement_id", "=", target.statementId)
      .where("country_code", "=", target.countryCode)
      .where("kind", "=", "follow_up")
      .where("done_on", "is", null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return false;
    await recordAudit(trx, { actor: ctx.actor, ip: ctx.ip, action: "outreach.follow_up_done", subjectType: "outreach_event", subjectId: eventId, detail: { statementId: target.statementId, country: target.countryCode, doneOn: today } });
    return true;
  });
}

/**
 * Removes an entry logged by mistake (a reply logged on the wrong state, say): the
 * board's status is worked out from the entries, so a wrong one cannot be left in place.
 * The row goes; the audit log keeps what it said, who removed it and why. Coordinators
 * remove any entry; members those logged for their own organisation. False when there is
 * no such entry for this statement and state.
 */
export async function removeOutreachEvent(db: DB, user: SessionUser, ctx: ChangeContext, target: OutreachTarget, eventId: number, reason: string): Promise<boolean> {
  return atomically(db, async (trx) => {
    const event = await trx
      .selectFrom("outreach_events")
      .select(["id", "kind", "organisation_id", "happened_on", "due_on", "done_on", "correspondent", "summary", "attachment_filename", "created_by", "created_at"])
      .where("id", "=", eventId)
      .where("statement_id", "=", target.statementId)
      .where("country_code", "=", target.countryCode)
      .executeTakeFirst();
    if (!event) return false;
    if (!canActForOrganisation(user, event.organisation_id)) {
      throw new Forbidden("Members remove only entries logged for their own organisation; ask a coordinator.");
    }
    await trx.deleteFrom("outreach_events").where("id", "=", eventId).execute();
    await recordAudit(trx, { actor: ctx.actor, ip: ctx.ip, action: "outreach.event_removed", subjectType: "outreach_event", subjectId: eventId, detail: { statementId: target.statementId, country: target.countryCode, reason, event } });
    return true;
  });
}

/** An event's uploaded file, within its statement and state (an id typed into the address finds nothing elsewhere). */
export async function eventAttachment(db: DB, target: OutreachTarget, eventId: number) {
  const row = await db
    .selectFrom("outreach_events")
    .select(["attachment_filename", "attachment_type", "attachment"])
    .where("id", "=", eventId)
    .where("statement_id", "=", target.statementId)
    .where("country_code", "=", target.countryCode)
    .executeTakeFirst();
  if (!row?.attachment || !row.attachment_filename) return undefined;
  return { filename: row.attachment_filename, type: row.attachment_type ?? "application/octet-stream", content: row.attachment };
}
