// The second way to set up replies (issue 12): REPLY_DOMAIN. A letter goes out over real
// SMTP (smtp-server on 127.0.0.1) asking for replies at reply+<token>@REPLY_DOMAIN in the
// organisation's name; the ministry's answer to that address is recorded as the state's
// reply and forwarded in full to the organisation's address, answerable straight to the
// ministry, through the same outbox.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { DB } from "~/platform/db.server";
import type { TestSmtp } from "../setup/smtp";
import { startLetterOutbox, type LetterOutbox } from "../setup/letter-outbox";
import { crlf } from "../setup/inbound-mail";
import { tokenOfMessageId } from "~/models/outbox/envelope.server";
import { planLetterMessage } from "~/models/letter-message-plan.server";
import { sendLetter } from "~/models/letter-sending.server";
import { countryOutreach } from "~/models/outreach.server";
import { receiveInbound } from "~/workflows/inbound-mail.server";
import type { SessionUser } from "~/platform/session.server";

let db: DB;
let smtp: TestSmtp;
let outbox: LetterOutbox;
let coordinator: SessionUser;

beforeAll(async () => {
  outbox = await startLetterOutbox({ REPLY_DOMAIN: "replies.coalition.example" });
  ({ db, smtp, coordinator } = outbox);
});

afterAll(async () => {
  await outbox?.stop();
});

const until = async <T>(what: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await what();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 25));
  }
};

it("asks for replies at the reply address, records the answer and forwards it in full", async () => {
  const letter = await db.selectFrom("letters").selectAll().executeTakeFirstOrThrow();
  const plan = await planLetterMessage(db, coordinator, letter.id);
  if (typeof plan === "number") throw new Error(String(plan));
  const organisationReplyTo = plan.replyTo!;
  const id = await sendLetter(db, coordinator, { actor: { id: coordinator.id, email: coordinator.email }, ip: null }, letter.id, plan.digest);
  const row = await until(async () => {
    const r = await db.selectFrom("dispatches").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    return r.status === "sent" ? r : undefined;
  });
  const token = tokenOfMessageId(row.message_id)!;
  const sent = smtp.messages.find((m) => m.messageId === row.message_id)!;
  expect(sent.replyTo?.value[0]).toEqual({ name: organisationReplyTo.name, address: `reply+${token}@replies.coalition.example` });
  // What is stored still names the organisation's own address: forwards go there.
  expect(JSON.parse(row.reply_to_json!)).toEqual(organisationReplyTo);

  const answer = crlf(`From: Utenriksministeren <postmottak@mfa.example.no>
To: "${organisationReplyTo.name}" <reply+${token}@replies.coalition.example>
Subject: Svar: ${row.subject}
Message-ID: <svar-1@mfa.example.no>
Date: Tue, 08 Dec 2026 10:00:00 +0100

Thank you for your letter. ${"Norway supports the Court. ".repeat(40)}
The end.
`);
  const recorded = await receiveInbound(db, answer, { mailbox: "replies", uidValidity: 1, uid: 1 });
  expect(recorded.classified).toMatchObject({ kind: "reply", via: "reply-address" });
  expect((await countryOutreach(db, row.statement_id!, row.country_code!)).status).toBe("replied");

  const forward = await until(async () => smtp.messages.find((m) => m.subject?.includes("replied to your letter")));
  expect(forward.to && !Array.isArray(forward.to) ? forward.to.value[0].address : null).toBe(organisationReplyTo.address);
  expect(forward.replyTo?.value[0].address).toBe("postmottak@mfa.example.no");
  expect(forward.text).toContain("here it is in full");
  expect(forward.text).toContain("The end."); // in full: beyond the excerpt's 600 characters
});
