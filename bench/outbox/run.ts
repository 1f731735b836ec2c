// bench/outbox: the sending queue at full speed against postfix's smtp-sink, next to
// nodemailer's own pooled transport sending the same messages straight to the same sink.
// Every message is the demo Norway letter as a member would send it (covering email in
// HTML and text, the letter's PDF attached), each with its own Message-ID.
//   direct: createSmtpTransport (pooled, --connections), buildMessage + sendMail for all
//           N at once (the pool queues them).
//   outbox: a fresh copy of a database made once per run (migrated, seeded, the letter's
//           PDF rendered), N rows queued with insertDispatches in one transaction (timed
//           apart), then startDispatchWorker with ratePerMinute 0 over a transport with
//           the same settings, timed until no row is queued or sending.
// After each phase the sink's dumps are counted: received, distinct Message-IDs,
// duplicates, losses. Prints numbers; never passes or fails.
//
//   npx tsx bench/outbox/run.ts [--messages 10000] [--connections 5] [--rounds 1]
//   diagnostics: --concurrency K (worker), --only direct|outbox, --inflight K (direct),
//                --count-queries, --null-transport                        (see README.md)
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { sql, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type UnknownRow } from "kysely";
import nodemailer from "nodemailer";
import { migrateToLatest, openDatabase } from "../../db/connection";
import { dispatchCounts, insertDispatches } from "../../app/models/outbox/queue.server";
import { startDispatchWorker } from "../../app/jobs/dispatch-worker.server";
import { buildMessage, createSmtpTransport, type MailTransport } from "../../app/platform/mail-transport.server";
import { loadEnv } from "../../app/platform/env.server";
import { createTemplateDatabase, directMails, dispatchRows, type BenchLetter } from "./fixtures";
import { countReceived, ensureSmtpSink, freePort, startSmtpSink, type Received, type RunningSink } from "./sink";

// ---- options

