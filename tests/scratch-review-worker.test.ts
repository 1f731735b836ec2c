import { afterAll, beforeAll, expect, it } from "vitest";
import { sql } from "kysely";
import type { DB } from "~/services/db.server";
import { startTestSmtp, type TestSmtp } from "./setup/smtp";
import { migratedDb } from "./setup/db";
import { seedIfEmpty } from "../db/seed/index";
import { closeTransport } from "~/services/mailer.server";
import { startDispatchWorker } from "~/services/dispatch-worker.server";
import { insertDispatches, recoverDispatches, type NewDispatch } from "~/models/dispatch-queue.server";
import { planLetterMessage } from "~/models/letter-sending.server";
import { runPdfJobsUntilIdle } from "~/models/letter-pdf-job.server";
import { createUser } from "./factories";

let db: DB; let smtp: TestSmtp; let template: NewDispatch;
let delay = 0;
beforeAll(async () => {
  smtp = await startTestSmtp({ onData: () => new Promise((r) => setTimeout(r, delay)) });
  process.env.SMTP_URL = smtp.url;
  db = await migratedDb();
  await seedIfEmpty(db, { DEMO_PASSWORD: "dispatch-worker-password", DEMO_API_TOKEN: undefined });
  await runPdfJobsUntilIdle(db);
  const user = await createUser(db, { role: "coordinator", email: "c@example.org" });
  const coordinator = { id: user.id, email: user.email, name: user.name, role: user.role, organisation_id: null } as any;
  const letter = await db.selectFrom("letters").selectAll().executeTakeFirstOrThrow();
  const plan = await planLetterMessage(db, coordinator, letter.id);
  if (typeof plan === "number") throw new Error("x");
  template = { dedupeKey: "", kind: "test", letterId: plan.letterId, letterFingerprint: plan.fingerprint, statementId: plan.statementId,
    countryCode: plan.countryCode, organisationId: plan.organisationId, mode: "smtp", from: plan.from, replyTo: plan.replyTo,
    to: [{ name: "M", address: "ministry@example.gov" }], cc: [], subject: plan.subject, html: plan.html, text: plan.text,
    attachmentFilename: plan.attachment.filename, queuedBy: coordinator.id, messageIdDomain: "example.org" };
});
afterAll(async () => { closeTransport(); await smtp.close(); });

async function settled(ids: number[]) {
  for (let i = 0; i < 400; i++) {
    const rows = await db.selectFrom("dispatches").selectAll().where("id", "in", ids).execute();
    if (rows.every((r) => !["queued", "sending"].includes(r.status))) return rows;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("not settled");
}

it("a failed write of the 'sent' outcome re-queues a delivered message: it reaches the ministry twice", async () => {
  // Simulate a transient write failure (SQLITE_BUSY / disk full) on the first 'sent' write only.
  await sql`create trigger scratch_fail before update of status on dispatches when NEW.status = 'sent' and OLD.attempts = 1 begin select raise(abort, 'database is locked'); end`.execute(db);
  const [id] = await insertDispatches(db, [{ ...template, dedupeKey: "scratch:1" }]);
  const errors: unknown[] = [];
  const w = startDispatchWorker(db, { ratePerMinute: 0, pollMs: 20, retryBaseMs: 40, maxAttempts: 4, log: () => {}, onError: (e) => errors.push(e) });
  const [row] = await settled([id]);
  await w.stop();
  await sql`drop trigger scratch_fail`.execute(db);
  const arrivals = smtp.messages.filter((m) => m.messageId === row.message_id).length;
  console.log("status", row.status, "attempts", row.attempts, "arrivals", arrivals, "last_error", row.last_error);
  expect(arrivals).toBe(2); // proves the defect
});

it("a second process starting (rolling deploy) while the first has messages in flight: both send", async () => {
  delay = 300;
  const ids = await insertDispatches(db, Array.from({ length: 6 }, (_, i) => ({ ...template, dedupeKey: `scratch:two:${i}` })));
  const w = startDispatchWorker(db, { ratePerMinute: 0, pollMs: 20, concurrency: 6, log: () => {} });
  await new Promise((r) => setTimeout(r, 100)); // all 6 claimed, handed, waiting on server
  const rec = await recoverDispatches(db); // what the new process does at start
  console.log("recovered", rec);
  delay = 0;
  await w.stop();
  const rows = await db.selectFrom("dispatches").selectAll().where("id", "in", ids).execute();
  const arrived = rows.map((r) => smtp.messages.filter((m) => m.messageId === r.message_id).length);
  console.log("statuses", rows.map((r) => r.status), "arrivals", arrived);
});
