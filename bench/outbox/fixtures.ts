// The message every bench message copies: the demo Norway letter as a member would send
// it (planLetterMessage: From, Reply-To, To, Cc, the rendered covering email, the PDF
// attachment's name), on a fresh database: migrations, the demo seed, the letter's PDF
// rendered by the app's own job runner (runPdfJobsUntilIdle).
import fs from "node:fs";
import { migrateToLatest, openDatabase } from "../../db/connection";
import { seedIfEmpty, DEMO_COORDINATOR_EMAIL } from "../../app/workflows/seed/index.server";
import type { StoredAddress } from "../../db/schema";
import { runPdfJobsUntilIdle } from "../../app/models/letter-pdf-job.server";
import { planLetterMessage } from "../../app/models/letter-message-plan.server";
import { newMessageId, type NewDispatch } from "../../app/models/outbox/queue.server";
import { closePdfPool } from "../../app/platform/letter-pdf-pool.server";
import { closeTransport, type OutgoingMail } from "../../app/platform/mail-transport.server";

export interface BenchLetter {
  letterId: number;
  fingerprint: string;
  statementId: number;
  countryCode: string;
  organisationId: number;
  coordinatorId: number;
  from: StoredAddress;
  replyTo: StoredAddress | null;
  to: StoredAddress[];
  cc: StoredAddress[];
  subject: string;
  html: string;
  text: string;
  attachmentFilename: string;
  pdf: Buffer;
  /** Anything planLetterMessage would have refused the send for (reported, not fatal). */
  problems: string[];
}

/** Creates `file` (migrated, seeded, the demo letter's PDF rendered) and returns the letter's message. */
export async function createTemplateDatabase(file: string): Promise<BenchLetter> {
  fs.rmSync(file, { force: true });
  const db = openDatabase(file);
  try {
    await migrateToLatest(db);
    await seedIfEmpty(db, { DEMO_PASSWORD: "bench-outbox-password", DEMO_API_TOKEN: undefined });
    const pdfs = await runPdfJobsUntilIdle(db);
    if (pdfs.failed) throw new Error(`${pdfs.failed} PDF job(s) failed`);
    const coordinator = await db.selectFrom("users").select(["id", "email", "name", "role", "organisation_id"]).where("email", "=", DEMO_COORDINATOR_EMAIL).executeTakeFirstOrThrow();
    const letter = await db.selectFrom("letters").select("id").where("country_code", "=", "NO").executeTakeFirstOrThrow();
    const plan = await planLetterMessage(db, coordinator, letter.id);
    if (typeof plan === "number") throw new Error(`planLetterMessage answered ${plan}`);
    const pdf = await db.selectFrom("letter_pdfs").select(["pdf", "fingerprint", "status"]).where("letter_id", "=", letter.id).executeTakeFirstOrThrow();
    if (pdf.status !== "ready" || !pdf.pdf || pdf.fingerprint !== plan.fingerprint) throw new Error(`the demo letter's PDF is not ready (${pdf.status})`);
    return {
      letterId: plan.letterId,
      fingerprint: plan.fingerprint,
      statementId: plan.statementId,
      countryCode: plan.countryCode,
      organisationId: plan.organisationId,
      coordinatorId: coordinator.id,
      from: plan.from,
      replyTo: plan.replyTo,
      to: plan.to,
      cc: plan.cc,
      subject: plan.subject,
      html: plan.html,
      text: plan.text,
      attachmentFilename: plan.attachment.filename,
      pdf: Buffer.from(pdf.pdf),
      problems: plan.problems,
    };
  } finally {
    closeTransport(); // planLetterMessage asked for the app's transport (to learn the mode)
    await closePdfPool();
    await db.destroy();
  }
}

/** `n` dispatch rows of the letter: distinct dedupe keys (and, from insertDispatches, Message-IDs). */
export function dispatchRows(letter: BenchLetter, n: number, runTag: string): NewDispatch[] {
  return Array.from({ length: n }, (_, i) => ({
    dedupeKey: `bench-outbox:${runTag}:${i}`,
    kind: "letter" as const,
    letterId: letter.letterId,
    letterFingerprint: letter.fingerprint,
    statementId: letter.statementId,
    countryCode: letter.countryCode,
    organisationId: letter.organisationId,
    bulkId: `bench-outbox:${runTag}`,
    mode: "smtp" as const,
    from: letter.from,
    replyTo: letter.replyTo,
    to: letter.to,
    cc: letter.cc,
    subject: letter.subject,
    html: letter.html,
    text: letter.text,
    attachmentFilename: letter.attachmentFilename,
    queuedBy: letter.coordinatorId,
  }));
}

/** The same message as the worker builds it from a row (see dispatch-worker.server.ts), with its own Message-ID. */
export function directMails(letter: BenchLetter, n: number): OutgoingMail[] {
  const attachments = [{ filename: letter.attachmentFilename, contentType: "application/pdf", content: letter.pdf }];
  return Array.from({ length: n }, () => ({
    from: letter.from,
    replyTo: letter.replyTo ?? undefined,
    to: letter.to,
    cc: letter.cc,
    subject: letter.subject,
    html: letter.html,
    text: letter.text,
    attachments,
    messageId: newMessageId(),
  }));
}