function option(name: string, fallback: number | undefined): number | undefined {
  const i = process.argv.indexOf(`--${name}`);
  const raw = i >= 0 ? process.argv[i + 1] : process.env[`BENCH_${name.toUpperCase()}`];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number of at least 1 (got ${raw})`);
  return n;
}
function stringOption(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const MESSAGES = option("messages", 10_000)!;
const CONNECTIONS = option("connections", 5)!; // the app's createSmtpTransport default
const CONCURRENCY = option("concurrency", undefined); // undefined: the worker's default (20)
const ROUNDS = option("rounds", 1)!;
const INFLIGHT = option("inflight", undefined); // direct phase: at most this many sendMail calls pending (default: all N at once) // direct, outbox, direct, outbox ... alternating
const ONLY = stringOption("only"); // "direct" or "outbox": one phase alone (for profiling)
const COUNT_QUERIES = process.argv.includes("--count-queries"); // the worker's SQL statements by kind
// The worker over a transport that accepts at once without a socket: the queue's own cost
// (claims, handed_at, outcomes). Nothing reaches the sink, so its counts read 0.
const NULL_TRANSPORT = process.argv.includes("--null-transport");
const POLL_MS = 50;
const STALL_MS = 60_000;
const TARGET = 0.7;

// ---- output helpers

const fmtMs = (ms: number) => `${ms.toFixed(0).padStart(7)} ms`;
const perSec = (n: number, ms: number) => n / (ms / 1000);
const fmtRate = (r: number) => `${r.toFixed(1).padStart(8)} /s`;
const loadavg = () => os.loadavg().map((l) => l.toFixed(2)).join(" ");

// CPU time: the whole Node process (main thread, libuv pool running SQLite, GC helpers),
// its main thread alone (/proc/self/task/<pid>/stat), and the sink process.
function threadCpuMs(tid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // clock ticks (100 Hz)
  } catch {
    return 0;
  }
}
interface CpuMark { node: NodeJS.CpuUsage; main: number; sink: number; at: number }
function cpuMark(sink: RunningSink): CpuMark {
  return { node: process.cpuUsage(), main: threadCpuMs(process.pid), sink: sink.cpuMs(), at: performance.now() };
}
function cpuSince(mark: CpuMark, sink: RunningSink) {
  const d = process.cpuUsage(mark.node);
  const wall = performance.now() - mark.at;
  return { nodeMs: (d.user + d.system) / 1000, mainBusy: (threadCpuMs(process.pid) - mark.main) / wall, sinkMs: sink.cpuMs() - mark.sink };
}

interface PhaseResult {
  label: string;
  n: number;
  ms: number;
  accepted: number;
  failed: number;
  firstError: string | null;
  sink: Received;
  nodeCpuMs: number;
  /** Share of the wall time the main thread was on a CPU. */
  mainBusy: number;
  sinkCpuMs: number;
  extra?: Record<string, string | number>;
}

// ---- counting the worker's statements (--count-queries): a plugin sees every query node

const queryKinds = new Map<string, number>();
const claimedRows: number[] = [];
type AnyNode = { kind: string; table?: { table?: { identifier?: { name?: string } } }; from?: { froms?: { table?: { identifier?: { name?: string } } }[] }; updates?: { column: { column: { name: string } } }[]; returning?: unknown };
const claimQueries = new WeakSet<object>();
const countingPlugin: KyselyPlugin = {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const node = args.node as unknown as AnyNode;
    const table = node.table?.table?.identifier?.name ?? node.from?.froms?.[0]?.table?.identifier?.name ?? "";
    let kind = `${node.kind.replace("QueryNode", "").replace("Node", "")} ${table}`.trim();
    if (node.kind === "UpdateQueryNode") {
      const columns = (node.updates ?? []).map((u) => u.column.column.name);
      kind += node.returning ? " (claim)" : columns.includes("handed_at") && !columns.includes("status") ? " (handed)" : columns.includes("status") ? " (outcome)" : "";
      if (node.returning) claimQueries.add(args.queryId);
    }
    queryKinds.set(kind, (queryKinds.get(kind) ?? 0) + 1);
    return args.node;
  },
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (claimQueries.has(args.queryId)) claimedRows.push(args.result.rows.length);
    return args.result;
  },
};

function nullTransporter(): ReturnType<typeof createSmtpTransport> {
  const stub = {
    sendMail: async (message: { messageId?: string }) => ({ messageId: message.messageId, response: "250 2.0.0 Ok" }),
    close: () => {},
  };
  return stub as unknown as ReturnType<typeof createSmtpTransport>;
}

// ---- the phases

async function runDirect(round: number, sink: RunningSink, letter: BenchLetter): Promise<PhaseResult> {
  const dir = sink.phase(`direct-${round}`);
  const mails = directMails(letter, MESSAGES);
  const transporter = createSmtpTransport(sink.url, { maxConnections: CONNECTIONS });
  // buildMessage (the app's address checks) is inside the timing, as it is in the worker's deliver().
  const sendOne = (m: (typeof mails)[number]) => transporter.sendMail(buildMessage(m));
  const cpu = cpuMark(sink);
  const t = performance.now();
  let results: PromiseSettledResult<unknown>[];
  if (INFLIGHT === undefined) {
    results = await Promise.allSettled(mails.map(sendOne)); // the pool queues them: its own best case
  } else {
    results = new Array(mails.length);
    let next = 0;
    await Promise.all(Array.from({ length: INFLIGHT }, async () => {
      while (next < mails.length) {
        const i = next++;
        results[i] = await sendOne(mails[i]).then((value) => ({ status: "fulfilled", value }) as const, (reason) => ({ status: "rejected", reason }) as const);
      }
    }));
  }
  const ms = performance.now() - t;
  const { nodeMs, mainBusy, sinkMs } = cpuSince(cpu, sink);
  transporter.close();
  const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
  const received = countReceived(dir, mails.map((m) => m.messageId!));
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    label: INFLIGHT ? `direct #${round}, ${INFLIGHT} in flight` : `direct #${round}`,
    n: MESSAGES,
    ms,
    accepted: results.length - rejected.length,
    failed: rejected.length,
    firstError: rejected[0] ? String((rejected[0].reason as Error)?.message ?? rejected[0].reason) : null,
    sink: received,
    nodeCpuMs: nodeMs,
    mainBusy,
    sinkCpuMs: sinkMs,
  };
}

