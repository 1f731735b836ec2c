// A reply that came by mail, attached to the (statement, state) it is about: either
// because it cites one of our letters (the mailbox reader, nobody typing), or because a
// coordinator attached it from the unmatched queue. It becomes an outreach event like a
// reply logged by hand, so the board, the map and the API say "replied" from one record.
import type { DB } from "~/platform/db.server";
import type { ChangeContext } from "../audit.server";
import { logMailedReply, type OutreachTarget } from "../outreach-events.server";

export interface ReplyMessage {
  id: number;
  from_address: string | null;
  from_name: string | null;
  subject: string;
  sent_at: string | null;
  received_at: string;
  text_body: string | null;
}

/** "Name <address>", the address alone, or null. */
export function correspondentOf(m: Pick<ReplyMessage, "from_address" | "from_name">): string | null {
  if (m.from_name && m.from_address) return `${m.from_name} <${m.from_address}>`;
  return m.from_address ?? m.from_name ?? null;
}

/** The reply's outreach event (kind reply, naming the message), written in the caller's transaction. */
export function attachReply(db: DB, ctx: ChangeContext, message: ReplyMessage, target: OutreachTarget, organisationId: number | null): Promise<number> {
  return logMailedReply(db, ctx, target, {
    inboundMessageId: message.id,
    organisationId,
    happenedOn: (message.sent_at ?? message.received_at).slice(0, 10),
    correspondent: correspondentOf(message),
    subject: message.subject,
    text: message.text_body,
  });
}

/** What the sending organisation's notice needs: where to write, and the names to say. */
export async function replyNoticeFacts(db: DB, target: OutreachTarget, organisationId: number) {
  const [organisation, statement, country] = await Promise.all([
    db.selectFrom("organisations").select(["name", "contact_email"]).where("id", "=", organisationId).executeTakeFirst(),
    db.selectFrom("statements").select(["slug", "title"]).where("id", "=", target.statementId).executeTakeFirst(),
    db.selectFrom("countries").select("name").where("code", "=", target.countryCode).executeTakeFirst(),
  ]);
  if (!organisation || !statement) return null;
  return { organisationName: organisation.name, contactEmail: organisation.contact_email, statement, countryName: country?.name ?? target.countryCode };
}
