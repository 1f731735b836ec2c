// bench/inbound: a mixed mailbox of replies, delivery reports, bounces, auto-replies and
// unrelated mail (corpus.ts, known truth per message) in a real Dovecot, read by the app's
// reader (readMailboxOnce). Prints the rates (IMAP fetch alone, the classifier alone, the
// reader end to end) and a confusion table of what was stored against the truth. Prints
// numbers; never passes or fails.
//
//   npx tsx bench/inbound/run.ts            (see README.md; BENCH_MESSAGES=1000 for a short run)
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { ImapFlow } from "imapflow";
import { generateCorpus, makeLetters, PLATFORM, MESSAGE_ID_DOMAIN, type CorpusMessage, type TruthKind } from "./corpus";

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 10_000);
const LETTERS = Number(process.env.BENCH_LETTERS ?? 200);
const SEED = Number(process.env.BENCH_SEED ?? 12);
/** classify: only the in-memory classifier pass and its table (no Dovecot, no database). */
const ONLY = process.env.BENCH_ONLY ?? "";
/** A directory to write one example (.eml) of each misread format into. */
const DUMP = process.env.BENCH_DUMP ?? "";

const KINDS: TruthKind[] = ["reply", "bounce", "delivered", "delayed", "auto-reply", "unmatched"];
const SHOULD_MATCH: TruthKind[] = ["reply", "bounce", "delivered", "delayed", "auto-reply"];

const rate = (n: number, ms: number) => `${(n / (ms / 1000)).toFixed(0)} messages/s`;
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const pad = (s: string | number, n: number, right = false) => (right ? String(s).padStart(n) : String(s).padEnd(n));

interface Outcome {
  kind: string;
  token: string | null;
  severity: string | null;
}

