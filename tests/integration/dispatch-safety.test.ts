// What keeps a message from going out twice when the database or a second process gets
// in the way: an outcome that cannot be stored, a hand-off mark that cannot be stored,
// two workers on one database, and a lock left behind by a process that died.
import os from "node:os";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import type { DB } from "~/platform/db.server";
import { startTestSmtp, type TestSmtp } from "../setup/smtp";
import { migratedDb } from "../setup/db";
import { seedIfEmpty } from "../../app/workflows/seed/index.server";
import { createSmtpTransport, type MailTransport } from "~/platform/mail-transport.server";
import { startDispatchWorker, type DispatchWorker, type DispatchWorkerOptions } from "~/jobs/dispatch-worker.server";
import { acquireWorkerLock } from "~/models/outbox/worker-lock.server";
import { insertDispatches, type NewDispatch } from "~/models/outbox/queue.server";
import { markHanded, recoverDispatches } from "~/models/outbox/claims.server";
import { createOrganisation } from "../factories";

let db: DB;
let smtp: TestSmtp;
let transport: MailTransport;
let base: NewDispatch;
let n = 0;
const workers: DispatchWorker[] = [];
const logs: string[] = [];

beforeAll(async () => {
  smtp = await startTestSmtp();
  transport = { mode: "smtp", transporter: createSmtpTransport(smtp.url) };
  db = await migratedDb();
  await seedIfEmpty(db, { DEMO_PASSWORD: "dispatch-safety-password", DEMO_API_TOKEN: undefined });
  const statement = await db.selectFrom("statements").select("id").executeTakeFirstOrThrow();
  const org = await createOrganisation(db, { name: "Safety NGO", contact_email: "safety@ngo.example" });
  base = {
    dedupeKey: "", kind: "letter", letterId: null, letterFingerprint: null, statementId: statement.id, countryCode: "NO", organisationId: org.id,
    mode: "smtp", from: { name: "Safety NGO via Demarche", address: "demarche@example.org" }, replyTo: null,
    to: [{ name: "Ministry", address: "ministry@example.gov" }], cc: [], subject: "Letter", html: "<p>Letter</p>", text: "Letter",
    attachmentFilename: null, queuedBy: null, messageIdDomain: "example.org",
  };
});

afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
  await sql`drop trigger if exists fail_write`.execute(db);
  logs.length = 0;
});

afterAll(async () => {
  transport.transporter.close();
  await smtp.close();
});

function start(options: DispatchWorkerOptions = {}) {
  const worker = startDispatchWorker(db, { transport, ratePerMinute: 0, pollMs: 20, retryBaseMs: 20, leaseMs: 600, log: (line) => logs.push(line), onError: () => undefined, ...options });
  workers.push(worker);
  return worker;
}
const queue = (count: number) => insertDispatches(db, Array.from({ length: count }, () => ({ ...base, dedupeKey: `safety:${++n}` })));
const rows = (ids: number[]) => db.selectFrom("dispatches").selectAll().where("id", "in", ids).orderBy("id").execute();
const arrived = (messageId: string) => smtp.messages.filter((m) => m.messageId === messageId).length;
async function until(check: () => Promise<boolean>, what: string, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("when the database will not store what happened", () => {
  it("a delivered message whose 'sent' cannot be stored is never sent again; the next start marks it uncertain", async () => {
    const [id] = await queue(1);
    await sql.raw(`create trigger fail_write before update of status on dispatches when new.status = 'sent' and old.id = ${id} begin select raise(abort, 'disk trouble'); end`).execute(db);
    start();
    const [{ message_id }] = await rows([id]);
    await until(async () => arrived(message_id) === 1, "the delivery");
    await new Promise((r) => setTimeout(r, 2500)); // the worker retries the write (0.1 + 0.4 + 1.6 s) and gives up
    const [stuck] = await rows([id]);
    expect(stuck.status).toBe("sending");
    expect(stuck.handed_at).not.toBeNull();
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    await sql`drop trigger fail_write`.execute(db);
    expect(await recoverDispatches(db)).toEqual({ requeued: 0, uncertain: 1 });
    expect(arrived(message_id)).toBe(1);
  });

  it("a message whose hand-off mark cannot be stored goes back to the queue unsent, then out once", async () => {
    const [id] = await queue(1);
    await sql.raw(`create trigger fail_write before update of handed_at on dispatches when old.id = ${id} begin select raise(abort, 'disk trouble'); end`).execute(db);
    start();
    const [{ message_id }] = await rows([id]);
    await new Promise((r) => setTimeout(r, 300));
    expect(arrived(message_id)).toBe(0);
    expect((await rows([id]))[0].status).toBe("queued");
    await sql`drop trigger fail_write`.execute(db);
    await until(async () => (await rows([id]))[0].status === "sent", "the send");
    expect(arrived(message_id)).toBe(1);
  });
});

describe("one worker per database", () => {
  it("a second worker waits while the first holds the queue, and takes over when it stops", async () => {
    const first = start();
    await until(async () => (await db.selectFrom("dispatch_worker_lock").select("owner").executeTakeFirst()) !== undefined, "the first lock");
    const second = start();
    await until(async () => logs.some((l) => l.includes("another process is sending")), "the second worker to wait");
    const early = await queue(3);
    await until(async () => (await rows(early)).every((r) => r.status === "sent"), "the first worker's sends");
    await first.stop();
    workers.splice(workers.indexOf(first), 1);
    const late = await queue(2);
    await until(async () => (await rows(late)).every((r) => r.status === "sent"), "the second worker's sends");
    for (const r of await rows([...early, ...late])) expect(arrived(r.message_id)).toBe(1);
    await second.stop();
    workers.splice(workers.indexOf(second), 1);
    expect(await db.selectFrom("dispatch_worker_lock").selectAll().execute()).toEqual([]);
  });

  it("a worker that does not hold the lock cannot mark a message handed", async () => {
    expect(await acquireWorkerLock(db, "holder:1:a", { leaseMs: 60_000, isRunning: () => true })).toBe(true);
    const [id] = await queue(1);
    await db.updateTable("dispatches").set({ status: "sending" }).where("id", "=", id).execute();
    expect(await markHanded(db, "intruder:2:b", id)).toBe(false);
    expect(await markHanded(db, "holder:1:a", id)).toBe(true);
    expect(await acquireWorkerLock(db, "intruder:2:b", { leaseMs: 60_000, isRunning: () => true })).toBe(false);
    await db.deleteFrom("dispatch_worker_lock").execute();
    await db.updateTable("dispatches").set({ status: "cancelled" }).where("id", "=", id).execute();
  });

  it("takes over at once from a process of this machine that no longer runs, and after the lease from any other", async () => {
    const now = new Date().toISOString();
    await db.insertInto("dispatch_worker_lock").values({ id: 1, owner: `${os.hostname()}:2147483646:dead`, heartbeat_at: now }).execute();
    expect(await acquireWorkerLock(db, "me:1:x", { leaseMs: 60_000 })).toBe(true);
    await db.updateTable("dispatch_worker_lock").set({ owner: "elsewhere:1:y", heartbeat_at: now }).execute();
    expect(await acquireWorkerLock(db, "me:1:x", { leaseMs: 60_000 })).toBe(false);
    await db.updateTable("dispatch_worker_lock").set({ heartbeat_at: new Date(Date.now() - 61_000).toISOString() }).execute();
    expect(await acquireWorkerLock(db, "me:1:x", { leaseMs: 60_000 })).toBe(true);
    await db.deleteFrom("dispatch_worker_lock").execute();
  });
});
