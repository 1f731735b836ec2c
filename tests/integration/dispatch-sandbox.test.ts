// In sandbox mode (no SMTP_URL) the worker sends through the same path, into the
// Mailbox: the dispatch row points at the captured message, which holds exactly what
// the confirmation showed. Nothing leaves the machine.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { DB } from "~/platform/db.server";
import { migratedDb } from "../setup/db";
import { seedIfEmpty } from "../../app/workflows/seed/index.server";
import { startDispatchWorker } from "~/jobs/dispatch-worker.server";
import { planLetterMessage } from "~/models/letter-message-plan.server";
import { sendLetter, sendTestMessage } from "~/models/letter-sending.server";
import { runPdfJobsUntilIdle } from "~/models/letter-pdf-job.server";
import { letterStatusWords, sendingStatusByLetter } from "~/models/outbox/messages.server";
import type { SessionUser } from "~/platform/session.server";
import { createUser } from "../factories";

let db: DB;
let member: SessionUser;
let worker: ReturnType<typeof startDispatchWorker>;

beforeAll(async () => {
  db = await migratedDb();
  await seedIfEmpty(db, { DEMO_PASSWORD: "dispatch-sandbox-password", DEMO_API_TOKEN: undefined });
  await runPdfJobsUntilIdle(db);
  const nhc = await db.selectFrom("organisations").select("id").where("name", "=", "Norwegian Helsinki Committee").executeTakeFirstOrThrow();
  const user = await createUser(db, { role: "member", organisationId: nhc.id, email: "member@nhc.example" });
  member = { id: user.id, email: user.email, name: user.name, role: user.role, organisation_id: nhc.id };
  worker = startDispatchWorker(db, { ratePerMinute: 0, pollMs: 20, log: () => undefined });
});

afterAll(() => worker.stop());

async function settled(id: number) {
  for (let i = 0; i < 400; i++) {
    const row = await db.selectFrom("dispatches").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    if (!["queued", "sending"].includes(row.status)) return row;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("not settled");
}

it("captures a member's letter in the Mailbox with its PDF, addressed as confirmed", async () => {
  const letter = await db.selectFrom("letters").selectAll().executeTakeFirstOrThrow();
  const plan = await planLetterMessage(db, member, letter.id);
  if (typeof plan === "number") throw new Error(String(plan));
  expect(plan.mode).toBe("sandbox");
  expect(letterStatusWords((await sendingStatusByLetter(db, [letter.id])).get(letter.id), false)).toBe("draft");
  const row = await settled(await sendLetter(db, member, { actor: member, ip: null }, letter.id, plan.digest));
  expect(row.status).toBe("sent");
  expect(row.mailbox_id).not.toBeNull();
  // The letter now reads as sent, on the day its message was accepted.
  expect(letterStatusWords((await sendingStatusByLetter(db, [letter.id])).get(letter.id), false)).toBe(`sent ${row.sent_at!.slice(0, 10)}`);
  const mail = await db.selectFrom("mailbox_messages").selectAll().where("id", "=", row.mailbox_id!).executeTakeFirstOrThrow();
  expect(mail.message_id).toBe(row.message_id);
  expect(mail.to_addresses).toBe("Espen Barth Eide <post@mfa.no>");
  expect(mail.cc_addresses).toContain("Emilie Enger Mehl <postmottak@jd.dep.no>");
  expect(mail.reply_to).toBe("Norwegian Helsinki Committee <nhc@nhc.no>");
  expect(mail.subject).toBe(plan.subject);
  const attachments = await db.selectFrom("mailbox_attachments").select(["filename", "content_type", "content"]).where("message_id", "=", mail.id).execute();
  expect(attachments.map((a) => [a.filename, a.content_type])).toEqual([[plan.attachment.filename, "application/pdf"]]);
  expect(Buffer.from(attachments[0].content).subarray(0, 5).toString()).toBe("%PDF-");
});

it("sends a test only to the signed-in person, and it does not count as the letter being sent", async () => {
  const letter = await db.selectFrom("letters").selectAll().executeTakeFirstOrThrow();
  const row = await settled(await sendTestMessage(db, member, { actor: member, ip: null }, letter.id));
  expect(row.kind).toBe("test");
  // A test never makes the letter look sent (or unsent): only letter messages count.
  expect((await sendingStatusByLetter(db, [letter.id])).get(letter.id)?.status).toBe("sent");
  expect(letterStatusWords({ status: "failed", at: "2025-01-14T10:00:00Z" }, true)).toBe("failed");
  expect(letterStatusWords({ status: "cancelled", at: "2025-01-14T10:00:00Z" }, true)).toBe("approved");
  const mail = await db.selectFrom("mailbox_messages").selectAll().where("id", "=", row.mailbox_id!).executeTakeFirstOrThrow();
  expect(mail.to_addresses).toBe(`${member.name} <member@nhc.example>`);
  expect(mail.cc_addresses).toBe("");
  expect(mail.subject.startsWith("[Test] ")).toBe(true);
});
