// Handing one message to the mail transport, for the sending worker: over SMTP it goes
// to the relay; in the sandbox its bytes are kept in the Mailbox. The only caller that
// sends is the worker (dispatch-worker.server.ts); models write outbox rows instead.
import { captureTransmitted } from "~/models/outbox/mailbox.server";
import type { DB } from "~/platform/db.server";
import { transmit, type MailTransport, type OutgoingMail } from "~/platform/mail-transport.server";

export interface Delivered {
  messageId: string;
  mode: "sandbox" | "smtp";
  /** What the server said when it took the message, or null in sandbox mode. */
  response: string | null;
  /** The Mailbox row, in sandbox mode. */
  mailboxId?: number;
}

/** Sends `mail` over `transport`. Throws what the transport threw. */
export async function deliver(db: DB, transport: MailTransport, mail: OutgoingMail): Promise<Delivered> {
  const sent = await transmit(transport, mail);
  if (sent.mode === "smtp") return { messageId: sent.messageId, mode: "smtp", response: sent.response };
  const { mailboxId } = await captureTransmitted(db, sent);
  return { messageId: sent.messageId, mode: "sandbox", mailboxId, response: null };
}
