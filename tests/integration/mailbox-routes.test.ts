// Sandbox mode end to end: sendMail builds the message without touching the network,
// the Mailbox keeps it, and only coordinators can read it back through the routes
// (members read only their own organisation's letters: tests/integration/sending-routes.test.ts).
import net from "node:net";
import { simpleParser } from "mailparser";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { loader as listLoader } from "~/routes/mailbox._index";
import { loader as messageLoader } from "~/routes/mailbox.$id";
import { loader as rawLoader } from "~/routes/mailbox.$id.raw";
import { loader as attachmentLoader } from "~/routes/mailbox.$id.attachments.$attachmentId";
import { getDb, type DB } from "~/platform/db.server";
import { sendMail } from "~/models/outbox/notices.server";
import { renderEmail } from "~/platform/templates.server";
import { linksInText, listMailbox } from "~/models/outbox/mailbox.server";
import { migrateToLatest } from "../../db/connection";
import { call, createOrganisation, createUser, getRequest, sessionCookie, settle } from "../factories";

let db: DB;
let coordinator: string;
let member: string;
let sent: { mailboxId: number; attachmentId: number };
const csv = Buffer.from("country,status\nNO,party\n\u00e9\u0000\u00ff", "utf8");

beforeAll(async () => {
  db = getDb();
  await migrateToLatest(db);
  coordinator = await sessionCookie(db, (await createUser(db, { role: "coordinator" })).id);
  const org = await createOrganisation(db);
  member = await sessionCookie(db, (await createUser(db, { role: "member", organisationId: org.id })).id);
});

afterEach(() => vi.restoreAllMocks());

describe("sandbox sending", () => {
  it("lists nothing yet, with the explanation", async () => {
    const res = await settle(call(listLoader, getRequest("/mailbox", coordinator)));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 0, messages: [], mailMode: "sandbox" });
  });

  it("captures the whole message without opening a connection", async () => {
    const connect = vi.spyOn(net.Socket.prototype, "connect");
    const email = renderEmail("invitation", {
      inviteeName: "Ana", inviterName: "Jo", role: "member", organisationName: "Org",
      acceptUrl: "http://127.0.0.1:3000/invitations/abc123", expiresAt: "30 November 2026, 21:00 UTC", appName: "Demarche",
    });
    const result = await sendMail(db, {
      to: [{ name: "Ana Ñúñez", address: "ana@example.org" }],
      cc: ["cc@example.org"],
      replyTo: "coordination@example.org",
      ...email,
      attachments: [{ filename: "états \"parties\".csv", contentType: "text/csv", content: csv }],
    });
    expect(connect).not.toHaveBeenCalled();
    expect(result.mode).toBe("sandbox");
    expect(result.mailboxId).toEqual(expect.any(Number));

    const row = await db.selectFrom("mailbox_messages").selectAll().where("id", "=", result.mailboxId!).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      message_id: result.messageId,
      from_address: "Demarche <demarche@example.org>",
      to_addresses: "Ana Ñúñez <ana@example.org>",
      cc_addresses: "cc@example.org",
      reply_to: "coordination@example.org",
      subject: "Jo has invited you to Demarche",
      text_body: email.text,
      html_body: email.html,
    });
    const parsed = await simpleParser(row.raw);
    expect(parsed.messageId).toBe(result.messageId);
    expect(parsed.text).toContain("http://127.0.0.1:3000/invitations/abc123");
    expect(Buffer.compare(parsed.attachments[0].content, csv)).toBe(0);

    const attachment = await db.selectFrom("mailbox_attachments").selectAll().where("message_id", "=", result.mailboxId!).executeTakeFirstOrThrow();
    expect(attachment).toMatchObject({ filename: "états \"parties\".csv", content_type: "text/csv", size: csv.length });
    sent = { mailboxId: result.mailboxId!, attachmentId: attachment.id };
  });
});

