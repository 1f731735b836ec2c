// The sending worker against a real SMTP server (smtp-server on 127.0.0.1), sometimes
// behind a TCP proxy that breaks the connection: what arrives, temporary and permanent
// refusals, dropped and hanging connections, pause/resume/cancel, the pace, and a worker
// process killed with SIGKILL mid-batch then started again.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~/platform/db.server";
import { type SmtpEnvelope, type SmtpReply, startTestSmtp, type TestSmtp } from "../setup/smtp";
import { startTcpProxy } from "../setup/tcp-proxy";
import { migratedDb } from "../setup/db";
import { seedIfEmpty } from "../../app/workflows/seed/index.server";
import { closeTransport, createSmtpTransport, type MailTransport } from "~/platform/mail-transport.server";
import { startDispatchWorker, type DispatchWorker, type DispatchWorkerOptions } from "~/jobs/dispatch-worker.server";
import { insertDispatches, type NewDispatch } from "~/models/outbox/queue.server";
import { recoverDispatches } from "~/models/outbox/claims.server";
import { tokenOfEnvelopeSender, tokenOfMessageId } from "~/models/outbox/envelope.server";
import { loadEnv } from "~/platform/env.server";
import { planLetterMessage } from "~/models/letter-message-plan.server";
import { sendLetter } from "~/models/letter-sending.server";
import { cancelQueued, pauseSending, resolveUncertain, resumeSending } from "~/models/outbox/messages.server";
import { runPdfJobsUntilIdle } from "~/models/letter-pdf-job.server";
import type { SessionUser } from "~/platform/session.server";
import { createUser } from "../factories";
import { hasTools } from "../setup/poppler";

let db: DB;
let smtp: TestSmtp;
let behaviour: (raw: Buffer, envelope: SmtpEnvelope, attempt: number) => SmtpReply | Promise<SmtpReply> = () => undefined;
let coordinator: SessionUser;
let template: NewDispatch;
let counter = 0;
const workers: DispatchWorker[] = [];
const ctx = () => ({ actor: { id: coordinator.id, email: coordinator.email }, ip: null });

const hasPoppler = hasTools("pdftotext");

beforeAll(async () => {
  smtp = await startTestSmtp({ onData: (raw, envelope, attempt) => behaviour(raw, envelope, attempt) });
  process.env.SMTP_URL = smtp.url;
  db = await migratedDb();
  await seedIfEmpty(db, { DEMO_PASSWORD: "dispatch-worker-password", DEMO_API_TOKEN: undefined });
  await runPdfJobsUntilIdle(db);
  const user = await createUser(db, { role: "coordinator", email: "worker-coordinator@example.org" });
  coordinator = { id: user.id, email: user.email, name: user.name, role: user.role, organisation_id: null };
  const letter = await db.selectFrom("letters").selectAll().executeTakeFirstOrThrow();
  const plan = await planLetterMessage(db, coordinator, letter.id);
  if (typeof plan === "number") throw new Error(`demo letter: ${plan}`);
  expect(plan.problems).toEqual([]);
  expect(plan.mode).toBe("smtp");
  template = {
    dedupeKey: "", kind: "test", letterId: plan.letterId, letterFingerprint: plan.fingerprint, statementId: plan.statementId,
    countryCode: plan.countryCode, organisationId: plan.organisationId, mode: "smtp", from: plan.from, replyTo: plan.replyTo,
    to: [{ name: "Test Ministry", address: "ministry@example.gov" }], cc: [], subject: plan.subject, html: plan.html, text: plan.text,
    attachmentFilename: plan.attachment.filename, queuedBy: coordinator.id, messageIdDomain: "example.org",
  };
});

afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
  behaviour = () => undefined;
});

afterAll(async () => {
  closeTransport();
  await smtp?.close();
});

function start(options: DispatchWorkerOptions = {}) {
  const worker = startDispatchWorker(db, { ratePerMinute: 0, pollMs: 20, retryBaseMs: 40, maxAttempts: 4, log: () => undefined, ...options });
  workers.push(worker);
  return worker;
}

