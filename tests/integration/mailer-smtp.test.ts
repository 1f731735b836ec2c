// A real SMTP round trip: the mailer in smtp mode talks to smtp-server on 127.0.0.1
// and we read what arrived with mailparser. The platform's own mail (sendMail) is queued
// as a notice and sent by the worker; deliver() is the transport path both share.
// SMTP_URL must be set before the env module is first loaded (it is parsed once per
// process), hence the dynamic imports.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestSmtp, type SmtpReply, type TestSmtp } from "../setup/smtp";

let smtp: TestSmtp;
let mailer: typeof import("../../app/platform/mail-transport.server");
let notices: typeof import("../../app/models/outbox/notices.server");
let delivery: typeof import("../../app/jobs/delivery.server");
let db: import("../../app/platform/db.server").DB;
let worker: { stop(): Promise<void> };
let refuse: (raw: Buffer) => SmtpReply = () => undefined;

beforeAll(async () => {
  smtp = await startTestSmtp({ onData: (raw) => refuse(raw) });
  process.env.SMTP_URL = smtp.url;
  mailer = await import("../../app/platform/mail-transport.server");
  notices = await import("../../app/models/outbox/notices.server");
  delivery = await import("../../app/jobs/delivery.server");
  const { getDb } = await import("../../app/platform/db.server");
  const { migrateToLatest } = await import("../../db/connection");
  const { startDispatchWorker } = await import("../../app/jobs/dispatch-worker.server");
  db = getDb();
  await migrateToLatest(db);
  worker = startDispatchWorker(db, { ratePerMinute: 0, pollMs: 20, retryBaseMs: 30, log: () => undefined });
});

afterAll(async () => {
  await worker?.stop();
  mailer?.closeTransport();
  await smtp?.close();
});

