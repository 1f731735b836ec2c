// One state's story for one statement, newest first: the letters written to it, the
// messages that carried them (with what the mail server said), and the events logged
// since. Test messages are left out: they went to the sender, not to the state.
import type { DispatchDelivery, DispatchStatus, OutreachEventKind } from "../../db/schema";
import type { DB } from "~/platform/db.server";
import { eventInWords } from "./outreach-records.server";

export type TimelineItem =
  | { type: "letter"; on: string; id: number; organisation: string; subject: string; letterDate: string }
  | {
      type: "dispatch"; on: string; id: number; letterId: number | null; organisation: string; status: DispatchStatus; attempts: number;
      lastError: string | null; messageId: string; queuedAt: string; sentAt: string | null; subject: string;
      delivery: DispatchDelivery | null; deliveryDetail: string | null; deliveryAt: string | null;
    }
  | { type: "auto-reply"; on: string; id: number; from: string | null; subject: string }
  | {
      type: "event"; on: string; id: number; kind: OutreachEventKind; words: string; correspondent: string | null; summary: string; body: string | null;
      dueOn: string | null; doneOn: string | null; organisation: string | null; loggedBy: string | null;
      attachment: { filename: string; type: string; size: number } | null;
      /** The message a reply was read from, when it came by mail. */
      inboundMessageId: number | null;
    };

const ORDER = { event: 0, "auto-reply": 1, dispatch: 2, letter: 3 } as const;

export async function outreachTimeline(db: DB, statementId: number, countryCode: string): Promise<TimelineItem[]> {
  const [letters, dispatches, events, autoReplies] = await Promise.all([
    db
      .selectFrom("letters as l")
      .innerJoin("organisations as o", "o.id", "l.organisation_id")
      .select(["l.id", "l.rendered_subject", "l.letter_date", "l.created_at", "o.name as organisation"])
      .where("l.statement_id", "=", statementId)
      .where("l.country_code", "=", countryCode)
      .execute(),
    db
      .selectFrom("dispatches as d")
      .innerJoin("organisations as o", "o.id", "d.organisation_id")
      .select(["d.id", "d.letter_id", "d.status", "d.attempts", "d.last_error", "d.message_id", "d.queued_at", "d.sent_at", "d.subject", "d.delivery", "d.delivery_detail", "d.delivery_at", "o.name as organisation"])
      .where("d.statement_id", "=", statementId)
      .where("d.country_code", "=", countryCode)
      .where("d.kind", "=", "letter")
      .execute(),
    db
      .selectFrom("outreach_events as e")
      .leftJoin("organisations as o", "o.id", "e.organisation_id")
      .leftJoin("users as u", "u.id", "e.created_by")
      .select(["e.id", "e.kind", "e.happened_on", "e.due_on", "e.done_on", "e.correspondent", "e.summary", "e.body", "e.attachment_filename", "e.attachment_type", "e.inbound_message_id", "o.name as organisation", "u.name as logged_by"])
      // The file's size, not the file: a page lists many events.
      .select((eb) => eb.fn<number | null>("length", ["e.attachment"]).as("attachment_size"))
      .where("e.statement_id", "=", statementId)
      .where("e.country_code", "=", countryCode)
      .execute(),
    // Out-of-office answers are shown, never counted as replies.
    db
      .selectFrom("inbound_messages")
      .select(["id", "from_address", "subject", "sent_at", "received_at"])
      .where("statement_id", "=", statementId)
      .where("country_code", "=", countryCode)
      .where("kind", "=", "auto-reply")
      .execute(),
  ]);
  const items: TimelineItem[] = [
    ...letters.map((l) => ({ type: "letter" as const, on: l.letter_date, id: l.id, organisation: l.organisation, subject: l.rendered_subject, letterDate: l.letter_date })),
    ...dispatches.map((d) => ({
      type: "dispatch" as const, on: d.sent_at ?? d.queued_at, id: d.id, letterId: d.letter_id, organisation: d.organisation, status: d.status, attempts: d.attempts,
      lastError: d.last_error, messageId: d.message_id, queuedAt: d.queued_at, sentAt: d.sent_at, subject: d.subject,
      delivery: d.delivery, deliveryDetail: d.delivery_detail, deliveryAt: d.delivery_at,
    })),
    ...autoReplies.map((m) => ({ type: "auto-reply" as const, on: m.sent_at ?? m.received_at, id: m.id, from: m.from_address, subject: m.subject })),
    ...events.map((e) => ({
      type: "event" as const, on: e.happened_on, id: e.id, kind: e.kind, words: eventInWords(e), correspondent: e.correspondent, summary: e.summary, body: e.body,
      dueOn: e.due_on, doneOn: e.done_on, organisation: e.organisation, loggedBy: e.logged_by,
      attachment: e.attachment_filename ? { filename: e.attachment_filename, type: e.attachment_type ?? "application/octet-stream", size: Number(e.attachment_size ?? 0) } : null,
      inboundMessageId: e.inbound_message_id,
    })),
  ];
  // Days compare as text; a timestamp sorts after its own day's date, which is fine:
  // a message sent on the day of a logged event is shown with it.
  return items.sort((a, b) => (a.on.slice(0, 10) !== b.on.slice(0, 10) ? (a.on < b.on ? 1 : -1) : ORDER[a.type] - ORDER[b.type] || b.id - a.id));
}
