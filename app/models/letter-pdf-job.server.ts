// Letters' PDFs, rendered in the background: never inside a web request (a PDF takes
// ~85 ms of CPU; a bulk run, seconds). The queue is the letter_pdfs table:
//
// - Queueing: triggers on `letters` (migration 2026-11-24T00-00-00_letter-pdfs) queue a
//   letter's PDF in the same transaction as its insert, or as a regeneration that
//   changes its fingerprint. `queueLetterPdf` covers the rest (a letter saved before
//   the table existed, a row that went missing, a retry after a failure).
// - Rendering: `runPdfJobsOnce` claims queued rows (queued -> rendering), builds each
//   letter's context from its stored inputs and today's recipients, renders them on the
//   worker threads (renderLetterPdfs) with the template editor's overrides, and stores
//   each PDF with the fingerprint it was made from. A letter that is out of date with
//   its sources is not rendered: its PDF would not match the letter that was reviewed
//   and saved; the row fails with a message saying to regenerate (which re-queues it).
// - A result is stored only if the row is still the claim it came from (status
//   'rendering', same fingerprint): a regeneration during the render re-queued it, and
//   the stale PDF is dropped.
// - Crash recovery: rows left 'rendering' go back to 'queued' when the loop starts.
import type { LetterPdf, LetterPdfStatus } from "../../db/schema";
import type { DB } from "~/platform/db.server";
import { buildLetterContexts, type LetterRequest } from "~/models/letter-context.server";
import { type LetterContext } from "~/platform/letter-document.server";
import { renderLetterPdfs, type RenderPdfsOptions } from "~/platform/letter-pdf-pool.server";
import { isLetterOutOfDate, letterInput } from "./letter.server";
import { SOURCE_LABELS } from "./letter-fingerprint.server";
import { asLetterRecipient, letterRecipients } from "./letter-recipients.server";
import { currentOverrides } from "./template-version.server";

const nowIso = () => new Date().toISOString();

export interface LetterPdfState {
  status: LetterPdfStatus;
  error: string | null;
  renderedAt: string | null;
}

/** The PDF row of a letter, if any (without the bytes). */
export async function letterPdfRow(db: DB, letterId: number) {
  return db.selectFrom("letter_pdfs").select(["letter_id", "fingerprint", "status", "error", "queued_at", "rendered_at"]).where("letter_id", "=", letterId).executeTakeFirst();
}

/**
 * Where the PDF of the letter as it is now stands: ready (with its bytes), being made,
 * or failed. Queues it when there is no row for the letter's current fingerprint (or,
 * with `retry`, when it failed). Never renders.
 */
export async function letterPdfFor(db: DB, letter: { id: number; fingerprint: string }, { retry = false } = {}): Promise<LetterPdfState & { pdf: Buffer | null }> {
  const row = await db.selectFrom("letter_pdfs").selectAll().where("letter_id", "=", letter.id).executeTakeFirst();
  if (row && row.fingerprint === letter.fingerprint && !(retry && row.status === "failed")) {
    return { status: row.status, error: row.error, renderedAt: row.rendered_at, pdf: row.status === "ready" ? toBuffer(row.pdf) : null };
  }
  await queueLetterPdf(db, letter);
  return { status: "queued", error: null, renderedAt: null, pdf: null };
}

/** The status alone, for pages; "queued" when nothing matches the current fingerprint (the next request queues it). */
export async function letterPdfState(db: DB, letter: { id: number; fingerprint: string }): Promise<LetterPdfState> {
  const row = await letterPdfRow(db, letter.id);
  if (!row || row.fingerprint !== letter.fingerprint) return { status: "queued", error: null, renderedAt: null };
  return { status: row.status, error: row.error, renderedAt: row.rendered_at };
}

/** Queues (or re-queues) the PDF of the letter's current fingerprint. */
export async function queueLetterPdf(db: DB, letter: { id: number; fingerprint: string }): Promise<void> {
  await db
    .insertInto("letter_pdfs")
    .values({ letter_id: letter.id, fingerprint: letter.fingerprint, status: "queued" })
    .onConflict((oc) => oc.column("letter_id").doUpdateSet({ fingerprint: letter.fingerprint, status: "queued", pdf: null, error: null, queued_at: nowIso(), rendered_at: null }))
    .execute();
}