describe("sending over SMTP", () => {
  it("delivers headers, both parts and attachment bytes, and captures nothing", async () => {
    const pdf = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x2d, 0x00, 0xff, 0x10, 0x80]);
    const result = await delivery.deliver(db, mailer.getTransport(), {
      to: ["ministry@example.gov", { name: "Désirée Ngozi", address: "desiree@example.org" }],
      cc: ["secretariat@example.org"],
      replyTo: "coordination@example.org",
      subject: "Joint letter on the Rome Statute — ratification",
      html: "<p>Dear Minister, <strong>please</strong> read the attached letter.</p>",
      text: "Dear Minister, please read the attached letter.\n",
      attachments: [{ filename: "letter – Norge.pdf", contentType: "application/pdf", content: pdf }],
    });
    expect(result.mode).toBe("smtp");
    expect(result.mailboxId).toBeUndefined();

    await smtp.waitFor(1);
    const mail = smtp.messages[0];
    expect(mail.messageId).toBe(result.messageId);
    expect(mail.from?.value).toEqual([{ name: "Demarche", address: "demarche@example.org" }]);
    const to = Array.isArray(mail.to) ? mail.to.flatMap((a) => a.value) : mail.to?.value;
    expect(to).toEqual([{ name: "", address: "ministry@example.gov" }, { name: "Désirée Ngozi", address: "desiree@example.org" }]);
    const cc = Array.isArray(mail.cc) ? mail.cc.flatMap((a) => a.value) : mail.cc?.value;
    expect(cc?.map((a) => a.address)).toEqual(["secretariat@example.org"]);
    expect(mail.replyTo?.value[0].address).toBe("coordination@example.org");
    expect(mail.subject).toBe("Joint letter on the Rome Statute — ratification");
    expect(mail.html).toContain("<strong>please</strong>");
    expect(mail.text?.trim()).toBe("Dear Minister, please read the attached letter.");
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0].filename).toBe("letter – Norge.pdf");
    expect(mail.attachments[0].contentType).toBe("application/pdf");
    expect(Buffer.compare(mail.attachments[0].content, pdf)).toBe(0);
    expect(smtp.envelopes[0]).toEqual({
      from: "demarche@example.org",
      to: ["ministry@example.gov", "desiree@example.org", "secretariat@example.org"],
    });

    const captured = await db.selectFrom("mailbox_messages").select("id").execute();
    expect(captured).toEqual([]);
  });

  it("keeps a display name with CR/LF inside one header, as text", async () => {
    const before = smtp.messages.length;
    await notices.sendMail(db, {
      to: [{ name: "Evil\r\nBcc: victim@example.org", address: "target@example.org" }],
      from: { name: "Mallory\r\nX-Injected: yes", address: "demarche@example.org" },
      subject: "Hello\r\nBcc: victim2@example.org",
      html: "<p>Hi</p>",
      text: "Hi",
    });
    await smtp.waitFor(before + 1);
    const mail = smtp.messages[before];
    const raw = smtp.raw[before].toString("utf8");
    const headerBlock = raw.slice(0, raw.search(/\r?\n\r?\n/));

    expect(mail.headers.has("bcc")).toBe(false);
    expect(mail.headers.has("x-injected")).toBe(false);
    expect(headerBlock).not.toMatch(/^(Bcc|X-Injected):/im);
    expect(smtp.envelopes[before].to).toEqual(["target@example.org"]);
    const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
    expect(to?.value).toEqual([{ name: "Evil Bcc: victim@example.org", address: "target@example.org" }]);
    expect(mail.from?.value[0].name).toBe("Mallory X-Injected: yes");
    expect(mail.subject).toBe("Hello Bcc: victim2@example.org");
  });

  it("refuses an address string with a line break before connecting, queueing nothing", async () => {
    const before = smtp.refused.length + smtp.messages.length;
    const queued = (await db.selectFrom("dispatches").select("id").execute()).length;
    await expect(
      notices.sendMail(db, { to: ["Evil\r\nBcc: victim@example.org <target@example.org>"], subject: "x", html: "x", text: "x" }),
    ).rejects.toBeInstanceOf(mailer.MailAddressError);
    expect(smtp.refused.length + smtp.messages.length).toBe(before);
    expect((await db.selectFrom("dispatches").select("id").execute()).length).toBe(queued);
  });

  it("queues the platform's mail as a notice: the caller does not wait for the relay, and a 4xx is retried", async () => {
    let refusals = 0;
    refuse = (raw) => (raw.includes("Your invitation") && refusals++ === 0 ? { code: 451, message: "4.3.0 Busy" } : undefined);
    const before = smtp.messages.length;
    const result = await notices.sendMail(db, { to: [{ name: "Invitee", address: "invitee@example.org" }], subject: "Your invitation", html: "<p>Join</p>", text: "Join" });
    expect(result.mode).toBe("smtp");
    const row = await db.selectFrom("dispatches").selectAll().where("message_id", "=", result.messageId).executeTakeFirstOrThrow();
    expect([row.kind, row.statement_id, row.organisation_id]).toEqual(["notice", null, null]);
    await smtp.waitFor(before + 1, 10_000);
    expect(smtp.messages[before].messageId).toBe(result.messageId);
    expect(smtp.messages[before].subject).toBe("Your invitation");
    for (let i = 0; i < 100; i++) {
      if ((await db.selectFrom("dispatches").select("status").where("id", "=", row.id).executeTakeFirstOrThrow()).status === "sent") break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const sent = await db.selectFrom("dispatches").select(["status", "attempts"]).where("id", "=", row.id).executeTakeFirstOrThrow();
    expect(sent).toEqual({ status: "sent", attempts: 2 });
    refuse = () => undefined;
    // Coordinators see notices in the outbox (no state, no organisation); members do not.
    const { listDispatches } = await import("../../app/models/outbox/messages.server");
    const { describeDispatch } = await import("../../app/models/outbox/overview.server");
    const seen = await listDispatches(db, { id: 1, email: "c@example.org", name: "C", role: "coordinator", organisation_id: null });
    expect(seen.filter((d) => d.id === row.id).map(describeDispatch)).toMatchObject([{ kind: "notice", country: "(platform mail)", organisation: "Demarche", status: "sent" }]);
    expect(await listDispatches(db, { id: 2, email: "m@example.org", name: "M", role: "member", organisation_id: 1 })).toEqual([]);
  });
});

describe("a server that refuses", () => {
  it("reports 4xx as temporary and 5xx as permanent", async () => {
    const picky = await startTestSmtp({ onData: (_raw, _envelope, attempt) => ({ code: attempt === 1 ? 451 : 550, message: "No thanks" }) });
    const transporter = mailer.createSmtpTransport(picky.url);
    const message = mailer.buildMessage({ to: ["a@example.org"], subject: "s", html: "h", text: "t" });
    try {
      const first = await transporter.sendMail(message).catch((e: unknown) => e);
      expect(mailer.isTemporaryFailure(first)).toBe(true);
      const second = await transporter.sendMail(message).catch((e: unknown) => e);
      expect(mailer.isTemporaryFailure(second)).toBe(false);
      expect(picky.refused.map((r) => r.code)).toEqual([451, 550]);
      expect(picky.messages).toHaveLength(0);
    } finally {
      transporter.close();
      await picky.close();
    }
  });
});
