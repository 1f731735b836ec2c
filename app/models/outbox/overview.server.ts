// What the sending pages show around the lead's sending models: a letter's messages and
// approval, the outbox's counts and statements, and the small acts a person does on one
// message (cancel, "it arrived", "send it again"). No rule lives here that the models
// already hold: rights and state changes go through dispatch.server.ts.
import { sql } from "kysely";
import type { DispatchDelivery, DispatchStatus, Letter } from "../../../db/schema";
import type { DB } from "~/platform/db.server";
import type { SessionUser } from "~/platform/session.server";
import { cancelQueued, isSendingPaused, listDispatches, resolveUncertain, type DispatchListing } from "./messages.server";
import { dispatchCounts } from "./queue.server";
import { DISPATCH_STATUS_WORDS } from "~/models/letter-message-plan.server";
import { SendRefused } from "~/models/letter-sending.server";
import { organisationScope } from "~/models/permissions.server";
import { letterPdfRow, queueLetterPdf } from "~/models/letter-pdf-job.server";
import { timeInWords } from "~/lib/time-in-words";
import type { ChangeContext } from "~/models/audit.server";

export type StatusCounts = Record<DispatchStatus, number>;

/** Times as people read them: "14 Jan 2025, 10:02 UTC", or "" for none (the same words as the outreach timeline). */
export const when = (iso: string | null) => (iso ? timeInWords(iso) : "");

/** A message as the pages show it: words for the status, times formatted, no bodies. */
const DELIVERY_WORDS: Record<DispatchDelivery, string> = {
  delivered: "delivered (the recipient's server confirmed it)",
  delayed: "delayed (the recipient's server is still trying)",
  "soft-bounced": "bounced for now (a temporary refusal)",
  bounced: "bounced (the address refused it)",
};

export function describeDispatch(d: DispatchListing) {
  return {
    id: d.id, kind: d.kind, letterId: d.letter_id, statementId: d.statement_id, country: d.country_name ?? "(platform mail)", countryCode: d.country_code, organisation: d.organisation_name ?? "Demarche",
    status: d.status, statusWords: DISPATCH_STATUS_WORDS[d.status], mode: d.mode, subject: d.subject,
    from: d.from, replyTo: d.replyTo, to: d.to, cc: d.cc, attachment: d.attachment_filename, messageId: d.message_id,
    attempts: d.attempts, lastError: d.last_error, smtpResponse: d.smtp_response, mailboxId: d.mailbox_id,
    queuedBy: d.queued_by_name, queuedAt: when(d.queued_at), sentAt: when(d.sent_at), updatedAt: when(d.updated_at),
    nextAttemptAt: d.status === "queued" && d.attempts > 0 ? when(d.next_attempt_at) : "",
    // What came back (issue 12): the relay's report or a bounce, with the reason.
    delivery: d.delivery ? { words: DELIVERY_WORDS[d.delivery], detail: d.delivery_detail, at: when(d.delivery_at), bad: d.delivery === "bounced" || d.delivery === "soft-bounced" } : null,
  };
}
export type DispatchView = ReturnType<typeof describeDispatch>;

/** The letter's messages (tests included) and its approval, for the letter page. */
export async function letterSendingState(db: DB, user: SessionUser, letter: Letter) {
  const [dispatches, approver, paused] = await Promise.all([
    listDispatches(db, user, { letterId: letter.id, limit: 50 }),
    letter.approved_by ? db.selectFrom("users").select("name").where("id", "=", letter.approved_by).executeTakeFirst() : undefined,
    isSendingPaused(db, letter.statement_id),
  ]);
  const approvalCurrent = letter.approved_fingerprint !== null && letter.approved_fingerprint === letter.fingerprint;
  return {
    dispatches: dispatches.map(describeDispatch),
    paused,
    approval: {
      current: approvalCurrent,
      // Approved once, then regenerated: the approval belonged to the old text.
      lapsed: letter.approved_fingerprint !== null && !approvalCurrent,
      by: approver?.name ?? null,
      at: when(letter.approved_at),
    },
  };
}

/**
 * Counts by status of the letters' messages `user` may see. Coordinators: the queue's
 * own counts. Members: only their organisation's, so a member's progress bar is about
 * their letters, not the whole coalition's.
 */
export async function visibleCounts(db: DB, user: SessionUser, where: { statementId?: number; bulkId?: string }): Promise<StatusCounts> {
  const only = organisationScope(user);
  return dispatchCounts(db, only === null ? where : { ...where, organisationId: only });
}

/** Statements with messages `user` may see, each with whether its sending is paused and how many of the user's are still queued. */
export async function outboxStatements(db: DB, user: SessionUser) {
  let q = db.selectFrom("dispatches as d").innerJoin("statements as s", "s.id", "d.statement_id")
    .leftJoin("sending_pauses as p", "p.statement_id", "d.statement_id")
    .select(["s.id", "s.title", "s.slug", sql<number>`sum(d.status = 'queued')`.as("queued"), sql<number>`p.statement_id is not null`.as("paused")])
    .groupBy("s.id").orderBy("s.id", "desc");
  const only = organisationScope(user);
  if (only !== null) q = q.where("d.organisation_id", "=", only);
  return (await q.execute()).map((s) => ({ id: s.id, title: s.title, slug: s.slug, queued: Number(s.queued), paused: Boolean(s.paused) }));
}

export type DispatchAct = { intent: "cancel" | "arrived" | "resend"; dispatchId: number; confirm?: string };

/** One person's act on one message. Returns what happened, for the page's flash. */
export async function actOnDispatch(db: DB, user: SessionUser, ctx: ChangeContext, act: DispatchAct): Promise<"cancelled" | "not-cancelled" | "arrived" | "resent"> {
  if (act.intent === "cancel") {
    // A message the worker has already claimed is not cancelled; say so rather than pretend.
    return (await cancelQueued(db, user, ctx, { dispatchId: act.dispatchId })) > 0 ? "cancelled" : "not-cancelled";
  }
  // Sending again may reach the ministry twice: the person ticks that they checked.
  if (act.intent === "resend" && act.confirm !== "yes") throw new SendRefused("Nothing was sent. To send it again, tick the box saying you checked that the first message did not arrive.");
  await resolveUncertain(db, user, ctx, act.dispatchId, act.intent);
  return act.intent === "arrived" ? "arrived" : "resent";
}

/** True while anything the user can see is still waiting or on its way: the progress page keeps refreshing. */
export const workPending = (counts: StatusCounts) => counts.queued + counts.sending > 0;

/**
 * The confirmation page waits for the letter's PDF. The plan only reads the PDF row, so
 * a letter without a row for its current version (saved before PDFs existed, or a row
 * gone missing) would wait forever: queue it. An out-of-date letter is not queued; it
 * must be regenerated first, and that queues its PDF.
 */
export async function ensurePdfQueued(db: DB, letter: Letter, outOfDate: boolean): Promise<void> {
  if (outOfDate) return;
  const row = await letterPdfRow(db, letter.id);
  if (!row || row.fingerprint !== letter.fingerprint) await queueLetterPdf(db, letter);
}
