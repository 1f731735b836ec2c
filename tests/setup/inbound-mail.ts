// Mail that comes back, as bytes, for the inbound tests: a delivery status report about
// one of our messages (by its VERP token), and a stranger's plain message.
import type { DB } from "~/platform/db.server";
import type { insertDispatches as InsertDispatches } from "~/models/outbox/queue.server";

export const crlf = (s: string) => Buffer.from(s.replace(/\r?\n/g, "\r\n"));

export const bounceFor = (token: string, status: string, messageId: string) => crlf(`From: MAILER-DAEMON@relay.example
To: bounces+${token}@coalition.example
Subject: Undelivered Mail Returned to Sender
Message-ID: ${messageId}
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

Delivery failed.

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; relay.example

Final-Recipient: rfc822; minister@mfa.example
Action: ${status.startsWith("4") ? "delayed" : "failed"}
Status: ${status}
Diagnostic-Code: smtp; ${status.startsWith("5") ? "550 5.1.1 User unknown" : "451 4.4.7 try later"}

--B--
`);

export const plainMail = (messageId: string, subject: string, extra = "") => crlf(`From: Someone <someone@elsewhere.example>
To: demarche@coalition.example
Subject: ${subject}
Message-ID: ${messageId}
Date: Tue, 08 Dec 2026 09:00:00 +0000
${extra.trim() ? `${extra.trim()}\n` : ""}
Just a message.
`);

/** A sent notice (no statement), as a bounce would be about. */
export async function noticeDispatch(db: DB, insertDispatches: typeof InsertDispatches, dedupeKey: string) {
  const [id] = await insertDispatches(db, [{
    dedupeKey, kind: "notice", letterId: null, letterFingerprint: null, statementId: null, countryCode: null, organisationId: null,
    mode: "smtp", from: { name: "Demarche", address: "demarche@coalition.example" }, replyTo: null,
    to: [{ name: "Ministry", address: "minister@mfa.example" }], cc: [], subject: "Letter", html: "<p>Letter</p>", text: "Letter",
    attachmentFilename: null, queuedBy: null, messageIdDomain: "coalition.example",
  }]);
  await db.updateTable("dispatches").set({ status: "sent", handed_at: new Date().toISOString() }).where("id", "=", id).execute();
  return db.selectFrom("dispatches").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

/**
 * The mail exchanger of our bounce and reply domains, for tests: a real SMTP server
 * (smtp-server on 127.0.0.1) that delivers every message it accepts into the IMAP
 * mailbox by APPEND, with Delivered-To set as a delivery agent does.
 */
export async function startMailExchanger(imap: { append(raw: Buffer): Promise<number> }) {
  const { startTestSmtp } = await import("./smtp");
  return startTestSmtp({
    onData: async (raw, envelope) => {
      for (const rcpt of envelope.to) await imap.append(Buffer.concat([Buffer.from(`Delivered-To: ${rcpt}\r\n`), raw]));
    },
  });
}

/** Sends `raw` as it is over SMTP to `port` on 127.0.0.1, from the null sender (as a bounce is) unless told. */
export async function sendRaw(port: number, raw: Buffer, to: string[], from = ""): Promise<void> {
  const nodemailer = await import("nodemailer");
  const transport = nodemailer.createTransport({ host: "127.0.0.1", port, secure: false, ignoreTLS: true });
  try {
    await transport.sendMail({ envelope: { from, to }, raw });
  } finally {
    transport.close();
  }
}
