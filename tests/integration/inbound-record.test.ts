// What came back, stored once and applied to its dispatch (issue 12), against a real
// migrated SQLite file: a hard bounce marks the letter bounced with the reason, a later
// delay does not hide it, the same message twice (by Message-ID, or by UID) is stored
// once, an "uncertain" message is resolved as sent by the evidence and never re-queued,
// a stranger's mail is kept unmatched, and an oversized message is cut and says so.
import { beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~/platform/db.server";
import { insertDispatches, type NewDispatch } from "~/models/outbox/queue.server";
import { tokenOfMessageId } from "~/models/outbox/envelope.server";
import { RAW_LIMIT, recordInbound } from "~/models/inbound/record.server";
import { listDispatches } from "~/models/outbox/messages.server";
import { describeDispatch } from "~/models/outbox/overview.server";
import { migratedDb } from "../setup/db";
import { bounceFor, crlf } from "../setup/inbound-mail";

let db: DB;
let base: NewDispatch;
let n = 0;

beforeAll(async () => {
  db = await migratedDb();
  base = {
    dedupeKey: "", kind: "notice", letterId: null, letterFingerprint: null, statementId: null, countryCode: null, organisationId: null,
    mode: "smtp", from: { name: "Demarche", address: "demarche@coalition.example" }, replyTo: null,
    to: [{ name: "Ministry", address: "minister@mfa.example" }], cc: [], subject: "Letter", html: "<p>Letter</p>", text: "Letter",
    attachmentFilename: null, queuedBy: null, messageIdDomain: "coalition.example",
  };
});

async function sentDispatch(status: "sent" | "uncertain" = "sent") {
  const [id] = await insertDispatches(db, [{ ...base, dedupeKey: `inbound:${++n}` }]);
  await db.updateTable("dispatches").set({ status, handed_at: new Date().toISOString() }).where("id", "=", id).execute();
  const row = await db.selectFrom("dispatches").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  return { id, token: tokenOfMessageId(row.message_id)!, messageId: row.message_id };
}

const bounce = bounceFor;

const dispatchRow = (id: number) => db.selectFrom("dispatches").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const source = (uid: number | null = null) => ({ mailbox: "INBOX", uidValidity: uid === null ? null : 7, uid });

describe("recording what came back", () => {
  it("a hard bounce marks the dispatch bounced with the reason; a later delay does not hide it", async () => {
    const d = await sentDispatch();
    const first = await recordInbound(db, bounce(d.token, "5.1.1", `<b1.${n}@relay.example>`), source());
    expect(first).toMatchObject({ duplicate: false, dispatchId: d.id, classified: { kind: "bounce", severity: "hard" } });
    expect(await dispatchRow(d.id)).toMatchObject({ status: "sent", delivery: "bounced", delivery_detail: "5.1.1 550 5.1.1 User unknown" });
    await recordInbound(db, bounce(d.token, "4.4.7", `<b2.${n}@relay.example>`), source());
    expect((await dispatchRow(d.id)).delivery).toBe("bounced");
    // The outbox says so, with the reason, to a coordinator.
    const listed = (await listDispatches(db, { id: 1, email: "c@x.example", name: "C", role: "coordinator", organisation_id: null }, { limit: 50 })).find((r) => r.id === d.id)!;
    expect(describeDispatch(listed).delivery).toMatchObject({ words: "bounced (the address refused it)", detail: "5.1.1 550 5.1.1 User unknown", bad: true });
  });

  it("stores the same message once, by Message-ID and by UID", async () => {
    const d = await sentDispatch();
    const raw = bounce(d.token, "5.1.1", `<twice.${n}@relay.example>`);
    expect((await recordInbound(db, raw, source(100))).duplicate).toBe(false);
    expect((await recordInbound(db, raw, source(101))).duplicate).toBe(true); // same Message-ID
    expect((await recordInbound(db, bounce(d.token, "5.1.1", `<other.${n}@relay.example>`), source(100))).duplicate).toBe(true); // UID already read
    const rows = await db.selectFrom("inbound_messages").select("id").where("dispatch_id", "=", d.id).execute();
    expect(rows).toHaveLength(1);
    expect(await db.selectFrom("mailbox_cursors").selectAll().where("mailbox", "=", "INBOX").executeTakeFirst()).toMatchObject({ uid_validity: 7, last_uid: 101 });
  });

  it("resolves an uncertain message as sent by a reply citing it, and never queues it again", async () => {
    const d = await sentDispatch("uncertain");
    const reply = crlf(`From: legal@mfa.example\nTo: advocacy@nhc.example\nSubject: Re: Letter\nIn-Reply-To: ${d.messageId}\nMessage-ID: <reply.${n}@mfa.example>\n\nThank you.\n`);
    expect((await recordInbound(db, reply, source())).classified).toEqual({ kind: "reply", token: d.token, via: "references" });
    const row = await dispatchRow(d.id);
    expect(row.status).toBe("sent");
    expect(row.last_error).toMatch(/Shown to have been sent by a reply/);
  });

  it("keeps a stranger's mail unmatched, and cuts an oversized message, saying so", async () => {
    const stranger = crlf(`From: someone@elsewhere.example\nTo: advocacy@nhc.example\nSubject: Hello\nMessage-ID: <stranger.${n}@elsewhere.example>\n\n${"x".repeat(RAW_LIMIT + 1000)}\n`);
    const recorded = await recordInbound(db, stranger, source());
    expect(recorded).toMatchObject({ duplicate: false, dispatchId: null, classified: { kind: "unmatched" } });
    const row = await db.selectFrom("inbound_messages").selectAll().where("id", "=", recorded.id!).executeTakeFirstOrThrow();
    expect([row.kind, row.raw_truncated, row.raw.length]).toEqual(["unmatched", 1, RAW_LIMIT]);
  });
});