async function queue(n: number, overrides: Partial<NewDispatch> = {}): Promise<number[]> {
  const rows = Array.from({ length: n }, () => ({ ...template, dedupeKey: `worker-test:${++counter}`, ...overrides }));
  return insertDispatches(db, rows);
}

async function rows(ids: number[]) {
  return db.selectFrom("dispatches").selectAll().where("id", "in", ids).orderBy("id").execute();
}

async function settled(ids: number[], timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = await rows(ids);
    if (now.every((r) => !["queued", "sending"].includes(r.status))) return now;
    if (Date.now() > deadline) throw new Error(`Not settled: ${now.map((r) => `${r.id}:${r.status}`).join(", ")}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** How many times each Message-ID reached the server. */
function arrivals(): Map<string, number> {
  const seen = new Map<string, number>();
  for (const m of smtp.messages) seen.set(m.messageId ?? "", (seen.get(m.messageId ?? "") ?? 0) + 1);
  return seen;
}
const ownTransport = (url: string, options: Parameters<typeof createSmtpTransport>[1] = {}): MailTransport => ({ mode: "smtp", transporter: createSmtpTransport(url, options) });

describe("what comes back can be recognised", () => {
  it("sends from a VERP envelope naming the message, to every To and Cc, asking for DSN under the same token", async () => {
    const [id] = await queue(1, { cc: [{ name: "Copy", address: "copy@example.gov" }] });
    start();
    const [row] = await settled([id]);
    expect(row.status).toBe("sent");
    const token = tokenOfMessageId(row.message_id);
    expect(token).toMatch(/^[0-9a-f-]{36}$/);
    const index = smtp.messages.findIndex((m) => m.messageId === row.message_id);
    const envelope = smtp.envelopes[index];
    expect(envelope.from).toBe(`bounces+${token}@${loadEnv().bounceDomain}`);
    expect(tokenOfEnvelopeSender(envelope.from!)).toBe(token);
    expect(envelope.to).toEqual(["ministry@example.gov", "copy@example.gov"]);
    expect(smtp.dsn[index]).toEqual({ ret: "HDRS", envid: token, notify: [["SUCCESS", "FAILURE", "DELAY"], ["SUCCESS", "FAILURE", "DELAY"]] });
    // The headers are unchanged: From is the sender's, and the Message-ID ours.
    expect(smtp.messages[index].from?.value[0].address).toBe(template.from.address);
  });
});

describe("sending a letter over SMTP", () => {
  it("delivers From, Reply-To, To, Cc, subject, HTML, text and the PDF, as confirmed, and never twice", async () => {
    const letter = await db.selectFrom("letters").selectAll().executeTakeFirstOrThrow();
    const plan = await planLetterMessage(db, coordinator, letter.id);
    if (typeof plan === "number") throw new Error(String(plan));
    const before = smtp.messages.length;
    start();
    const id = await sendLetter(db, coordinator, ctx(), letter.id, plan.digest);
    const [row] = await settled([id]);
    expect(row.status).toBe("sent");
    expect(row.attempts).toBe(1);
    expect(row.smtp_response).toMatch(/^250/);
    const mail = smtp.messages.slice(before).find((m) => m.messageId === row.message_id)!;
    expect(mail).toBeTruthy();
    expect(mail.from?.value).toEqual([{ name: "Norwegian Helsinki Committee via Demarche", address: "demarche@example.org" }]);
    expect(mail.replyTo?.value).toEqual([{ name: "Norwegian Helsinki Committee", address: "nhc@nhc.no" }]);
    const list = (a: typeof mail.to) => (Array.isArray(a) ? a.flatMap((x) => x.value) : a?.value ?? []).map((x) => x.address);
    expect(list(mail.to)).toEqual(["post@mfa.no"]);
    expect(list(mail.cc)).toEqual(["postmottak@jd.dep.no", "Andreas.Motzfeldt.Kravik@mfa.no", "monica.furnes@mfa.no", "herborg.fiskaa.alvsaker2@mfa.no"]);
    expect(mail.subject).toBe(letter.rendered_email_subject);
    expect(mail.html).toBe(letter.rendered_email_html);
    expect(mail.text?.trim()).toBe(letter.rendered_email_text.trim());
    expect(mail.attachments).toHaveLength(1);
    const pdf = mail.attachments[0];
    expect(pdf.contentType).toBe("application/pdf");
    expect(pdf.filename).toBe(plan.attachment.filename);
    const stored = await db.selectFrom("letter_pdfs").select("pdf").where("letter_id", "=", letter.id).executeTakeFirstOrThrow();
    expect(Buffer.compare(pdf.content, Buffer.from(stored.pdf!))).toBe(0);
    if (hasPoppler) {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "dispatch-pdf-")), "a.pdf");
      fs.writeFileSync(file, pdf.content);
      expect(execFileSync("pdftotext", ["-enc", "UTF-8", file, "-"], { encoding: "utf8" })).toContain("Espen Barth Eide");
    } else {
      console.warn("dispatch-worker.test: PDF text check SKIPPED, pdftotext not found");
    }
    // The envelope carries every To and Cc; nobody else.
    const envelope = smtp.envelopes[smtp.messages.indexOf(mail)];
    expect(envelope.to.sort()).toEqual([...list(mail.to), ...list(mail.cc)].sort());

    // The same letter to the same people is refused from now on.
    const again = await planLetterMessage(db, coordinator, letter.id);
    if (typeof again === "number") throw new Error(String(again));
    expect(again.problems.join(" ")).toMatch(/already sent/);
    await expect(sendLetter(db, coordinator, ctx(), letter.id, again.digest)).rejects.toThrow(/already sent/);
    expect(await db.selectFrom("dispatches").select("id").where("dedupe_key", "=", again.dedupeKey).execute()).toHaveLength(1);
  });
});

describe("temporary and permanent failures", () => {
  it("retries a 4xx answer with back-off and then succeeds, once", async () => {
    const [id] = await queue(1);
    const [{ message_id }] = await rows([id]);
    let refusals = 0;
    behaviour = (raw) => (raw.includes(message_id) && refusals++ < 2 ? { code: 451, message: "4.3.0 Try again later" } : undefined);
    start();
    const [row] = await settled([id]);
    expect(row.status).toBe("sent");
    expect(row.attempts).toBe(3);
    expect(arrivals().get(message_id)).toBe(1);
    expect(smtp.refused.filter((r) => r.raw.includes(message_id)).map((r) => r.code)).toEqual([451, 451]);
  });

  it("gives up on a temporary failure after the last attempt, saying so", async () => {
    const [id] = await queue(1);
    const [{ message_id }] = await rows([id]);
    behaviour = (raw) => (raw.includes(message_id) ? { code: 421, message: "4.7.0 Too busy" } : undefined);
    start();
    const [row] = await settled([id]);
    expect(row.status).toBe("failed");
    expect(row.attempts).toBe(4);
    expect(row.last_error).toMatch(/Gave up after 4 attempts/);
    expect(row.last_error).toMatch(/421/);
  });

  it("stops at a 5xx answer and shows the server's reason", async () => {
    const [id] = await queue(1);
    const [{ message_id }] = await rows([id]);
    behaviour = (raw) => (raw.includes(message_id) ? { code: 550, message: "5.1.1 Mailbox unavailable: no such user" } : undefined);
    start();
    const [row] = await settled([id]);
    expect(row.status).toBe("failed");
    expect(row.attempts).toBe(1);
    expect(row.last_error).toMatch(/refused the message \(550\).*no such user/);
    expect(row.smtp_response).toMatch(/550.*no such user/);
    expect(arrivals().get(message_id)).toBeUndefined();
  });

  it("retries the messages of a connection dropped mid-batch; each arrives exactly once", async () => {
    // The first connection is cut after ~1.5 messages of bytes: mid-DATA, so the server
    // never accepted the message being written.
    const size = template.html.length;
    const proxy = await startTcpProxy(smtp.port, { plan: (n) => (n === 1 ? { cutAfter: 200_000 + size } : null) });
    const transport = ownTransport(proxy.url, { maxConnections: 1 });
    try {
      const ids = await queue(12);
      start({ transport, concurrency: 4 });
      const done = await settled(ids);
      expect(done.map((r) => r.status)).toEqual(Array(12).fill("sent"));
      expect(done.some((r) => r.attempts > 1)).toBe(true);
      const seen = arrivals();
      for (const r of done) expect(seen.get(r.message_id)).toBe(1);
      expect(proxy.connections).toBeGreaterThan(1);
    } finally {
      transport.transporter.close();
      await proxy.close();
    }
  });

  it("treats a relay that stops answering as a timeout and retries", async () => {
    const proxy = await startTcpProxy(smtp.port, { plan: (n) => (n === 1 ? { stallAfter: 100 } : null) });
    const transport = ownTransport(proxy.url, { maxConnections: 1, socketTimeout: 300, greetingTimeout: 300, connectionTimeout: 300 });
    try {
      const [id] = await queue(1);
      start({ transport });
      const [row] = await settled([id]);
      expect(row.status).toBe("sent");
      expect(row.attempts).toBe(2);
      expect(arrivals().get(row.message_id)).toBe(1);
    } finally {
      transport.transporter.close();
      await proxy.close();
    }
  });

  it("never sends a message confirmed in sandbox mode over SMTP", async () => {
    const [id] = await queue(1, { mode: "sandbox" });
    start();
    const [row] = await settled([id]);
    expect(row.status).toBe("failed");
    expect(row.last_error).toMatch(/sandbox mode/);
    expect(arrivals().get(row.message_id)).toBeUndefined();
  });

  it("does not attach a PDF of another letter version than the one confirmed", async () => {
    const [id] = await queue(1, { letterFingerprint: "not-the-current-one" });
    start();
    const [row] = await settled([id]);
    expect(row.status).toBe("failed");
    expect(row.last_error).toMatch(/changed after this message was queued/);
  });
});

describe("pause, resume, cancel and pace", () => {
  it("claims nothing of a paused statement; cancelled messages never go; resume sends the rest", async () => {
    const statement = await db.insertInto("statements").values({ slug: `paused-${Date.now()}`, title: "Paused campaign", statement_date: "2025-01-14", status: "published" }).returning("id").executeTakeFirstOrThrow();
    await pauseSending(db, coordinator, ctx(), statement.id);
    const ids = await queue(5, { statementId: statement.id });
    start();
    await new Promise((r) => setTimeout(r, 300));
    expect((await rows(ids)).map((r) => r.status)).toEqual(Array(5).fill("queued"));
    expect(await cancelQueued(db, coordinator, ctx(), { dispatchId: ids[0] })).toBe(1);
    expect(await cancelQueued(db, coordinator, ctx(), { dispatchId: ids[1] })).toBe(1);
    // The audit log names what was cancelled: this one message.
    const entry = await db.selectFrom("audit_log").select(["subject_type", "subject_id"]).where("action", "=", "sending.cancelled").orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(entry).toEqual({ subject_type: "dispatch", subject_id: String(ids[1]) });
    await resumeSending(db, coordinator, ctx(), statement.id);
    const done = await settled(ids);
    expect(done.map((r) => r.status)).toEqual(["cancelled", "cancelled", "sent", "sent", "sent"]);
    const seen = arrivals();
    expect(done.map((r) => seen.get(r.message_id) ?? 0)).toEqual([0, 0, 1, 1, 1]);
    // Cancel touches only what is still queued.
    expect(await cancelQueued(db, coordinator, ctx(), { statementId: statement.id })).toBe(0);
  });

  it("keeps to the configured rate: no two messages handed closer than the interval", async () => {
    const ids = await queue(4);
    start({ ratePerMinute: 600 }); // one every 100 ms
    const done = await settled(ids);
    const handed = done.map((r) => Date.parse(r.handed_at!)).sort((a, b) => a - b);
    for (let i = 1; i < handed.length; i++) expect(handed[i] - handed[i - 1]).toBeGreaterThanOrEqual(90);
  });
});

describe("crash safety", () => {
  it("after a restart, queues again what the server never saw and marks uncertain what it may have", async () => {
    const [notHanded, handed] = await queue(2);
    const now = new Date().toISOString();
    await db.updateTable("dispatches").set({ status: "sending" }).where("id", "in", [notHanded, handed]).execute();
    await db.updateTable("dispatches").set({ handed_at: now }).where("id", "=", handed).execute();
    expect(await recoverDispatches(db)).toEqual({ requeued: 1, uncertain: 1 });
    const [a, b] = await rows([notHanded, handed]);
    expect(a.status).toBe("queued");
    expect(b.status).toBe("uncertain");
    expect(b.last_error).toMatch(/may or may not have been delivered/);
    await resolveUncertain(db, coordinator, ctx(), handed, "arrived");
    expect((await rows([handed]))[0].status).toBe("sent");
    await db.updateTable("dispatches").set({ status: "cancelled" }).where("id", "=", notHanded).execute();
  });

  it("a worker killed with SIGKILL mid-batch and restarted sends every message exactly once, except those marked uncertain", async () => {
    const ids = await queue(40);
    // The server takes 60 ms per message, so several are with it at any moment.
    behaviour = () => new Promise((r) => setTimeout(r, 60));
    const before = new Set(smtp.messages.map((m) => m.messageId));
    const env = { ...process.env, DATABASE_PATH: process.env.DATABASE_PATH!, SMTP_URL: smtp.url, MAIL_FROM: "demarche@example.org", SEND_RATE_PER_MINUTE: "0" };
    const launch = (): Promise<ChildProcess> =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ["--import", "tsx", path.resolve("tests/setup/dispatch-child.ts")], { env, stdio: ["ignore", "pipe", "inherit"] });
        child.stdout!.on("data", (d: Buffer) => d.toString().includes("ready") && resolve(child));
        child.on("error", reject);
        child.on("exit", (code) => reject(new Error(`worker exited early (${code})`)));
      });
    const first = await launch();
    const deadline = Date.now() + 20_000;
    while (smtp.messages.filter((m) => !before.has(m.messageId)).length < 10) {
      if (Date.now() > deadline) throw new Error("the worker sent too little before the kill");
      await new Promise((r) => setTimeout(r, 10));
    }
    first.kill("SIGKILL");
    await new Promise((r) => first.once("exit", r));
    const atKill = await rows(ids);
    expect(atKill.some((r) => r.status === "queued")).toBe(true); // killed mid-batch, really
    const second = await launch();
    try {
      const done = await settled(ids, 30_000);
      await new Promise((r) => setTimeout(r, 200)); // late arrivals of the killed process's messages
      const seen = arrivals();
      const uncertain = done.filter((r) => r.status === "uncertain");
      expect(done.every((r) => r.status === "sent" || r.status === "uncertain")).toBe(true);
      for (const r of done) {
        const n = seen.get(r.message_id) ?? 0;
        if (r.status === "sent") expect(n).toBe(1);
        else expect(n).toBeLessThanOrEqual(1);
      }
      // Only messages already on one of the pool's 5 connections can be uncertain; the
      // other 15 in flight were still waiting for a connection and went back to the queue.
      expect(uncertain.length).toBeLessThanOrEqual(5);
      // Every message either arrived or waits for a person; none is lost.
      expect(done.filter((r) => (seen.get(r.message_id) ?? 0) === 1).length + uncertain.filter((r) => !seen.get(r.message_id)).length).toBe(40);
      console.log(`SIGKILL test: ${atKill.filter((r) => r.status === "sent").length} sent before the kill, ${uncertain.length} uncertain after it`);
    } finally {
      second.kill("SIGKILL");
    }
  });
});
