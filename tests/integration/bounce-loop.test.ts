// The whole loop for a bounce (issue 12): the demo letter to Norway goes out through the
// outbox over real SMTP (smtp-server on 127.0.0.1), a hard bounce for its addressee and a
// soft one for a copy arrive in a real IMAP mailbox (Dovecot) addressed to the message's
// VERP sender through a real SMTP hop (our bounce domain's mail exchanger, which delivers
// into the mailbox), the reader reads them: the message shows bounced with the reason, the
// addressee is flagged bouncing, coverage names it, and the letter warns before sending
// again, offering the fallback named for that recipient.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { DB } from "~/platform/db.server";
import { parseEnv } from "~/platform/env.server";
import type { SessionUser } from "~/platform/session.server";
import { readMailboxOnce } from "~/jobs/mailbox-reader.server";
import { planLetterMessage } from "~/models/letter-message-plan.server";
import { sendLetter } from "~/models/letter-sending.server";
import { tokenOfMessageId } from "~/models/outbox/envelope.server";
import { bouncingIn } from "~/models/letter-recipients.server";
import { coverageOn } from "~/models/coverage.server";
import { todayUtc } from "~/models/country.server";
import { describeWithImap, startImapServer, type ImapServer } from "../setup/imap";
import { bounceFor, sendRaw, startMailExchanger } from "../setup/inbound-mail";
import type { TestSmtp } from "../setup/smtp";
import { startLetterOutbox, type LetterOutbox } from "../setup/letter-outbox";

let db: DB;
let smtp: TestSmtp;
let exchanger: TestSmtp;
let imap: ImapServer;
let outbox: LetterOutbox;
let coordinator: SessionUser;

describeWithImap("a bounce, from the outbox to the letter form", () => {
  beforeAll(async () => {
    [outbox, imap] = await Promise.all([startLetterOutbox(), startImapServer()]);
    ({ db, smtp, coordinator } = outbox);
    exchanger = await startMailExchanger(imap);
  });

  afterAll(async () => {
    await outbox?.stop();
    await exchanger?.close();
    await imap?.stop();
  });

  it("marks the message bounced, flags the address, and warns in the letter with the fallback", async () => {
    const letter = await db.selectFrom("letters").selectAll().executeTakeFirstOrThrow();
    const plan = await planLetterMessage(db, coordinator, letter.id);
    if (typeof plan === "number") throw new Error(String(plan));
    const addressee = plan.to[0].address;
    const copy = plan.cc[0]?.address;
    // The embassy is named as the minister's fallback before anything bounces.
    const recipients = await db.selectFrom("recipients").select(["id", "email"]).where("country_code", "=", letter.country_code).execute();
    const minister = recipients.find((r) => r.email === addressee)!;
    const other = recipients.find((r) => r.email && r.email !== addressee)!;
    await db.updateTable("recipients").set({ fallback_recipient_id: other.id }).where("id", "=", minister.id).execute();

    const id = await sendLetter(db, coordinator, { actor: { id: coordinator.id, email: coordinator.email }, ip: null }, letter.id, plan.digest);
    await expect.poll(async () => (await db.selectFrom("dispatches").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status, { timeout: 15_000 }).toBe("sent");
    const row = await db.selectFrom("dispatches").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    const token = tokenOfMessageId(row.message_id)!;
    const envelope = smtp.envelopes[smtp.messages.findIndex((m) => m.messageId === row.message_id)];
    expect(envelope.from).toMatch(new RegExp(`^bounces\\+${token}@`));

    // What the relay sends back goes to that envelope sender, over SMTP, into the mailbox.
    const hard = bounceFor(token, "5.1.1", "<loop-hard@relay.example>").toString().replace("minister@mfa.example", addressee);
    const raws = [Buffer.from(hard)];
    if (copy) raws.push(Buffer.from(bounceFor(token, "4.4.7", "<loop-soft@relay.example>").toString().replace("minister@mfa.example", copy)));
    for (const raw of raws) await sendRaw(exchanger.port, raw, [envelope.from!]);
    expect(exchanger.messages).toHaveLength(raws.length);
    expect(await readMailboxOnce(db, parseEnv({ IMAP_URL: imap.url }).imap!)).toMatchObject({ stored: raws.length });

    const after = await db.selectFrom("dispatches").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(after).toMatchObject({ status: "sent", delivery: "bounced", delivery_detail: "5.1.1 550 5.1.1 User unknown" });

    const coverage = (await coverageOn(db, todayUtc(), todayUtc())).groups.flatMap((g) => g.rows).find((r) => r.code === letter.country_code)!;
    expect(coverage.gaps.some((g) => g.kind === "bouncing")).toBe(true);

    const warned = await bouncingIn(db, letter);
    expect(warned.map((b) => b.address)).toEqual([addressee]);
    expect(warned[0].status).toMatchObject({ state: "bouncing", hard: true });
    expect(warned[0].fallback).toMatchObject({ id: other.id, email: other.email });
  });
});
