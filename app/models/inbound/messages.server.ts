// Mail that came back, as people read it: the unmatched queue (mail that named none of
// our messages, or replies to none we know), one message with its text and attachments,
// and what a coordinator does with queued mail: attach it to a (statement, state), where
// it counts as that state's reply, or discard it. Both are audited and happen once.
import { simpleParser } from "mailparser";
import type { InboundAttachment } from "../../../db/schema";
import { atomically, type DB } from "~/platform/db.server";
import { FieldInputError, NotFound, Refused } from "~/platform/errors.server";
import type { SessionUser } from "~/platform/session.server";
import type { AttachInboundInput } from "~/schemas/inbound.server";
import { type ChangeContext, recordAudit } from "../audit.server";
import { assertCoordinator, canReadInboundMessage } from "../permissions.server";
import { listedAttachments } from "./classify.server";
import { attachReply } from "./replies.server";

export { attachInboundSchema, discardInboundSchema } from "~/schemas/inbound.server";

/** Waiting for a coordinator: matched nothing, or a reply to a message we do not know. */
const queued = (db: DB) =>
  db.selectFrom("inbound_messages").where("resolution", "is", null).where((eb) => eb.or([eb("kind", "=", "unmatched"), eb.and([eb("kind", "=", "reply"), eb("dispatch_id", "is", null)])]));

export async function unmatchedQueue(db: DB, user: SessionUser, { limit = 50, offset = 0 } = {}) {
  assertCoordinator(user, "see the mail that matched no letter");
  const [rows, total] = await Promise.all([
    queued(db)
      .select(["id", "received_at", "from_address", "from_name", "subject", "kind", "sent_at"])
      .select((eb) => eb.fn<string>("substr", ["text_body", eb.val(1), eb.val(300)]).as("excerpt"))
      .orderBy("received_at", "desc").orderBy("id", "desc").limit(limit).offset(offset).execute(),
    queued(db).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

/** One message, for a person allowed to read it (NotFound for the others: its existence is not theirs to know). */
export async function readInboundMessage(db: DB, user: SessionUser, id: number) {
  const message = await db
    .selectFrom("inbound_messages as m")
    .leftJoin("statements as s", "s.id", "m.statement_id")
    .leftJoin("countries as c", "c.code", "m.country_code")
    .leftJoin("users as u", "u.id", "m.resolved_by")
    .select(["m.id", "m.received_at", "m.mailbox", "m.message_id", "m.from_address", "m.from_name", "m.subject", "m.sent_at", "m.kind", "m.severity", "m.status_code",
      "m.diagnostic", "m.recipient", "m.text_body", "m.attachments_json", "m.raw_truncated", "m.statement_id", "m.country_code", "m.resolution", "m.resolved_at", "m.dispatch_id",
      "s.slug as statement_slug", "s.title as statement_title", "c.name as country_name", "u.name as resolved_by_name"])
    .where("m.id", "=", id)
    .executeTakeFirst();
  if (!message || !canReadInboundMessage(user, message)) throw new NotFound("There is no such message.");
  const waiting = message.resolution === null && (message.kind === "unmatched" || (message.kind === "reply" && message.dispatch_id === null));
  return { ...message, waiting, attachments: JSON.parse(message.attachments_json) as InboundAttachment[] };
}

/** The `index`-th attachment's bytes, parsed from the stored message (within its size limit). */
export async function inboundAttachment(db: DB, user: SessionUser, id: number, index: number) {
  const message = await readInboundMessage(db, user, id);
  const listed = message.attachments[index];
  if (!listed) throw new NotFound("There is no such attachment.");
  const row = await db.selectFrom("inbound_messages").select("raw").where("id", "=", id).executeTakeFirstOrThrow();
  const parts = listedAttachments(await simpleParser(row.raw, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true }));
  const part = parts[index];
  if (!part) throw new NotFound("This attachment was cut off: the message was larger than the size kept.");
  return { filename: listed.filename, contentType: listed.contentType, content: part.content };
}

async function unresolved(db: DB, id: number) {
  const row = await queued(db).selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) {
    const exists = await db.selectFrom("inbound_messages").select("resolution").where("id", "=", id).executeTakeFirst();
    if (!exists) throw new NotFound("There is no such message.");
    throw new Refused(exists.resolution ? `This message was already ${exists.resolution}.` : "This message is already matched to a letter.");
  }
  return row;
}

/** Attaches queued mail to a (statement, state): it becomes that state's reply, by the coordinator's hand. */
export async function attachInbound(db: DB, user: SessionUser, ctx: ChangeContext, id: number, input: AttachInboundInput): Promise<{ slug: string; countryCode: string }> {
  assertCoordinator(user, "attach mail to a state");
  return atomically(db, async (trx) => {
    const message = await unresolved(trx, id);
    const statement = await trx.selectFrom("statements").select(["id", "slug"]).where("id", "=", input.statementId).executeTakeFirst();
    if (!statement) throw new FieldInputError({ statementId: ["There is no such statement. Choose one from the list."] });
    const country = await trx.selectFrom("countries").select("code").where("code", "=", input.countryCode).executeTakeFirst();
    if (!country) throw new FieldInputError({ countryCode: ["There is no such state. Choose one from the list."] });
    const at = new Date().toISOString();
    await trx.updateTable("inbound_messages").set({ resolution: "attached", resolved_by: user.id, resolved_at: at, statement_id: statement.id, country_code: country.code }).where("id", "=", id).execute();
    await attachReply(trx, ctx, message, { statementId: statement.id, countryCode: country.code }, null);
    await recordAudit(trx, { actor: ctx.actor, ip: ctx.ip, action: "inbound.attached", subjectType: "inbound_message", subjectId: id, detail: { statementId: statement.id, country: country.code, from: message.from_address, subject: message.subject } });
    return { slug: statement.slug, countryCode: country.code };
  });
}

/** Discards queued mail (spam, a stranger's): kept, out of the queue, with who and why in the audit log. */
export async function discardInbound(db: DB, user: SessionUser, ctx: ChangeContext, id: number, reason: string | undefined): Promise<void> {
  assertCoordinator(user, "discard mail");
  await atomically(db, async (trx) => {
    const message = await unresolved(trx, id);
    await trx.updateTable("inbound_messages").set({ resolution: "discarded", resolved_by: user.id, resolved_at: new Date().toISOString() }).where("id", "=", id).execute();
    await recordAudit(trx, { actor: ctx.actor, ip: ctx.ip, action: "inbound.discarded", subjectType: "inbound_message", subjectId: id, detail: { from: message.from_address, subject: message.subject, reason: reason ?? null } });
  });
}
