// Sending letters, as a person does it: look at exactly what will go out (a plan), then
// confirm it. The plan's digest travels with the confirmation form, and the queueing
// re-plans and compares: if anything changed in between (an address, the letter, the
// mode), nothing is queued and the person is shown the new plan. What a person confirmed
// is stored whole in the dispatch row; the worker sends that and nothing else.
// Rules:
// - A letter goes To its country's addressees and Cc its copies (those with an email).
// - One dispatch per (letter, recipient set): a second send of the same letter to the
//   same people is refused while the first is queued, sending, sent or uncertain. A
//   failed or cancelled one may be sent again (the row is reused, so the key stays unique).
// - The letter must be current (not out of date) and its PDF ready: the attachment is
//   the PDF of the very version confirmed.
// - From: the platform address with Reply-To the organisation (LETTER_FROM=platform), or
//   the organisation's own address (LETTER_FROM=organisation).
// - Test messages go to the signed-in person only, marked as a test, and never count
//   as outreach.
import { randomUUID } from "node:crypto";
import type { MailMode } from "../../db/schema";
import { atomically, type DB } from "~/platform/db.server";
import { getTransport } from "~/platform/mail-transport.server";
import { Refused } from "~/platform/errors.server";
import type { SessionUser } from "~/platform/session.server";
import { type ChangeContext, recordAudit } from "./audit.server";
import { isLetterOutOfDate, requireLetter } from "./letter.server";
import { BLOCKING, DISPATCH_STATUS_WORDS, type LetterMessagePlan, planLetterMessage, sha256 } from "./letter-message-plan.server";
import { insertDispatches, newMessageId, type NewDispatch, wakeDispatchWorkers } from "./outbox/queue.server";
import { canActForOrganisation, organisationScope } from "./permissions.server";

/** A refusal with a message for the person (shown on the page, nothing stored): the state of things has moved on (409). */
export class SendRefused extends Refused {
  name = "SendRefused";
  readonly status = 409;
}

function rowFor(plan: LetterMessagePlan, user: SessionUser, bulkId: string | null): NewDispatch {
  return {
    dedupeKey: plan.dedupeKey,
    kind: "letter",
    letterId: plan.letterId,
    letterFingerprint: plan.fingerprint,
    statementId: plan.statementId,
    countryCode: plan.countryCode,
    organisationId: plan.organisationId,
    bulkId,
    mode: plan.mode,
    from: plan.from,
    replyTo: plan.replyTo,
    to: plan.to,
    cc: plan.cc,
    subject: plan.subject,
    html: plan.html,
    text: plan.text,
    attachmentFilename: plan.attachment.filename,
    queuedBy: user.id,
  };
}

/** Queues a row, or brings back a failed/cancelled one with the same key (fresh content, attempts from zero). Inside a transaction. */
async function queueRow(trx: DB, row: NewDispatch, userId: number): Promise<number> {
  const existing = await trx.selectFrom("dispatches").select(["id", "status"]).where("dedupe_key", "=", row.dedupeKey).executeTakeFirst();
  if (!existing) return (await insertDispatches(trx, [row]))[0];
  if (BLOCKING.includes(existing.status)) throw new SendRefused(`This letter to these recipients is already ${DISPATCH_STATUS_WORDS[existing.status]}.`);
  const now = new Date().toISOString();
  await trx
    .updateTable("dispatches")
    .set({
      status: "queued", attempts: 0, next_attempt_at: now, handed_at: null, last_error: null, smtp_response: null, mailbox_id: null, sent_at: null,
      letter_fingerprint: row.letterFingerprint, bulk_id: row.bulkId ?? null, mode: row.mode,
      from_json: JSON.stringify(row.from), reply_to_json: row.replyTo ? JSON.stringify(row.replyTo) : null,
      to_json: JSON.stringify(row.to), cc_json: JSON.stringify(row.cc), subject: row.subject, html: row.html, text: row.text,
      attachment_filename: row.attachmentFilename, message_id: newMessageId(row.messageIdDomain),
      queued_by: userId, queued_at: now, resolved_by: userId, resolved_at: now, updated_at: now,
    })
    .where("id", "=", existing.id)
    .execute();
  return existing.id;
}

/**
 * Queues the letter to its recipients, if the plan is still the one the person confirmed
 * (`digest`). Refusals (SendRefused) store nothing. Returns the dispatch id.
 */
export async function sendLetter(db: DB, user: SessionUser, ctx: ChangeContext, letterId: number, digest: string): Promise<number> {
  const id = await atomically(db, async (trx) => {
    const plan = await planLetterMessage(trx, user, letterId);
    if (plan.problems.length) throw new SendRefused(plan.problems.join(" "));
    if (plan.digest !== digest) throw new SendRefused("Something changed since you opened the confirmation (an address, the letter or the mail mode). Nothing was sent: check the details below again.");
    const dispatchId = await queueRow(trx, rowFor(plan, user, null), user.id);
    await recordAudit(trx, { actor: ctx.actor, ip: ctx.ip, action: "letter.sent", subjectType: "letter", subjectId: plan.letterId, detail: { dispatchId, mode: plan.mode, to: plan.to.map((a) => a.address), cc: plan.cc.map((a) => a.address) } });
    return dispatchId;
  });
  wakeDispatchWorkers();
  return id;
}