async function runOutbox(round: number, sink: RunningSink, letter: BenchLetter, template: string, work: string): Promise<{ queue: { ms: number; nodeCpuMs: number }; send: PhaseResult; countsMs: number; dbBytes: number }> {
  const file = path.join(work, `outbox-${round}.sqlite`);
  fs.copyFileSync(template, file);
  const db = openDatabase(file);
  const transport: MailTransport = { mode: "smtp", transporter: NULL_TRANSPORT ? nullTransporter() : createSmtpTransport(sink.url, { maxConnections: CONNECTIONS }) };
  const errors: unknown[] = [];
  let worker: ReturnType<typeof startDispatchWorker> | null = null;
  try {
    await migrateToLatest(db); // nothing to do: the copy is migrated; opens the connection
    const dir = sink.phase(`outbox-${round}`);
    const runTag = `r${round}-${Date.now()}`;
    const rows = dispatchRows(letter, MESSAGES, runTag);
    const bulkId = rows[0].bulkId!;

    // Queueing: one transaction, as a bulk send does it (sendBulk queues inside `atomically`).
    let cpu = cpuMark(sink);
    let t = performance.now();
    await db.transaction().execute((trx) => insertDispatches(trx, rows));
    const queueMs = performance.now() - t;
    const queueCpu = cpuSince(cpu, sink).nodeMs;
    const messageIds = (await db.selectFrom("dispatches").select("message_id").where("bulk_id", "=", bulkId).execute()).map((r) => r.message_id);
    if (messageIds.length !== MESSAGES) throw new Error(`queued ${messageIds.length} rows, expected ${MESSAGES}`);

    // Sending: from the worker's start until no row of the run is queued or sending. The
    // poll is an index-only count (dispatches_due starts with status), so it costs the
    // worker's connection next to nothing; dispatchCounts is run once at the end.
    const left = async () =>
      Number((await db.selectFrom("dispatches").select(sql<number>`count(*)`.as("n")).where("status", "in", ["queued", "sending"]).executeTakeFirstOrThrow()).n);
    cpu = cpuMark(sink);
    t = performance.now();
    queryKinds.clear();
    claimedRows.length = 0;
    worker = startDispatchWorker(COUNT_QUERIES ? db.withPlugin(countingPlugin) : db, {
      transport,
      ratePerMinute: 0,
      concurrency: CONCURRENCY,
      retryBaseMs: 1000, // a temporary failure would otherwise park a row for a minute
      onError: (e) => errors.push(e),
      log: () => {},
    });
    let remaining = MESSAGES;
    let lastProgress = performance.now();
    while (remaining > 0) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      const now = await left();
      if (now < remaining) lastProgress = performance.now();
      remaining = now;
      if (performance.now() - lastProgress > STALL_MS) throw new Error(`no progress for ${STALL_MS / 1000} s with ${remaining} rows queued or sending; worker errors: ${errors.map(String).join("; ") || "none"}`);
    }
    const ms = performance.now() - t;
    const { nodeMs, mainBusy, sinkMs } = cpuSince(cpu, sink);
    await worker.stop();
    worker = null;
    if (COUNT_QUERIES) {
      const total = [...queryKinds.values()].reduce((a, b) => a + b, 0);
      const hist = new Map<number, number>();
      for (const n of claimedRows) hist.set(n, (hist.get(n) ?? 0) + 1);
      console.log(`worker statements: ${total} (${(total / MESSAGES).toFixed(2)} per message): ${[...queryKinds].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(", ")}`);
      console.log(`rows per claim (rows: claims): ${[...hist].sort((a, b) => a[0] - b[0]).map(([k, n]) => `${k}: ${n}`).join(", ")}`);
    }

    t = performance.now();
    const counts = await dispatchCounts(db, { bulkId });
    const countsMs = performance.now() - t;
    const retried = Number((await db.selectFrom("dispatches").select(sql<number>`count(*)`.as("n")).where("bulk_id", "=", bulkId).where("attempts", ">", 1).executeTakeFirstOrThrow()).n);
    const firstFailure = await db.selectFrom("dispatches").select("last_error").where("bulk_id", "=", bulkId).where("status", "!=", "sent").executeTakeFirst();
    const received = countReceived(dir, messageIds);
    fs.rmSync(dir, { recursive: true, force: true });
    const dbBytes = ["", "-wal"].reduce((sum, s) => sum + (fs.existsSync(file + s) ? fs.statSync(file + s).size : 0), 0);
    return {
      queue: { ms: queueMs, nodeCpuMs: queueCpu },
      send: {
        label: NULL_TRANSPORT ? `outbox #${round}, no SMTP` : `outbox #${round}`,
        n: MESSAGES,
        ms,
        accepted: counts.sent,
        failed: MESSAGES - counts.sent,
        firstError: firstFailure?.last_error ?? (errors[0] ? String(errors[0]) : null),
        sink: received,
        nodeCpuMs: nodeMs,
        mainBusy,
        sinkCpuMs: sinkMs,
        extra: { ...counts, retried, workerErrors: errors.length },
      },
      countsMs,
      dbBytes,
    };
  } finally {
    if (worker) await worker.stop().catch(() => {});
    transport.transporter.close();
    await db.destroy();
    for (const s of ["", "-wal", "-shm"]) fs.rmSync(file + s, { force: true });
  }
}