/** Rows a crash left 'rendering' go back to the queue. Returns how many. */
export async function recoverPdfJobs(db: DB): Promise<number> {
  const result = await db.updateTable("letter_pdfs").set({ status: "queued" }).where("status", "=", "rendering").executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Marks up to `limit` of the oldest queued rows 'rendering' and returns them. */
async function claim(db: DB, limit: number): Promise<Pick<LetterPdf, "letter_id" | "fingerprint">[]> {
  return db
    .updateTable("letter_pdfs")
    .set({ status: "rendering" })
    .where("status", "=", "queued")
    .where("letter_id", "in", (eb) => eb.selectFrom("letter_pdfs").select("letter_id").where("status", "=", "queued").orderBy("queued_at").orderBy("letter_id").limit(limit))
    .returning(["letter_id", "fingerprint"])
    .execute();
}

/** Stores an outcome if the row is still the claim it came from. */
async function finish(db: DB, letterId: number, fingerprint: string, outcome: { pdf: Buffer } | { error: string }) {
  await db
    .updateTable("letter_pdfs")
    .set("pdf" in outcome ? { status: "ready", pdf: outcome.pdf, error: null, rendered_at: nowIso() } : { status: "failed", pdf: null, error: outcome.error.slice(0, 2000), rendered_at: nowIso() })
    .where("letter_id", "=", letterId)
    .where("status", "=", "rendering")
    .where("fingerprint", "=", fingerprint)
    .execute();
}

export interface RunPdfJobsOptions {
  /** Rows claimed per round (rendered together on the worker threads). */
  batchSize?: number;
  /** Passed on to renderLetterPdfs (tests: inProcess). */
  render?: Pick<RenderPdfsOptions, "inProcess" | "onProgress">;
}

export interface RunPdfJobsResult {
  claimed: number;
  ready: number;
  failed: number;
}

/** One round: claims queued PDFs, renders them, stores each outcome. */
export async function runPdfJobsOnce(db: DB, { batchSize = 32, render = {} }: RunPdfJobsOptions = {}): Promise<RunPdfJobsResult> {
  const jobs = await claim(db, batchSize);
  const result: RunPdfJobsResult = { claimed: jobs.length, ready: 0, failed: 0 };
  if (!jobs.length) return result;
  const fail = async (letterId: number, fingerprint: string, error: string) => {
    await finish(db, letterId, fingerprint, { error });
    result.failed++;
  };

  const overrides = await currentOverrides(db);
  const memo = new Map<string, Promise<unknown>>();
  // Per language: renderLetterPdfs takes one set of options per call.
  const todo = new Map<string, { letterId: number; fingerprint: string; request: LetterRequest }[]>();
  for (const job of jobs) {
    try {
      const letter = await db.selectFrom("letters").selectAll().where("id", "=", job.letter_id).executeTakeFirst();
      if (!letter) continue; // deleted: the cascade took the row
      if (letter.fingerprint !== job.fingerprint) {
        // Changed between queueing and claiming without the trigger (should not happen): queue the current one.
        await queueLetterPdf(db, letter);
        continue;
      }
      const freshness = await isLetterOutOfDate(db, letter, memo);
      if (freshness.outOfDate) {
        await fail(letter.id, job.fingerprint, `The letter is out of date with ${freshness.changed.map((s) => SOURCE_LABELS[s]).join("; ") || "its sources"}: regenerate it to get its PDF.`);
        continue;
      }
      const recipients = await letterRecipients(db, letter);
      const input = letterInput(letter);
      const request: LetterRequest = {
        statementId: input.statementId, countryCode: input.countryCode, organisationId: input.organisationId, signerIds: input.signerIds,
        place: letter.place, date: letter.letter_date, language: letter.language, subject: letter.subject, ownParagraph: letter.own_paragraph,
        recipients: recipients.map(asLetterRecipient),
      };
      const list = todo.get(letter.language) ?? [];
      list.push({ letterId: letter.id, fingerprint: job.fingerprint, request });
      todo.set(letter.language, list);
    } catch (error) {
      await fail(job.letter_id, job.fingerprint, message(error));
    }
  }

  // The statement, its appendix and the senders are read once for the whole round.
  const contextMemo = new Map<string, Promise<unknown>>();
  for (const [language, list] of todo) {
    // Contexts one by one, so one broken letter fails alone.
    const ok: { letterId: number; fingerprint: string; context: LetterContext }[] = [];
    for (const item of list) {
      try {
        ok.push({ ...item, context: (await buildLetterContexts(db, [item.request], contextMemo))[0] });
      } catch (error) {
        await fail(item.letterId, item.fingerprint, message(error));
      }
    }
    if (!ok.length) continue;
    let pdfs: Buffer[] | null = null;
    try {
      pdfs = await renderLetterPdfs(ok.map((o) => o.context), { ...render, language, overrides });
    } catch {
      // One bad letter rejects the whole batch: render each alone to find it.
      pdfs = null;
    }
    for (const [i, item] of ok.entries()) {
      try {
        const pdf = pdfs ? pdfs[i] : (await renderLetterPdfs([item.context], { ...render, language, overrides }))[0];
        await finish(db, item.letterId, item.fingerprint, { pdf });
        result.ready++;
      } catch (error) {
        await fail(item.letterId, item.fingerprint, message(error));
      }
    }
  }
  return result;
}

/** Runs rounds until the queue is empty (tests, scripts). */
export async function runPdfJobsUntilIdle(db: DB, options: RunPdfJobsOptions = {}): Promise<RunPdfJobsResult> {
  const total: RunPdfJobsResult = { claimed: 0, ready: 0, failed: 0 };
  for (;;) {
    const r = await runPdfJobsOnce(db, options);
    if (!r.claimed) return total;
    total.claimed += r.claimed;
    total.ready += r.ready;
    total.failed += r.failed;
  }
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error)) || "Rendering the PDF failed.";

/** A BLOB column as a Buffer (node-sqlite3 returns Buffers; be strict about anything else). */
export function toBuffer(value: unknown): Buffer | null {
  if (value == null) return null;
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return null;
}

/** A filename that is safe in any header or file system: ASCII letters, digits, dashes. */
export function letterPdfFilename(letter: { id: number; country_code: string; letter_date: string; language: string }): string {
  const clean = (s: string) => s.replace(/[^A-Za-z0-9-]+/g, "").slice(0, 20);
  return `letter-${letter.id}-${clean(letter.country_code)}-${clean(letter.letter_date)}-${clean(letter.language)}.pdf`;
}