function confusion(title: string, corpus: CorpusMessage[], outcomes: (Outcome | undefined)[], matchLabel: string) {
  console.log(`\n${title}`);
  const cols = [...KINDS, "(not stored)"];
  const counts = new Map<string, number>();
  for (let i = 0; i < corpus.length; i++) {
    const key = `${corpus[i].truth.kind}|${outcomes[i]?.kind ?? "(not stored)"}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const w = 13;
  console.log(`${pad("truth \\ got", 14)}${cols.map((c) => pad(c, w, true)).join("")}${pad("total", 8, true)}`);
  for (const t of KINDS) {
    const row = cols.map((c) => counts.get(`${t}|${c}`) ?? 0);
    const total = row.reduce((a, b) => a + b, 0);
    if (!total) continue;
    console.log(`${pad(t, 14)}${row.map((n) => pad(n || ".", w, true)).join("")}${pad(total, 8, true)}`);
  }
  console.log(`\n${matchLabel} (messages whose truth names one of our letters)`);
  console.log(`${pad("truth kind", 14)}${["with token", "right", "wrong", "none"].map((c) => pad(c, 12, true)).join("")}`);
  for (const t of SHOULD_MATCH) {
    let all = 0, right = 0, wrong = 0, none = 0;
    for (let i = 0; i < corpus.length; i++) {
      const { truth } = corpus[i];
      if (truth.kind !== t || !truth.token) continue;
      all++;
      const got = outcomes[i]?.token ?? null;
      if (got === truth.token) right++;
      else if (got) wrong++;
      else none++;
    }
    if (all) console.log(`${pad(t, 14)}${[all, right, wrong, none].map((n) => pad(n, 12, true)).join("")}`);
  }
  const hardSoft = new Map<string, number>();
  for (let i = 0; i < corpus.length; i++) {
    const { truth } = corpus[i];
    if (truth.kind !== "bounce") continue;
    const key = `${truth.severity}|${outcomes[i]?.kind === "bounce" ? outcomes[i]!.severity : "-"}`;
    hardSoft.set(key, (hardSoft.get(key) ?? 0) + 1);
  }
  console.log(`\nbounce severity: truth hard -> hard ${hardSoft.get("hard|hard") ?? 0}, soft ${hardSoft.get("hard|soft") ?? 0}, not a bounce ${hardSoft.get("hard|-") ?? 0}; truth soft -> soft ${hardSoft.get("soft|soft") ?? 0}, hard ${hardSoft.get("soft|hard") ?? 0}, not a bounce ${hardSoft.get("soft|-") ?? 0}`);
}

/** Every message read otherwise than its truth, grouped by the format that produced it. */
function misreadFormats(corpus: CorpusMessage[], outcomes: (Outcome | undefined)[], uids?: number[]) {
  const groups = new Map<string, { count: number; of: number; first: number; variants: Map<string, number> }>();
  const totals = new Map<string, number>();
  for (const m of corpus) totals.set(m.truth.format, (totals.get(m.truth.format) ?? 0) + 1);
  for (let i = 0; i < corpus.length; i++) {
    const { truth } = corpus[i];
    const got = outcomes[i];
    const problems: string[] = [];
    if ((got?.kind ?? "(not stored)") !== truth.kind) problems.push(`${truth.kind} read as ${got?.kind ?? "(not stored)"}${got?.kind === "bounce" ? ` (${got.severity})` : ""}`);
    if (truth.token && got?.token !== truth.token && SHOULD_MATCH.includes(truth.kind)) problems.push(got?.token ? "wrong letter" : "no letter");
    if (!truth.token && got?.token) problems.push("a letter where there is none");
    if (truth.kind === "bounce" && got?.kind === "bounce" && got.severity !== truth.severity) problems.push(`${truth.severity} bounce read as ${got.severity}`);
    if (!problems.length) continue;
    const key = `${truth.format}: ${problems.join(", ")}`;
    const g = groups.get(key) ?? { count: 0, of: totals.get(truth.format) ?? 0, first: i, variants: new Map() };
    g.count++;
    g.variants.set(truth.variant, (g.variants.get(truth.variant) ?? 0) + 1);
    groups.set(key, g);
  }
  if (!groups.size) {
    console.log("\nmisread formats: none");
    return;
  }
  console.log("\nmisread formats (format: what went wrong — count of that format; variants; first example)");
  if (DUMP) fs.mkdirSync(DUMP, { recursive: true });
  for (const [key, g] of [...groups].sort((a, b) => b[1].count - a[1].count)) {
    const variants = [...g.variants].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([v, n]) => `${v} (${n})`).join("; ");
    const where = uids ? `uid ${uids[g.first]}` : `message #${g.first}`;
    console.log(`  ${key} — ${g.count} of ${g.of}; ${variants}; first: ${where}`);
    if (DUMP) fs.writeFileSync(path.join(DUMP, `${key.replace(/[^a-z0-9]+/gi, "_").slice(0, 80)}.eml`), corpus[g.first].raw);
  }
}