// ---- main

function messageSize(letter: BenchLetter): Promise<number> {
  const stream = nodemailer.createTransport({ streamTransport: true, buffer: true });
  return stream.sendMail(buildMessage(directMails(letter, 1)[0])).then((info) => (info.message as Buffer).length);
}

async function main() {
  const log = (line: string) => console.log(line);
  const binary = ensureSmtpSink(log);
  const port = await freePort();
  // Before anything reads the environment: the app is in SMTP mode, towards the sink.
  process.env.SMTP_URL = `smtp://127.0.0.1:${port}`;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "bench-outbox-"));
  // The dumps (N x ~100 KB per phase) go to tmpfs when there is one, so the disk stays out of it.
  const dumpRoot = fs.existsSync("/dev/shm") ? fs.mkdtempSync("/dev/shm/bench-outbox-") : path.join(work, "dumps");
  let sink: RunningSink | null = null;
  try {
    sink = await startSmtpSink(binary, dumpRoot, port);
    const loadAtStart = loadavg();

    let t = performance.now();
    const template = path.join(work, "template.sqlite");
    const letter = await createTemplateDatabase(template);
    const setupMs = performance.now() - t;
    const size = await messageSize(letter);

    console.log(`bench/outbox  ${new Date().toISOString()}  node ${process.version}  ${os.cpus()[0]?.model ?? "?"}  cores: ${os.cpus().length}`);
    console.log(`load average at start: ${loadAtStart}   mail mode: ${loadEnv().mailMode}`);
    console.log(`sink: ${binary} on 127.0.0.1:${port}, one dump file per message under ${dumpRoot}`);
    console.log(`message: the demo Norway letter, ${(size / 1024).toFixed(0)} KiB on the wire (PDF ${(letter.pdf.length / 1024).toFixed(0)} KiB, html ${(letter.html.length / 1024).toFixed(1)} KiB, text ${(letter.text.length / 1024).toFixed(1)} KiB), to ${letter.to.length}, cc ${letter.cc.length}`);
    if (letter.problems.length) console.log(`  (planLetterMessage would refuse it for: ${letter.problems.join(" ")}; sent anyway)`);
    console.log(`${MESSAGES} messages per phase, ${CONNECTIONS} SMTP connections (pooled, both phases), worker concurrency ${CONCURRENCY ?? "20 (default)"}, rate limit off`);
    console.log(`setup (migrate + seed + render the PDF, once)${fmtMs(setupMs)}`);
    console.log("");

    const header = `${"phase".padEnd(24)}${"n".padStart(6)}  ${"time".padStart(10)}  ${"msgs/s".padStart(11)}  ${"ok".padStart(6)} ${"fail".padStart(5)}  ${"recv".padStart(6)} ${"uniq".padStart(6)} ${"dup".padStart(4)} ${"lost".padStart(5)}  ${"node cpu/msg".padStart(12)} ${"main busy".padStart(9)} ${"sink cpu/msg".padStart(12)}`;
    const line = (r: PhaseResult) =>
      console.log(`${r.label.padEnd(24)}${String(r.n).padStart(6)}  ${fmtMs(r.ms)}  ${fmtRate(perSec(r.n, r.ms))}  ${String(r.accepted).padStart(6)} ${String(r.failed).padStart(5)}  ${String(r.sink.received).padStart(6)} ${String(r.sink.unique).padStart(6)} ${String(r.sink.duplicates).padStart(4)} ${String(r.sink.lost).padStart(5)}  ${`${(r.nodeCpuMs / r.n).toFixed(3)} ms`.padStart(12)} ${`${(r.mainBusy * 100).toFixed(0)} %`.padStart(9)} ${`${(r.sinkCpuMs / r.n).toFixed(3)} ms`.padStart(12)}${r.firstError ? `   first error: ${r.firstError}` : ""}${r.sink.unexpected ? `   unexpected files: ${r.sink.unexpected}` : ""}`);
    console.log(header);

    const direct: PhaseResult[] = [];
    const outbox: PhaseResult[] = [];
    const queueing: { ms: number; nodeCpuMs: number }[] = [];
    const notes: string[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      if (ONLY !== "outbox") {
        const d = await runDirect(round, sink, letter);
        direct.push(d);
        line(d);
      }
      if (ONLY === "direct") continue;
      const o = await runOutbox(round, sink, letter, template, work);
      queueing.push(o.queue);
      outbox.push(o.send);
      console.log(`${`queue #${round}`.padEnd(24)}${String(MESSAGES).padStart(6)}  ${fmtMs(o.queue.ms)}  ${fmtRate(perSec(MESSAGES, o.queue.ms))}  (insertDispatches, one transaction)`);
      line(o.send);
      notes.push(`outbox #${round}: dispatchCounts ${JSON.stringify(Object.fromEntries(Object.entries(o.send.extra ?? {})))}; dispatchCounts itself took ${o.countsMs.toFixed(0)} ms on ${MESSAGES} rows; database ${(o.dbBytes / 1024 / 1024).toFixed(0)} MiB`);
    }
    console.log("");
    for (const note of notes) console.log(note);

    if (ONLY) return;
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const directRate = mean(direct.map((r) => perSec(r.n, r.ms)));
    const outboxRate = mean(outbox.map((r) => perSec(r.n, r.ms)));
    const withQueue = mean(outbox.map((r, i) => perSec(r.n, r.ms + queueing[i].ms)));
    const ratio = outboxRate / directRate;
    const clean = [...direct, ...outbox].every((r) => r.failed === 0 && r.sink.received === r.n && r.sink.unique === r.n && r.sink.duplicates === 0 && r.sink.lost === 0 && r.sink.unexpected === 0);
    console.log("");
    console.log(`direct (nodemailer pool)        ${fmtRate(directRate)}${ROUNDS > 1 ? `  (mean of ${ROUNDS})` : ""}`);
    console.log(`outbox (queue -> accepted)      ${fmtRate(outboxRate)}${ROUNDS > 1 ? `  (mean of ${ROUNDS})` : ""}`);
    console.log(`outbox incl. queueing           ${fmtRate(withQueue)}`);
    console.log(`ratio outbox / direct           ${ratio.toFixed(2).padStart(8)}    target >= ${TARGET}: ${ratio >= TARGET ? "met" : "NOT met"}`);
    console.log(`every message received once     ${clean ? "yes (zero duplicates, zero losses, zero failures)" : "NO: see the table"}`);
    console.log(`load average at end: ${loadavg()}`);
  } finally {
    await sink?.stop();
    fs.rmSync(work, { recursive: true, force: true });
    fs.rmSync(dumpRoot, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
