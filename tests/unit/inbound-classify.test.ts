// What came back, and which message it is about: delivery status reports (RFC 3464) of
// each kind, a non-standard bounce, auto-replies, replies by reference and to the reply
// address, a stranger's mail, and hostile headers. Real mailparser over real bytes.
import { describe, expect, it } from "vitest";
import { classifyInbound } from "~/models/inbound/classify.server";

const TOKEN = "0b6f3c1e-1d2a-4c3b-9e8f-0123456789ab";
const OURS = `<dispatch.${TOKEN}@coalition.example>`;
const crlf = (s: string) => Buffer.from(s.replace(/\r?\n/g, "\r\n"));

function report({ to = `bounces+${TOKEN}@coalition.example`, action, status, diagnostic = "", envid = "", quoted = "" }: { to?: string; action: string; status: string; diagnostic?: string; envid?: string; quoted?: string }) {
  return crlf(`From: MAILER-DAEMON@relay.example
To: ${to}
Subject: Delivery Status Notification
Message-ID: <report-1@relay.example>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

Your message could not be delivered, or was, as the report below says.

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; relay.example
${envid ? `Original-Envelope-Id: ${envid}\n` : ""}
Final-Recipient: rfc822; minister@mfa.example
Action: ${action}
Status: ${status}
${diagnostic ? `Diagnostic-Code: smtp; ${diagnostic}\n` : ""}
--B
Content-Type: text/rfc822-headers

From: demarche@coalition.example
To: minister@mfa.example
Subject: Letter
Message-ID: ${quoted || "<someone-else@elsewhere.example>"}

--B--
`);
}

describe("delivery status reports", () => {
  it("a hard bounce to our VERP address: the message, 5.1.1, the diagnostic and the recipient", async () => {
    const { classified } = await classifyInbound(report({ action: "failed", status: "5.1.1", diagnostic: "550 5.1.1 <minister@mfa.example>: Recipient address rejected: User unknown" }));
    expect(classified).toEqual({ kind: "bounce", token: TOKEN, severity: "hard", status: "5.1.1", diagnostic: "550 5.1.1 <minister@mfa.example>: Recipient address rejected: User unknown", recipient: "minister@mfa.example" });
  });

  it("a soft bounce matched by the envelope id alone, and one by the quoted Message-ID alone", async () => {
    const byEnvid = await classifyInbound(report({ to: "someone@coalition.example", action: "failed", status: "4.2.2", diagnostic: "452 4.2.2 Mailbox full", envid: TOKEN }));
    expect(byEnvid.classified).toMatchObject({ kind: "bounce", token: TOKEN, severity: "soft", status: "4.2.2" });
    const byQuote = await classifyInbound(report({ to: "someone@coalition.example", action: "failed", status: "5.7.1", quoted: OURS }));
    expect(byQuote.classified).toMatchObject({ kind: "bounce", token: TOKEN, severity: "hard" });
  });

  it("delivered and delayed notifications", async () => {
    expect((await classifyInbound(report({ action: "delivered", status: "2.0.0" }))).classified).toEqual({ kind: "delivered", token: TOKEN, recipient: "minister@mfa.example" });
    expect((await classifyInbound(report({ action: "delayed", status: "4.4.7" }))).classified).toEqual({ kind: "delayed", token: TOKEN, recipient: "minister@mfa.example" });
  });
});

it("reads a non-standard bounce (a mailer daemon's prose quoting our headers)", async () => {
  const raw = crlf(`From: MAILER-DAEMON@mx.mfa.example
To: demarche@coalition.example
Subject: failure notice
Message-ID: <bounce-2@mx.mfa.example>

Hi. This is the qmail-send program at mx.mfa.example.
I'm afraid I wasn't able to deliver your message to the following addresses.

<minister@mfa.example>:
550 5.1.1 sorry, no mailbox here by that name

--- Below this line is a copy of the message.

Message-ID: ${OURS}
Subject: Letter
`);
  expect((await classifyInbound(raw)).classified).toMatchObject({ kind: "bounce", token: TOKEN, severity: "hard", status: "5.1.1", diagnostic: "550 5.1.1 sorry, no mailbox here by that name" });
});

describe("auto-replies are never replies", () => {
  it("Auto-Submitted, even citing our message", async () => {
    const raw = crlf(`From: minister@mfa.example\nTo: advocacy@nhc.example\nSubject: Re: Letter\nAuto-Submitted: auto-replied\nIn-Reply-To: ${OURS}\nMessage-ID: <ooo-1@mfa.example>\n\nI am away.\n`);
    expect((await classifyInbound(raw)).classified).toEqual({ kind: "auto-reply", token: TOKEN });
  });

  it("an out-of-office subject in French, Norwegian or Arabic", async () => {
    for (const subject of ["Réponse automatique : Lettre", "Autosvar: Brev", "=?UTF-8?B?2LHYryDYqtmE2YLYp9im2Yo=?="]) {
      const raw = crlf(`From: minister@mfa.example\nTo: advocacy@nhc.example\nSubject: ${subject}\nReferences: ${OURS}\nMessage-ID: <ooo-2@mfa.example>\n\nAbsent.\n`);
      expect((await classifyInbound(raw)).classified, subject).toEqual({ kind: "auto-reply", token: TOKEN });
    }
  });
});

