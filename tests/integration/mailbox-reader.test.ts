// Reading a real mailbox (issue 12): Debian's Dovecot on 127.0.0.1, our reader over IMAP
// (imapflow), the app's migrated SQLite file. What is in the mailbox is stored once and
// applied (a bounce marks its letter bounced); a second read fetches nothing; a message
// over the size limit is cut and says so; a recreated mailbox (new UIDVALIDITY) is read
// again without storing anything twice; a wrong password is an error, not a crash.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { DB } from "~/platform/db.server";
import { parseEnv, type ImapSettings } from "~/platform/env.server";
import { insertDispatches } from "~/models/outbox/queue.server";
import { tokenOfMessageId } from "~/models/outbox/envelope.server";
import { RAW_LIMIT } from "~/models/inbound/record.server";
import { readMailboxOnce, watchMailbox } from "~/jobs/mailbox-reader.server";
import { migratedDb } from "../setup/db";
import { describeWithImap, startImapServer, type ImapServer } from "../setup/imap";
import { bounceFor, crlf, noticeDispatch, plainMail } from "../setup/inbound-mail";

let db: DB;
let imap: ImapServer;
const settingsOf = (server: ImapServer, label?: string): ImapSettings => ({ ...parseEnv({ IMAP_URL: server.url }).imap!, ...(label ? { label } : {}) });

describeWithImap("reading a mailbox over IMAP", () => {
  beforeAll(async () => {
    db = await migratedDb();
    imap = await startImapServer();
  });
  afterAll(async () => imap?.stop());

  it("stores what is new once, applies bounces, and reads nothing twice", async () => {
    const dispatch = await noticeDispatch(db, insertDispatches, "reader:1");
    const token = tokenOfMessageId(dispatch.message_id)!;
    const huge = crlf(`From: someone@elsewhere.example\nTo: demarche@coalition.example\nSubject: A very large message\nMessage-ID: <huge@elsewhere.example>\n\n`) ;
    await imap.appendMany([
      bounceFor(token, "5.1.1", "<bounce-1@relay.example>"),
      plainMail("<stranger-1@elsewhere.example>", "Hello"),
      Buffer.concat([huge, Buffer.alloc(RAW_LIMIT + 500_000, "a")]),
    ]);
    const settings = settingsOf(imap);
    const first = await readMailboxOnce(db, settings);
    expect(first).toMatchObject({ fetched: 3, stored: 3, lastUid: 3 });
    const d = await db.selectFrom("dispatches").selectAll().where("id", "=", dispatch.id).executeTakeFirstOrThrow();
    expect(d.delivery).toBe("bounced");
    const rows = await db.selectFrom("inbound_messages").select(["uid", "kind", "raw_truncated", "mailbox"]).where("mailbox", "=", settings.label).orderBy("uid").execute();
    expect(rows.map((r) => r.kind)).toEqual(["bounce", "unmatched", "unmatched"]);
    expect(rows[2].raw_truncated).toBe(1);
    expect(settings.label).not.toContain(imap.password);

    expect(await readMailboxOnce(db, settings)).toMatchObject({ fetched: 0, stored: 0, lastUid: 3 });
    await imap.append(plainMail("<stranger-2@elsewhere.example>", "Second"));
    expect(await readMailboxOnce(db, settings)).toMatchObject({ fetched: 1, stored: 1, lastUid: 4 });
  });

  it("reads a recreated mailbox (new UIDVALIDITY) again, storing nothing twice", async () => {
    const other = await startImapServer();
    try {
      const label = "shared-label";
      await imap.append(plainMail("<again-1@elsewhere.example>", "Again"));
      const before = await readMailboxOnce(db, { ...settingsOf(imap), label });
      // The same messages in a mailbox with another UIDVALIDITY, under the same name. Dovecot
      // takes UIDVALIDITY from the clock in seconds: create the mailbox a second later.
      while (Math.floor(Date.now() / 1000) <= before.uidValidity) await new Promise((r) => setTimeout(r, 100));
      await other.appendMany([plainMail("<again-1@elsewhere.example>", "Again"), plainMail("<again-2@elsewhere.example>", "New")]);
      const after = await readMailboxOnce(db, { ...settingsOf(other), label });
      expect(after.uidValidity).not.toBe(before.uidValidity);
      expect(after).toMatchObject({ fetched: 2, stored: 1, lastUid: 2 });
    } finally {
      await other.stop();
    }
  });

  it("a wrong password is reported and tried again, never a crash", async () => {
    const errors: unknown[] = [];
    const stop = watchMailbox(db, { ...settingsOf(imap), password: "wrong" }, { intervalMs: 60_000, onError: (e) => errors.push(e) });
    await expect.poll(() => errors.length, { timeout: 10_000 }).toBe(1);
    stop();
    await expect(readMailboxOnce(db, { ...settingsOf(imap), password: "wrong" })).rejects.toThrow();
  });
});
