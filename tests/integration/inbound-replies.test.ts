// Replies that come by mail (issue 12), on a real migrated SQLite file: a reply citing our
// letter's Message-ID marks the state "replied" (an outreach event naming the message) and
// tells the sending organisation by email, once; an out-of-office is an automatic answer,
// never "replied"; a stranger's mail waits in the unmatched queue until a coordinator
// attaches it to a (statement, state) or discards it; HTML mail is kept as text only.
import { beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~/platform/db.server";
import type { SessionUser } from "~/platform/session.server";
import { insertDispatches } from "~/models/outbox/queue.server";
import { countryOutreach } from "~/models/outreach.server";
import { outreachTimeline } from "~/models/outreach-timeline.server";
import { attachInbound, discardInbound, inboundAttachment, readInboundMessage, unmatchedQueue } from "~/models/inbound/messages.server";
import { receiveInbound } from "~/workflows/inbound-mail.server";
import { createOrganisation, createUser } from "../factories";
import { migratedDb } from "../setup/db";
import { bounceFor, crlf, plainMail } from "../setup/inbound-mail";
import { tokenOfMessageId } from "~/models/outbox/envelope.server";
import { loadStatementRecords } from "~/models/outreach-records.server";

let db: DB;
let coordinator: SessionUser;
let member: SessionUser;
let statementId: number;
let letterMessageId: string;
let n = 0;
const source = () => ({ mailbox: "test-inbox", uidValidity: 1, uid: ++n });
const ctx = () => ({ actor: { id: coordinator.id, email: coordinator.email }, ip: "127.0.0.1" });

beforeAll(async () => {
  db = await migratedDb();
  const org = await createOrganisation(db, { name: "Norwegian Helsinki Committee", contact_email: "post@nhc.example" });
  coordinator = (await createUser(db)) as SessionUser;
  member = (await createUser(db, { role: "member", organisationId: org.id })) as SessionUser;
  statementId = (await db.insertInto("statements").values({ slug: "replies", title: "Oppose sanctions", statement_date: "2025-01-14", status: "published", body_markdown: "Body." }).returning("id").executeTakeFirstOrThrow()).id;
  const [id] = await insertDispatches(db, [{
    dedupeKey: "replies:letter", kind: "letter", letterId: null, letterFingerprint: null, statementId, countryCode: "NO", organisationId: org.id,
    mode: "smtp", from: { name: "NHC via Demarche", address: "demarche@coalition.example" }, replyTo: { name: "NHC", address: "post@nhc.example" },
    to: [{ name: "Minister of Foreign Affairs", address: "postmottak@mfa.example" }], cc: [], subject: "Sanctions against the ICC", html: "<p>Letter</p>", text: "Letter",
    attachmentFilename: null, queuedBy: null, messageIdDomain: "coalition.example",
  }]);
  await db.updateTable("dispatches").set({ status: "sent", handed_at: new Date().toISOString(), sent_at: new Date().toISOString() }).where("id", "=", id).execute();
  letterMessageId = (await db.selectFrom("dispatches").select("message_id").where("id", "=", id).executeTakeFirstOrThrow()).message_id;
});

const notices = () => db.selectFrom("mailbox_messages").select(["to_addresses", "subject", "text_body"]).where("subject", "like", "%replied to your letter%").execute();

describe("mail that answers our letters", () => {
  it("a reply citing the letter marks the state replied and tells the organisation, once", async () => {
    expect((await countryOutreach(db, statementId, "NO")).status).not.toBe("replied");
    const reply = plainMail("<answer-1@mfa.example>", "Re: Sanctions against the ICC", `In-Reply-To: ${letterMessageId}\nReferences: ${letterMessageId}`);
    const first = await receiveInbound(db, reply, source());
    expect(first).toMatchObject({ duplicate: false, classified: { kind: "reply" } });
    expect((await countryOutreach(db, statementId, "NO")).status).toBe("replied");
    const event = await db.selectFrom("outreach_events").selectAll().where("inbound_message_id", "=", first.id!).executeTakeFirstOrThrow();
    expect(event).toMatchObject({ kind: "reply", statement_id: statementId, country_code: "NO", summary: "Re: Sanctions against the ICC", correspondent: "Someone <someone@elsewhere.example>", happened_on: "2026-12-08" });
    const sent = await notices();
    expect(sent).toHaveLength(1);
    expect(sent[0].to_addresses).toContain("post@nhc.example");
    expect(sent[0].subject).toBe("Norway replied to your letter: Re: Sanctions against the ICC");
    expect(sent[0].text_body).toContain("/statements/replies/outreach/NO");

    // The same message read again (another UID): nothing new.
    expect((await receiveInbound(db, reply, source())).duplicate).toBe(true);
    expect(await db.selectFrom("outreach_events").select("id").where("kind", "=", "reply").execute()).toHaveLength(1);
    expect(await notices()).toHaveLength(1);
    // Everyone signed in reads it, as they read the state's page.
    expect((await readInboundMessage(db, member, first.id!)).text_body).toBe("Just a message.");
  });

  it("an out-of-office is an automatic answer on the timeline, never a reply", async () => {
    const before = await db.selectFrom("outreach_events").select("id").execute();
    const ooo = plainMail("<ooo-1@mfa.example>", "Out of office: Sanctions against the ICC", `In-Reply-To: ${letterMessageId}\nAuto-Submitted: auto-replied`);
    expect((await receiveInbound(db, ooo, source())).classified.kind).toBe("auto-reply");
    expect(await db.selectFrom("outreach_events").select("id").execute()).toHaveLength(before.length);
    const timeline = await outreachTimeline(db, statementId, "NO");
    expect(timeline.filter((i) => i.type === "auto-reply").map((i) => i.type === "auto-reply" && i.subject)).toEqual(["Out of office: Sanctions against the ICC"]);
  });

  it("a stranger's mail waits for a coordinator, who attaches it once", async () => {
    const stranger = await receiveInbound(db, plainMail("<stranger-a@gov.example>", "Our answer about the ICC"), source());
    expect(stranger.classified.kind).toBe("unmatched");
    const queue = await unmatchedQueue(db, coordinator);
    expect(queue.rows.map((r) => r.id)).toContain(stranger.id);
    await expect(unmatchedQueue(db, member)).rejects.toThrow(/Only coordinators/);
    await expect(readInboundMessage(db, member, stranger.id!)).rejects.toThrow(/no such message/);

    await expect(attachInbound(db, coordinator, ctx(), stranger.id!, { statementId: 999_999, countryCode: "NO" })).rejects.toMatchObject({ errors: { statementId: [expect.stringMatching(/no such statement/)] } });
    const at = await attachInbound(db, coordinator, ctx(), stranger.id!, { statementId, countryCode: "SE" });
    expect(at).toEqual({ slug: "replies", countryCode: "SE" });
    expect((await countryOutreach(db, statementId, "SE")).status).toBe("replied");
    expect((await unmatchedQueue(db, coordinator)).rows.map((r) => r.id)).not.toContain(stranger.id);
    await expect(attachInbound(db, coordinator, ctx(), stranger.id!, { statementId, countryCode: "SE" })).rejects.toThrow(/already attached/);
    const audit = await db.selectFrom("audit_log").select("action").where("subject_type", "=", "inbound_message").where("subject_id", "=", String(stranger.id)).execute();
    expect(audit.map((a) => a.action)).toEqual(["inbound.attached"]);
  });

  it("a coordinator discards spam; it stays stored, out of the queue", async () => {
    const spam = await receiveInbound(db, plainMail("<spam-1@spam.example>", "Cheap watches"), source());
    await discardInbound(db, coordinator, ctx(), spam.id!, "spam");
    expect((await unmatchedQueue(db, coordinator)).rows.map((r) => r.id)).not.toContain(spam.id);
    expect((await readInboundMessage(db, coordinator, spam.id!)).resolution).toBe("discarded");
    await expect(discardInbound(db, member, ctx(), spam.id!, undefined)).rejects.toThrow(/Only coordinators/);
  });

  it("a letter the address refused counts as failed on the board, with its state per letter", async () => {
    const org = await createOrganisation(db, { name: "Danish Institute", contact_email: null });
    const [id] = await insertDispatches(db, [{
      dedupeKey: "replies:dk", kind: "letter", letterId: null, letterFingerprint: null, statementId, countryCode: "DK", organisationId: org.id,
      mode: "smtp", from: { name: "DI via Demarche", address: "demarche@coalition.example" }, replyTo: null,
      to: [{ name: "Udenrigsministeren", address: "um@um.example" }], cc: [], subject: "Sanctions", html: "<p>Letter</p>", text: "Letter",
      attachmentFilename: null, queuedBy: null, messageIdDomain: "coalition.example",
    }]);
    await db.updateTable("dispatches").set({ status: "sent", handed_at: new Date().toISOString(), sent_at: new Date().toISOString() }).where("id", "=", id).execute();
    expect((await countryOutreach(db, statementId, "DK")).status).toBe("sent");
    const messageId = (await db.selectFrom("dispatches").select("message_id").where("id", "=", id).executeTakeFirstOrThrow()).message_id;
    await receiveInbound(db, bounceFor(tokenOfMessageId(messageId)!, "5.1.1", "<dk-bounce@relay.example>"), source());
    expect((await countryOutreach(db, statementId, "DK")).status).toBe("failed");
    const records = await loadStatementRecords(db, statementId);
    expect(records.byCountry.get("DK")).toMatchObject({ letterStates: { bounced: 1 }, autoReplies: 0 });
    expect(records.byCountry.get("NO")).toMatchObject({ letterStates: { sent: 1 }, replies: 1, autoReplies: 1 });
  });

  it("keeps hostile HTML mail as text, and its attachment as bytes to download", async () => {
    const hostile = crlf(`From: "Evil\u202E <x>" <evil@spam.example>
To: demarche@coalition.example
Subject: =?UTF-8?B?PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==?=
Message-ID: <hostile-1@spam.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="M"

--M
Content-Type: text/html; charset=utf-8

<p>Hello <img src="http://tracker.example/pixel.gif"><script>alert(1)</script><b>minister</b></p>
--M
Content-Type: application/x-msdownload; name="run.exe"
Content-Disposition: attachment; filename="../../run.exe"
Content-Transfer-Encoding: base64

TVqQAAMAAAAEAAAA
--M--
`);
    const stored = await receiveInbound(db, hostile, source());
    const message = await readInboundMessage(db, coordinator, stored.id!);
    expect(message.subject).toBe("<script>alert(1)</script>");
    expect(message.text_body).toContain("minister");
    expect(message.text_body).not.toMatch(/<img|<script|tracker\.example/);
    expect(message.from_name).not.toContain("\u202E");
    expect(message.attachments).toEqual([{ filename: "run.exe", contentType: "application/x-msdownload", size: 12 }]);
    const file = await inboundAttachment(db, coordinator, stored.id!, 0);
    expect(file.content.subarray(0, 2).toString("latin1")).toBe("MZ");
  });
});
