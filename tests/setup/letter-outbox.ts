// The demo campaign sending over real SMTP, for tests of what happens after a letter goes
// out: smtp-server on 127.0.0.1 as the relay, the app's migrated database with the demo
// loaded and its PDFs rendered, a coordinator, and the sending worker running.
import type { DB } from "~/platform/db.server";
import type { SessionUser } from "~/platform/session.server";
import { closeTransport } from "~/platform/mail-transport.server";
import { startDispatchWorker } from "~/jobs/dispatch-worker.server";
import { runPdfJobsUntilIdle } from "~/models/letter-pdf-job.server";
import { seedIfEmpty } from "../../app/workflows/seed/index.server";
import { createUser } from "../factories";
import { migratedDb } from "./db";
import { startTestSmtp, type TestSmtp } from "./smtp";

export interface LetterOutbox {
  db: DB;
  smtp: TestSmtp;
  coordinator: SessionUser;
  stop(): Promise<void>;
}

/** `env` is set before anything reads the environment (it is read once, at the first loadEnv()). */
export async function startLetterOutbox(env: Record<string, string> = {}): Promise<LetterOutbox> {
  const smtp = await startTestSmtp();
  Object.assign(process.env, { SMTP_URL: smtp.url, ...env });
  const db = await migratedDb();
  await seedIfEmpty(db, { DEMO_PASSWORD: "letter-outbox-password", DEMO_API_TOKEN: undefined });
  await runPdfJobsUntilIdle(db);
  const user = await createUser(db, { role: "coordinator", email: "outbox-coordinator@example.org" });
  const coordinator: SessionUser = { id: user.id, email: user.email, name: user.name, role: user.role, organisation_id: null };
  const worker = startDispatchWorker(db, { ratePerMinute: 0, pollMs: 20, log: () => undefined });
  return {
    db, smtp, coordinator,
    async stop() {
      await worker.stop();
      closeTransport();
      await smtp.close();
    },
  };
}