async function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "demarche-bench-inbound-"));
  // The app reads its configuration once, on first use: set it before importing app code.
  process.env.DATABASE_PATH = path.join(work, "app.sqlite");
  process.env.MAIL_FROM = PLATFORM;
  process.env.BASE_URL = "https://demarche.coalition.example";
  process.env.REPLY_DOMAIN = "replies.coalition.example";
  process.env.NODE_ENV ??= "production";
  delete process.env.SMTP_URL; // sandbox: the reply notices are written to the app's mailbox table, nothing is sent
  delete process.env.IMAP_URL;

  const { classifyInbound } = await import("~/models/inbound/classify.server");
  const classifierFile = fs.readFileSync(path.resolve("app/models/inbound/classify.server.ts"));
  console.log(`bench/inbound: ${MESSAGES} messages about ${LETTERS} letters (seed ${SEED}); ${os.cpus().length} CPUs, Node ${process.version}`);
  console.log(`classifier: app/models/inbound/classify.server.ts sha256 ${crypto.createHash("sha256").update(classifierFile).digest("hex").slice(0, 12)}`);

  let t = performance.now();
  const letters = makeLetters(LETTERS, SEED);
  const corpus = generateCorpus(MESSAGES, letters, SEED);
  const bytes = corpus.reduce((s, m) => s + m.raw.length, 0);
  console.log(`corpus: generated in ${secs(performance.now() - t)}, ${(bytes / 1024 / 1024).toFixed(1)} MB (mean ${(bytes / corpus.length / 1024).toFixed(1)} KB, largest ${(Math.max(...corpus.map((m) => m.raw.length)) / 1024).toFixed(0)} KB)`);
  const byKind = new Map<string, number>();
  for (const m of corpus) byKind.set(m.truth.kind, (byKind.get(m.truth.kind) ?? 0) + 1);
  console.log(`truth: ${KINDS.map((k) => `${k} ${byKind.get(k) ?? 0}`).join(", ")}; ${new Set(corpus.map((m) => m.truth.format)).size} formats`);

  // (b) The classifier alone, in memory (the same bytes as appended).
  const classify = async () => {
    const out: Outcome[] = [];
    const start = performance.now();
    for (const m of corpus) {
      const { classified } = await classifyInbound(m.raw);
      out.push({ kind: classified.kind, token: "token" in classified ? classified.token : null, severity: classified.kind === "bounce" ? classified.severity : null });
    }
    return { out, ms: performance.now() - start };
  };

  if (ONLY === "classify") {
    const b = await classify();
    console.log(`\n(b) classifyInbound alone, in memory: ${rate(corpus.length, b.ms)} (${secs(b.ms)})`);
    confusion("classifier alone: truth (rows) against classifyInbound's kind (columns)", corpus, b.out, "classifier's token");
    misreadFormats(corpus, b.out);
    fs.rmSync(work, { recursive: true, force: true });
    return;
  }

  const { startImapServer } = await import("../../tests/setup/imap");
  const { openDatabase, migrateToLatest } = await import("../../db/connection");
  const { parseEnv } = await import("~/platform/env.server");
  const { insertDispatches } = await import("~/models/outbox/queue.server");
  const { loadCountries } = await import("~/workflows/seed/countries.server");
  const { readMailboxOnce } = await import("~/jobs/mailbox-reader.server");
  const { RAW_LIMIT } = await import("~/models/inbound/record.server");

  const imap = await startImapServer();
  const db = openDatabase(process.env.DATABASE_PATH!);
  try {
    // Append the corpus over one connection (not part of any rate below).
    t = performance.now();
    const uids = await imap.appendMany(corpus.map((m) => m.raw));
    const appendMs = performance.now() - t;
    console.log(`\nappend: ${corpus.length} messages into Dovecot in ${secs(appendMs)} (${rate(corpus.length, appendMs)}), one IMAP connection`);
    const settings = parseEnv({ IMAP_URL: imap.url }).imap!;

    // (a) Baseline: imapflow fetching every message's source, nothing done with it.
    const baseline = async (batched: boolean) => {
      const client = new ImapFlow({ host: settings.host, port: settings.port, secure: false, auth: { user: settings.user, pass: settings.password }, logger: false, disableAutoIdle: true });
      await client.connect();
      const start = performance.now();
      let n = 0;
      let size = 0;
      const lock = await client.getMailboxLock(settings.mailbox, { readOnly: true });
      try {
        const found = ((await client.search({ uid: "1:*" }, { uid: true })) || []).sort((a, b) => a - b);
        if (batched) {
          // As the reader fetches: 20 UIDs per FETCH, at most RAW_LIMIT + 1 bytes each.
          for (let i = 0; i < found.length; i += 20) {
            const messages = await client.fetchAll(found.slice(i, i + 20).join(","), { uid: true, source: { maxLength: RAW_LIMIT + 1 } }, { uid: true });
            for (const m of messages) if (m.source) (n++, (size += m.source.length));
          }
        } else {
          for await (const m of client.fetch("1:*", { uid: true, source: true }, { uid: true })) if (m.source) (n++, (size += m.source.length));
        }
      } finally {
        lock.release();
        await client.logout().catch(() => client.close());
      }
      return { n, size, ms: performance.now() - start };
    };
    const a1 = await baseline(true);
    const a2 = await baseline(false);
    console.log(`(a) baseline, imapflow fetching sources only: batches of 20 as the reader does ${rate(a1.n, a1.ms)} (${a1.n} messages, ${(a1.size / 1024 / 1024).toFixed(1)} MB, ${secs(a1.ms)}); one FETCH 1:* streamed ${rate(a2.n, a2.ms)} (${secs(a2.ms)})`);

    const b = await classify();
    console.log(`(b) classifyInbound alone, in memory: ${rate(corpus.length, b.ms)} (${secs(b.ms)})`);

    // (c) The reader, end to end, into a fresh migrated SQLite file holding the letters.
    t = performance.now();
    await migrateToLatest(db);
    await loadCountries(db);
    const orgIds = new Map<string, number>();
    for (const l of letters) {
      if (orgIds.has(l.organisation.address)) continue;
      const org = await db.insertInto("organisations").values({ name: l.organisation.name, contact_email: l.organisation.address }).returning("id").executeTakeFirstOrThrow();
      orgIds.set(l.organisation.address, org.id);
    }
    const statement = await db.insertInto("statements").values({ slug: "bench-inbound", title: "Protect the International Criminal Court", statement_date: "2026-11-20", status: "published", body_markdown: "Body." }).returning("id").executeTakeFirstOrThrow();
    const dispatchIds = await insertDispatches(db, letters.map((l, i) => ({
      dedupeKey: `bench-inbound:${i}`, kind: "letter" as const, letterId: null, letterFingerprint: null, statementId: statement.id, countryCode: l.countryCode, organisationId: orgIds.get(l.organisation.address)!,
      mode: "smtp" as const, from: { name: `${l.organisation.name} via Demarche`, address: PLATFORM }, replyTo: { name: l.organisation.name, address: l.organisation.address },
      to: [{ name: l.ministry.name, address: l.ministry.address }], cc: [], subject: l.subject, html: "<p>Letter</p>", text: "Letter",
      attachmentFilename: null, queuedBy: null, messageIdDomain: MESSAGE_ID_DOMAIN, messageId: l.messageId,
    })));
    await db.updateTable("dispatches").set({ status: "sent", handed_at: new Date().toISOString(), sent_at: new Date().toISOString() }).where("id", "in", dispatchIds).execute();
    console.log(`database: migrated, ${letters.length} letter dispatches inserted in ${secs(performance.now() - t)} (${process.env.DATABASE_PATH})`);

    t = performance.now();
    const result = await readMailboxOnce(db, settings);
    const readMs = performance.now() - t;
    console.log(`(c) readMailboxOnce end to end (fetch, classify, store, apply, reply events and notices): ${rate(result.fetched, readMs)} (${result.fetched} fetched, ${result.stored} stored, ${secs(readMs)})`);

    const tokenOfDispatch = new Map<number, string>();
    for (const d of await db.selectFrom("dispatches").select(["id", "message_id"]).execute()) tokenOfDispatch.set(d.id, /^<dispatch\.([0-9a-f-]{36})@/i.exec(d.message_id)![1].toLowerCase());
    const rows = await db.selectFrom("inbound_messages").select(["uid", "kind", "dispatch_id", "severity"]).where("mailbox", "=", settings.label).execute();
    const byUid = new Map(rows.map((row) => [Number(row.uid), row]));
    const stored: (Outcome | undefined)[] = uids.map((uid) => {
      const row = byUid.get(uid);
      return row ? { kind: row.kind, token: row.dispatch_id ? tokenOfDispatch.get(Number(row.dispatch_id)) ?? null : null, severity: row.severity } : undefined;
    });
    const events = await db.selectFrom("outreach_events").select((eb) => eb.fn.countAll<number>().as("n")).where("kind", "=", "reply").executeTakeFirstOrThrow();
    const notices = await db.selectFrom("mailbox_messages").select((eb) => eb.fn.countAll<number>().as("n")).where("subject", "like", "%replied to your letter%").executeTakeFirstOrThrow();
    const deliveries = await db.selectFrom("dispatches").select(["delivery"]).select((eb) => eb.fn.countAll<number>().as("n")).groupBy("delivery").execute();
    console.log(`written: ${rows.length} inbound rows, ${Number(events.n)} reply outreach events, ${Number(notices.n)} reply notices; dispatch deliveries: ${deliveries.map((d) => `${d.delivery ?? "none"} ${Number(d.n)}`).join(", ")}`);

    confusion("stored: truth (rows) against inbound_messages.kind (columns)", corpus, stored, "stored dispatch_id against the truth's letter");
    misreadFormats(corpus, stored, uids);
    const classifierDiffers = corpus.filter((_, i) => b.out[i].kind !== stored[i]?.kind).length;
    console.log(`\n(the classifier alone and the stored rows disagree on the kind of ${classifierDiffers} messages)`);
  } finally {
    await db.destroy().catch(() => undefined);
    await imap.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
