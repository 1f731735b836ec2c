// The Mailbox as each person may see it (the rule: canReadMailboxMessage, in
// permissions.server.ts). Coordinators read everything (invitations,
// sign-on confirmations, every letter). A member reads only what their own
// organisation's letters and tests produced: the messages a dispatch of theirs points
// at (dispatches.mailbox_id). Anything else, even a message that does not exist, is a
// 403 for them, so the Mailbox's ids tell a member nothing about other organisations.
import type { DB } from "~/platform/db.server";
import { Forbidden } from "~/platform/errors.server";
import type { SessionUser } from "~/platform/session.server";
import { canReadMailboxMessage, organisationScope } from "~/models/permissions.server";
import { listMailbox, MAILBOX_PAGE_SIZE } from "./mailbox.server";

const ownMailboxIds = (db: DB, organisationId: number) =>
  db.selectFrom("dispatches").select("mailbox_id").where("organisation_id", "=", organisationId).where("mailbox_id", "is not", null);

/** One page of the Mailbox as `user` may see it, newest first (the same shape as listMailbox). */
export async function listMailboxFor(db: DB, user: SessionUser, { page = 1, perPage = MAILBOX_PAGE_SIZE } = {}) {
  const org = organisationScope(user);
  if (org === null) return listMailbox(db, { page, perPage });
  const { total } = await db.selectFrom("mailbox_messages").select((eb) => eb.fn.countAll<number>().as("total"))
    .where("id", "in", ownMailboxIds(db, org)).executeTakeFirstOrThrow();
  const pageCount = Math.max(1, Math.ceil(Number(total) / perPage));
  const current = Math.min(page, pageCount);
  const messages = await db
    .selectFrom("mailbox_messages as m")
    .select((eb) => [
      "m.id", "m.captured_at", "m.from_address", "m.to_addresses", "m.subject",
      eb.selectFrom("mailbox_attachments as a").whereRef("a.message_id", "=", "m.id").select((e) => e.fn.countAll<number>().as("n")).as("attachment_count"),
    ])
    .where("m.id", "in", ownMailboxIds(db, org))
    .orderBy("m.id", "desc")
    .limit(perPage)
    .offset((current - 1) * perPage)
    .execute();
  return { messages: messages.map((m) => ({ ...m, attachment_count: Number(m.attachment_count ?? 0) })), total: Number(total), page: current, pageCount };
}

/** Forbidden unless `user` may read message `id` (checked before looking the message up, so members learn nothing). */
export async function assertCanReadMailboxMessage(db: DB, user: SessionUser, id: number): Promise<void> {
  if (!(await canReadMailboxMessage(db, user, id))) throw new Forbidden("You can read only the messages your organisation sent.");
}
