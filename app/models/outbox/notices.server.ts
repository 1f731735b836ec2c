// The platform's own mail (invitations, sign-on links, decisions). In sandbox mode it is
// captured in the Mailbox at once, in the caller's transaction when there is one. With
// SMTP it is queued as a notice row in the caller's transaction, and the worker sends it
// with the same retries and crash safety as letters: a slow or failing relay no longer
// holds up (or fails) the request. A malformed address is still refused here, at once.
import { randomUUID } from "node:crypto";
import type { DB } from "~/platform/db.server";
import { EmailTemplateError } from "~/platform/handlebars.server";
import { buildMessage, getTransport, MailAddressError, transmit, type OutgoingMail } from "~/platform/mail-transport.server";
import { captureTransmitted } from "./mailbox.server";
import { insertDispatches, newMessageId, wakeDispatchWorkers } from "./queue.server";

export interface SendResult {
  messageId: string;
  mode: "sandbox" | "smtp";
  /** The Mailbox row, in sandbox mode. */
  mailboxId?: number;
}

export async function sendMail(db: DB, mail: OutgoingMail): Promise<SendResult> {
  const transport = getTransport();
  if (transport.mode === "sandbox") {
    const captured = await captureTransmitted(db, await transmit(transport, mail));
    return { messageId: captured.messageId, mode: "sandbox", mailboxId: captured.mailboxId };
  }
  const message = buildMessage(mail);
  if (message.attachments.length > 0) throw new MailAddressError("Notices carry no attachments; letters go through their own sending.");
  const messageId = newMessageId();
  await insertDispatches(db, [{
    dedupeKey: `notice:${randomUUID()}`, kind: "notice", letterId: null, letterFingerprint: null,
    statementId: null, countryCode: null, organisationId: null, mode: "smtp",
    from: message.from, replyTo: message.replyTo ?? null, to: message.to, cc: message.cc,
    subject: message.subject, html: message.html, text: message.text, attachmentFilename: null,
    queuedBy: null, messageId,
  }]);
  wakeDispatchWorkers();
  return { messageId, mode: "smtp" };
}

/**
 * Whether `error` means this message can never be sent as it stands (an address that is
 * not one, a template that does not render): the caller rolls back what the message was
 * about and says so. Anything else (the database) is not the message's fault.
 */
export function isUnsendable(error: unknown): boolean {
  return error instanceof MailAddressError || error instanceof EmailTemplateError;
}
