// What people do with messages once queued: look at them, pause and resume a
// statement's sending, cancel what has not gone yet, and settle the messages the worker
// could not (an uncertain one: "it arrived" or "send it again"; a failed one is sent
// again from the letter's confirmation page, which re-plans it).
// Rights: coordinators act on every statement; members on their own organisation's
// messages only, and they cannot pause a whole statement (other members' letters).
import type { Dispatch, DispatchStatus, StoredAddress } from "../../../db/schema";
import { atomically, type DB } from "~/platform/db.server";
import { Forbidden, NotFound } from "~/platform/errors.server";
import { type SessionUser } from "~/platform/session.server";
import { wakeDispatchWorkers } from "~/models/outbox/queue.server";
import { type ChangeContext, recordAudit } from "~/models/audit.server";
import { SendRefused } from "~/models/letter-sending.server";
import { assertCoordinator, canActForOrganisation, organisationScope } from "~/models/permissions.server";

export interface DispatchFilters {
  statementId?: number;
  letterId?: number;
  bulkId?: string;
  status?: DispatchStatus;
  kind?: Dispatch["kind"];
  limit?: number;
}

/** Messages `user` may see (members: their organisation's), newest first, without the bodies. */
export async function listDispatches(db: DB, user: SessionUser, filters: DispatchFilters = {}) {
  let q = db
    .selectFrom("dispatches as d")
    // Left joins: the platform's notices have no state or organisation (coordinators see them).
    .leftJoin("countries as c", "c.code", "d.country_code")
    .leftJoin("organisations as o", "o.id", "d.organisation_id")
    .leftJoin("users as u", "u.id", "d.queued_by")
    .select([
      "d.id", "d.kind", "d.letter_id", "d.statement_id", "d.country_code", "d.organisation_id", "d.bulk_id", "d.status", "d.mode",
      "d.from_json", "d.reply_to_json", "d.to_json", "d.cc_json", "d.subject", "d.attachment_filename", "d.message_id", "d.attempts",
      "d.next_attempt_at", "d.last_error", "d.smtp_response", "d.mailbox_id", "d.queued_at", "d.sent_at", "d.updated_at",
      "d.delivery", "d.delivery_detail", "d.delivery_at",
      "c.name as country_name", "o.name as organisation_name", "u.name as queued_by_name",
    ])
    .orderBy("d.id", "desc")
    .limit(filters.limit ?? 500);
  const only = organisationScope(user);
  if (only !== null) q = q.where("d.organisation_id", "=", only);
  if (filters.statementId) q = q.where("d.statement_id", "=", filters.statementId);
  if (filters.letterId) q = q.where("d.letter_id", "=", filters.letterId);
  if (filters.bulkId) q = q.where("d.bulk_id", "=", filters.bulkId);
  if (filters.status) q = q.where("d.status", "=", filters.status);
  if (filters.kind) q = q.where("d.kind", "=", filters.kind);
  const rows = await q.execute();
  return rows.map((r) => ({
    ...r,
    from: JSON.parse(r.from_json) as StoredAddress,
    replyTo: r.reply_to_json ? (JSON.parse(r.reply_to_json) as StoredAddress) : null,
    to: JSON.parse(r.to_json) as StoredAddress[],
    cc: JSON.parse(r.cc_json) as StoredAddress[],
  }));
}
export type DispatchListing = Awaited<ReturnType<typeof listDispatches>>[number];

export async function isSendingPaused(db: DB, statementId: number): Promise<boolean> {
  return !!(await db.selectFrom("sending_pauses").select("statement_id").where("statement_id", "=", statementId).executeTakeFirst());
}

/** Stops the worker claiming this statement's messages; those already with the server finish. */
export async function pauseSending(db: DB, user: SessionUser, ctx: ChangeContext, statementId: number): Promise<void> {
  assertCoordinator(user, "pause a statement's sending");
  await atomically(db, async (trx) => {
    await trx.insertInto("sending_pauses").values({ statement_id: statementId, paused_by: user.id }).onConflict((oc) => oc.doNothing()).execute();
    await recordAudit(trx, { actor: ctx.actor, ip: ctx.ip, action: "sending.paused", subjectType: "statement", subjectId: statementId });
  });
}

export async function resumeSending(db: DB, user: SessionUser, ctx: ChangeContext, statementId: number): Promise<void> {
  assertCoordinator(user, "resume a statement's sending");
  await atomically(db, async (trx) => {
    await trx.deleteFrom("sending_pauses").where("statement_id", "=", statementId).execute();
    await recordAudit(trx, { actor: ctx.actor, ip: ctx.ip, action: "sending.resumed", subjectType: "statement", subjectId: statementId });
  });
  wakeDispatchWorkers();
}