/** Queues the same message to the signed-in person only: "[Test]" in the subject, no copies. */
export async function sendTestMessage(db: DB, user: SessionUser, ctx: ChangeContext, letterId: number): Promise<number> {
  const id = await atomically(db, async (trx) => {
    const plan = await planLetterMessage(trx, user, letterId);
    if (plan.attachment.status !== "ready") throw new SendRefused("The PDF of this letter is still being prepared; try the test again in a moment.");
    const row: NewDispatch = {
      ...rowFor(plan, user, null),
      kind: "test",
      dedupeKey: `test:${plan.letterId}:${user.id}:${randomUUID()}`,
      to: [{ name: user.name, address: user.email }],
      cc: [],
      subject: `[Test] ${plan.subject}`,
    };
    const [dispatchId] = await insertDispatches(trx, [row]);
    await recordAudit(trx, { actor: ctx.actor, ip: ctx.ip, action: "letter.test_sent", subjectType: "letter", subjectId: plan.letterId, detail: { dispatchId, to: user.email } });
    return dispatchId;
  });
  wakeDispatchWorkers();
  return id;
}

/** Approves the letter as it is now; a regenerated letter needs approving again (the fingerprint moves on). */
export async function setLetterApproval(db: DB, user: SessionUser, ctx: ChangeContext, letterId: number, approve: boolean): Promise<void> {
  await atomically(db, async (trx) => {
    const letter = await requireLetter(trx, user, letterId, "Members approve only their own organisation's letters.");
    if (approve && (await isLetterOutOfDate(trx, letter)).outOfDate) throw new SendRefused("The letter is out of date: regenerate it and check it before approving.");
    await trx
      .updateTable("letters")
      .set(approve ? { approved_fingerprint: letter.fingerprint, approved_by: user.id, approved_at: new Date().toISOString() } : { approved_fingerprint: null, approved_by: null, approved_at: null })
      .where("id", "=", letter.id)
      .execute();
    await recordAudit(trx, { actor: ctx.actor, ip: ctx.ip, action: approve ? "letter.approved" : "letter.approval_withdrawn", subjectType: "letter", subjectId: letter.id });
  });
}

export interface BulkPlan {
  statementId: number;
  mode: MailMode;
  plans: LetterMessagePlan[];
  sendable: LetterMessagePlan[];
  digest: string;
}

/** Every letter of the statement that `user` approved (still current, and still theirs to send), each planned. */
export async function planBulkSend(db: DB, user: SessionUser, statementId: number): Promise<BulkPlan> {
  const only = organisationScope(user);
  let query = db
    .selectFrom("letters")
    .select("id")
    .where("statement_id", "=", statementId)
    .where("approved_by", "=", user.id)
    .whereRef("approved_fingerprint", "=", "fingerprint")
    .orderBy("country_code");
  if (only !== null) query = query.where("organisation_id", "=", only);
  const plans: LetterMessagePlan[] = [];
  for (const { id } of await query.execute()) plans.push(await planLetterMessage(db, user, id));
  // In one confirmation for many states, a state already contacted (or twice in the set),
  // or a letter to a bouncing address, is left out with its reason: sending it anyway is
  // a decision for its own page.
  const seen = new Set<string>();
  const checked = plans.map((p) => {
    const more: string[] = [];
    if (p.problems.length === 0 && p.earlier.length > 0) more.push(`${p.countryName} was already contacted for this statement (${p.earlier.join(" ")}) Send this letter from its own page if you mean to.`);
    if (p.problems.length === 0 && p.bouncing.length > 0) more.push(`Mail to ${p.bouncing.map((b) => b.address).join(", ")} bounces. Open the letter to put a fallback in their place, or send it from its own page if you mean to.`);
    if (p.problems.length === 0 && more.length === 0 && seen.has(p.countryCode)) more.push(`Another of your approved letters goes to ${p.countryName}; only the first is sent.`);
    if (p.problems.length === 0 && more.length === 0) seen.add(p.countryCode);
    return more.length ? { ...p, problems: [...p.problems, ...more] } : p;
  });
  const sendable = checked.filter((p) => p.problems.length === 0);
  return { statementId, mode: getTransport().mode, plans: checked, sendable, digest: sha256(sendable.map((p) => p.digest)) };
}

/** Queues every sendable approved letter at once, if the set is still the one confirmed. Returns the bulk id and how many. */
export async function sendBulk(db: DB, user: SessionUser, ctx: ChangeContext, statementId: number, digest: string): Promise<{ bulkId: string; queued: number }> {
  const result = await atomically(db, async (trx) => {
    const bulk = await planBulkSend(trx, user, statementId);
    if (bulk.sendable.length === 0) throw new SendRefused("None of your approved letters can be sent now.");
    if (bulk.digest !== digest) throw new SendRefused("Something changed since you opened the confirmation (a letter, an address or the mail mode). Nothing was sent: check the list again.");
    const bulkId = randomUUID();
    for (const plan of bulk.sendable) {
      if (!canActForOrganisation(user, plan.organisationId)) throw new SendRefused(`You cannot send ${plan.organisationName}'s letters.`);
      await queueRow(trx, rowFor(plan, user, bulkId), user.id);
    }
    await recordAudit(trx, { actor: ctx.actor, ip: ctx.ip, action: "letters.bulk_sent", subjectType: "statement", subjectId: statementId, detail: { bulkId, letters: bulk.sendable.map((p) => p.letterId), mode: bulk.mode } });
    return { bulkId, queued: bulk.sendable.length };
  });
  wakeDispatchWorkers();
  return result;
}