describe("replies", () => {
  it("by In-Reply-To or References, among other ids", async () => {
    const raw = crlf(`From: Legal Department <legal@mfa.example>\nTo: advocacy@nhc.example\nSubject: Re: Letter\nIn-Reply-To: <other@x.example>\nReferences: <first@x.example> ${OURS}\nMessage-ID: <reply-1@mfa.example>\nX-Auto-Response-Suppress: All\n\nThank you for your letter.\n`);
    const { classified, facts } = await classifyInbound(raw);
    expect(classified).toEqual({ kind: "reply", token: TOKEN, via: "references" });
    expect(facts).toMatchObject({ messageId: "<reply-1@mfa.example>", from: "legal@mfa.example", subject: "Re: Letter" });
  });

  it("to our reply address", async () => {
    const raw = crlf(`From: legal@mfa.example\nTo: reply+${TOKEN}@replies.coalition.example\nSubject: Your letter\nMessage-ID: <reply-2@mfa.example>\n\nNoted.\n`);
    expect((await classifyInbound(raw)).classified).toEqual({ kind: "reply", token: TOKEN, via: "reply-address" });
  });
});

it("leaves a stranger's mail unmatched, and hostile headers as one clipped line of text", async () => {
  const raw = crlf(`From: someone@elsewhere.example\nTo: advocacy@nhc.example\nSubject: =?UTF-8?B?${Buffer.from("Hello\r\nBcc: victim@example.org " + "x".repeat(5000)).toString("base64")}?=\nMessage-ID: <stranger@elsewhere.example>\nContent-Type: text/html\n\n<script>alert(1)</script><img src="https://tracker.example/p.gif">\n`);
  const { classified, facts } = await classifyInbound(raw);
  expect(classified).toEqual({ kind: "unmatched" });
  expect(facts.subject).not.toMatch(/[\r\n]/);
  expect(facts.subject.length).toBeLessThanOrEqual(2000);
  expect(facts.subject.startsWith("Hello Bcc: victim@example.org")).toBe(true);
});

// Formats bench/inbound found misread, each pinned here.
describe("what bench/inbound found", () => {
  it("reads Sendmail's and Exim's 'still trying' warnings as delayed, not bounced", async () => {
    const sendmail = crlf(`From: Mail Delivery Subsystem <MAILER-DAEMON@smtp.mfa.example>\nTo: <bounces+${TOKEN}@coalition.example>\nSubject: Warning: could not send message for past 4 hours\n\n    **      THIS IS A WARNING MESSAGE ONLY      **\n<minister@mfa.example>... Deferred: Connection timed out with mail.mfa.example.\n   ----- Original message follows -----\nMessage-ID: ${OURS}\n`);
    expect((await classifyInbound(sendmail)).classified).toEqual({ kind: "delayed", token: TOKEN, recipient: null });
    const exim = crlf(`From: Mail Delivery System <Mailer-Daemon@relay.example>\nTo: bounces+${TOKEN}@coalition.example\nSubject: Warning: message 1kXyZ1-0003aB-Cd delayed 24 hours\n\nThis message was created automatically by mail delivery software.\nA message that you sent has not yet been delivered to one or more of its recipients after more than 24 hours on the queue.\n  minister@mfa.example\n    host mx.mfa.example: 451 4.7.1 Greylisted\nNo action is required on your part. Delivery attempts will continue for some time.\n\nMessage-ID: ${OURS}\n`);
    expect((await classifyInbound(exim)).classified).toMatchObject({ kind: "delayed", token: TOKEN });
  });

  it("finds the reply address where a Bcc'd reply was delivered", async () => {
    const raw = crlf(`Delivered-To: reply+${TOKEN}@replies.coalition.example\nFrom: legal@mfa.example\nTo: undisclosed-recipients:;\nSubject: RE: Joint letter\nMessage-ID: <bcc-1@mfa.example>\n\nTo all who wrote.\n`);
    expect((await classifyInbound(raw)).classified).toEqual({ kind: "reply", token: TOKEN, via: "reply-address" });
  });

  it("knows Outlook's out-of-office subjects in Norwegian and Arabic, even with nothing in the headers", async () => {
    for (const subject of ["Automatisk svar: Felles brev", "خارج المكتب: رسالة مشتركة"]) {
      const raw = crlf(`From: kontor@mfa.example\nTo: reply+${TOKEN}@replies.coalition.example\nSubject: ${subject}\nIn-Reply-To: ${OURS}\n\nJeg er på ferie.\n`);
      expect((await classifyInbound(raw)).classified).toEqual({ kind: "auto-reply", token: TOKEN });
    }
  });

  it("leaves newsletters with Precedence: bulk unmatched, but not an answer to us that says bulk", async () => {
    const newsletter = crlf(`From: news@thinktank.example\nTo: demarche@coalition.example\nSubject: Our December newsletter\nPrecedence: bulk\nList-Unsubscribe: <mailto:leave@thinktank.example>\n\nNews.\n`);
    expect((await classifyInbound(newsletter)).classified).toEqual({ kind: "unmatched" });
    const vacation = crlf(`From: kontor@mfa.example\nTo: advocacy@nhc.example\nSubject: Re: Joint letter\nPrecedence: bulk\nIn-Reply-To: ${OURS}\n\nAway.\n`);
    expect((await classifyInbound(vacation)).classified).toEqual({ kind: "auto-reply", token: TOKEN });
  });

  it("takes the address out of a global delivery status's Final-Recipient, whatever its type", async () => {
    const raw = crlf(`From: MAILER-DAEMON@relay.example\nTo: bounces+${TOKEN}@coalition.example\nSubject: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=global-delivery-status; boundary="B"\n\n--B\nContent-Type: text/plain\n\nFailed.\n\n--B\nContent-Type: message/global-delivery-status\n\nReporting-MTA: dns; relay.example\n\nFinal-Recipient: utf-8; courrier@diplomatie.fr.example\nAction: failed\nStatus: 5.1.1\n\n--B--\n`);
    expect((await classifyInbound(raw)).classified).toMatchObject({ kind: "bounce", recipient: "courrier@diplomatie.fr.example" });
  });
});