/**
 * Cancels queued messages: one (`dispatchId`), or all of a statement's that `user` may
 * act for. Only 'queued' rows change, in one guarded UPDATE, so a message the worker has
 * already claimed is never reported cancelled. Returns how many were cancelled.
 */
export async function cancelQueued(db: DB, user: SessionUser, ctx: ChangeContext, target: { statementId: number } | { dispatchId: number }): Promise<number> {
  return atomically(db, async (trx) => {
    let q = trx.updateTable("dispatches").set({ status: "cancelled", updated_at: new Date().toISOString() }).where("status", "=", "queued");
    if ("dispatchId" in target) q = q.where("id", "=", target.dispatchId);
    else q = q.where("statement_id", "=", target.statementId);
    const only = organisationScope(user);
    if (only !== null) q = q.where("organisation_id", "=", only);
    const n = Number((await q.executeTakeFirst()).numUpdatedRows);
    await recordAudit(trx, { actor: ctx.actor, ip: ctx.ip, action: "sending.cancelled", subjectType: "dispatchId" in target ? "dispatch" : "statement", subjectId: "dispatchId" in target ? target.dispatchId : target.statementId, detail: { cancelled: n } });
    return n;
  });
}

async function ownDispatch(db: DB, user: SessionUser, id: number) {
  const row = await db.selectFrom("dispatches").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new NotFound("There is no such message.");
  // Notices (no organisation) are the platform's: coordinators only.
  if (!canActForOrganisation(user, row.organisation_id)) throw new Forbidden("Members act only on their own organisation's messages.");
  return row;
}

/**
 * Settles an uncertain message: `arrived` (the person checked: it was delivered) marks
 * it sent; `resend` queues it again with the same Message-ID, so a recipient's mail
 * system can still tell the two copies apart if both arrive.
 */
export async function resolveUncertain(db: DB, user: SessionUser, ctx: ChangeContext, id: number, outcome: "arrived" | "resend"): Promise<void> {
  await atomically(db, async (trx) => {
    const row = await ownDispatch(trx, user, id);
    if (row.status !== "uncertain") throw new SendRefused(`This message is ${row.status}, not uncertain; nothing was changed.`);
    const now = new Date().toISOString();
    await trx
      .updateTable("dispatches")
      .set(outcome === "arrived"
        ? { status: "sent", sent_at: row.handed_at ?? now, last_error: null, resolved_by: user.id, resolved_at: now, updated_at: now }
        : { status: "queued", handed_at: null, attempts: 0, next_attempt_at: now, resolved_by: user.id, resolved_at: now, updated_at: now })
      .where("id", "=", id)
      .where("status", "=", "uncertain")
      .execute();
    await recordAudit(trx, { actor: ctx.actor, ip: ctx.ip, action: outcome === "arrived" ? "dispatch.confirmed_arrived" : "dispatch.resent", subjectType: "dispatch", subjectId: id });
  });
  if (outcome === "resend") wakeDispatchWorkers();
}

// The letter's own status, in words, comes from its messages (letters.status stays
// "draft": a letter is a document; whether it went out is the dispatches' business).
const LETTER_PRECEDENCE: DispatchStatus[] = ["sent", "uncertain", "sending", "queued", "failed", "cancelled"];

/** For each letter id: its most telling message status (sent beats everything) and when. Letters never sent are absent. */
export async function sendingStatusByLetter(db: DB, letterIds: number[]): Promise<Map<number, { status: DispatchStatus; at: string }>> {
  const out = new Map<number, { status: DispatchStatus; at: string }>();
  if (letterIds.length === 0) return out;
  const rows = await db
    .selectFrom("dispatches")
    .select(["letter_id", "status", "sent_at", "updated_at"])
    .where("kind", "=", "letter")
    .where("letter_id", "in", letterIds)
    .execute();
  for (const r of rows) {
    const current = out.get(r.letter_id!);
    if (!current || LETTER_PRECEDENCE.indexOf(r.status) < LETTER_PRECEDENCE.indexOf(current.status)) {
      out.set(r.letter_id!, { status: r.status, at: r.sent_at ?? r.updated_at });
    }
  }
  return out;
}

/** "draft", "approved", or what happened to its message: "sent 2026-11-23", "queued"... */
export function letterStatusWords(sending: { status: DispatchStatus; at: string } | undefined, approved: boolean): string {
  if (!sending || sending.status === "cancelled") return approved ? "approved" : "draft";
  if (sending.status === "sent") return `sent ${sending.at.slice(0, 10)}`;
  return sending.status === "uncertain" ? "uncertain (check the message below)" : sending.status === "sending" ? "being sent" : sending.status;
}