describe("Mailbox routes", () => {
  it("lists the message for a coordinator, newest first", async () => {
    const res = await settle(call(listLoader, getRequest("/mailbox", coordinator)));
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(1);
    expect(res.body.messages[0]).toMatchObject({ id: sent.mailboxId, subject: "Jo has invited you to Demarche", attachment_count: 1, to_addresses: "Ana Ñúñez <ana@example.org>" });
  });

  it("shows one message with its links and attachments", async () => {
    const res = await settle(call(messageLoader, getRequest(`/mailbox/${sent.mailboxId}`, coordinator), { id: String(sent.mailboxId) }));
    expect(res.status).toBe(200);
    expect(res.body.message).toMatchObject({ id: sent.mailboxId, cc_addresses: "cc@example.org", reply_to: "coordination@example.org" });
    expect(res.body.message.raw).toBeUndefined();
    expect(res.body.message.attachments).toEqual([{ id: sent.attachmentId, filename: "états \"parties\".csv", content_type: "text/csv", size: csv.length }]);
    expect(res.body.links).toEqual(["http://127.0.0.1:3000/invitations/abc123"]);
  });

  it("downloads an attachment's exact bytes", async () => {
    const res = (await call(attachmentLoader, getRequest(`/mailbox/${sent.mailboxId}/attachments/${sent.attachmentId}`, coordinator), {
      id: String(sent.mailboxId), attachmentId: String(sent.attachmentId),
    })) as Response;
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/csv");
    expect(res.headers.get("Content-Disposition")).toBe(`attachment; filename="_tats _parties_.csv"; filename*=UTF-8''%C3%A9tats%20%22parties%22.csv`);
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(Buffer.compare(Buffer.from(await res.arrayBuffer()), csv)).toBe(0);
  });

  it("downloads the message as .eml", async () => {
    const res = (await call(rawLoader, getRequest(`/mailbox/${sent.mailboxId}/raw`, coordinator), { id: String(sent.mailboxId) })) as Response;
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("message/rfc822");
    expect(res.headers.get("Content-Disposition")).toMatch(new RegExp(`^attachment; filename="message-${sent.mailboxId}\\.eml"`));
    const parsed = await simpleParser(Buffer.from(await res.arrayBuffer()));
    expect(parsed.subject).toBe("Jo has invited you to Demarche");
  });

  it("answers 404 for messages and attachments that do not exist", async () => {
    for (const [loader, path, params] of [
      [messageLoader, "/mailbox/999", { id: "999" }],
      [messageLoader, "/mailbox/abc", { id: "abc" }],
      [rawLoader, "/mailbox/999/raw", { id: "999" }],
      [attachmentLoader, `/mailbox/999/attachments/${sent.attachmentId}`, { id: "999", attachmentId: String(sent.attachmentId) }],
    ] as const) {
      expect((await settle(call(loader as any, getRequest(path, coordinator), params))).status).toBe(404);
    }
  });

  it("shows members none of the platform's own mail", async () => {
    const res = await settle(call(listLoader, getRequest("/mailbox", member)));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 0, messages: [], ownOnly: true });
  });

  it("refuses members (403) another's messages and sends anonymous visitors to sign in", async () => {
    const id = String(sent.mailboxId);
    expect((await settle(call(listLoader, getRequest("/mailbox")))).status).toBe(302);
    const cases = [
      [messageLoader, `/mailbox/${id}`, { id }],
      [rawLoader, `/mailbox/${id}/raw`, { id }],
      [attachmentLoader, `/mailbox/${id}/attachments/${sent.attachmentId}`, { id, attachmentId: String(sent.attachmentId) }],
    ] as const;
    for (const [loader, path, params] of cases) {
      expect((await settle(call(loader as any, getRequest(path, member), params))).status).toBe(403);
      const anonymous = await settle(call(loader as any, getRequest(path), params));
      expect(anonymous.status).toBe(302);
      expect(anonymous.headers.get("Location")).toBe(`/login?redirectTo=${encodeURIComponent(path)}`);
    }
  });
});

describe("Mailbox model", () => {
  it("pages newest first", async () => {
    for (let i = 0; i < 3; i++) await sendMail(db, { to: ["x@example.org"], subject: `Note ${i}`, html: "<p>x</p>", text: "x" });
    const first = await listMailbox(db, { page: 1, perPage: 2 });
    expect(first).toMatchObject({ total: 4, page: 1, pageCount: 2 });
    expect(first.messages.map((m) => m.subject)).toEqual(["Note 2", "Note 1"]);
    const beyond = await listMailbox(db, { page: 9, perPage: 2 });
    expect(beyond.page).toBe(2);
    expect(beyond.messages.map((m) => m.subject)).toEqual(["Note 0", "Jo has invited you to Demarche"]);
  });

  it("finds only http and https links in text", () => {
    expect(linksInText("Open https://a.example/x?y=1, or http://b.example/. Not javascript:alert(1) nor ftp://c.example")).toEqual([
      "https://a.example/x?y=1",
      "http://b.example/",
    ]);
  });
});
