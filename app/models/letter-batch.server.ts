// Bulk letters: one statement from one sender, written to every country that has an
// addressee (members: the countries their organisation covers), then downloaded as one
// ZIP of PDFs.
//
// - Each country's letter is an ordinary createLetter call in its own transaction, so a
//   refusal for one country (no addressee, not covered, a template error) is recorded
//   in the batch as skipped with its reason and the others go on. A refusal that is not
//   about the country (the statement, the sender, the signers, the place, the language)
//   would refuse every country alike: it is reported on the form and nothing is written.
// - The batch row is written after the first country and updated after each one, so a
//   run cut short still lists the letters it made.
// - Rendering stays in the background: the letters' PDFs are queued by the letter_pdfs
//   triggers, and the batch page only reads their status (batchProgress).
// - The ZIP streams the ready PDFs one at a time with archiver (store: PDFs are already
//   compressed), each read from the database only when the archive asks for more.
import { Readable } from "node:stream";
import { ZipArchive } from "archiver";
import { z } from "zod";
import type { LetterBatch, LetterBatchSkip, LetterPdfStatus } from "../../db/schema";
import type { DB } from "~/platform/db.server";
import { FieldInputError, Forbidden, NotFound } from "~/platform/errors.server";
import type { SessionUser } from "~/platform/session.server";
import { type ChangeContext, recordAudit } from "./audit.server";
import { createLetter, FORM_ERRORS, letterSchema } from "./letter.server";
import { queueLetterPdf, toBuffer } from "./letter-pdf-job.server";
import { canSeeLetterBatch, isCoordinator, organisationScope } from "./permissions.server";

/** The bulk form: the letter form without the country (all of them), subject or own paragraph. */
export const letterBatchSchema = letterSchema.omit({ countryCode: true, subject: true, ownParagraph: true });
export type LetterBatchInput = z.infer<typeof letterBatchSchema>;

/** Field errors that are about one country; any other refuses every country alike. */
const COUNTRY_FIELDS = new Set(["countryCode", FORM_ERRORS]);

/**
 * The countries a bulk run writes to: coordinators, every country with an addressee;
 * members, every country their organisation covers (one without an addressee is
 * skipped with the reason, so the gap is visible).
 */
export async function batchCountries(db: DB, user: SessionUser): Promise<{ code: string; name: string }[]> {
  const countries = db.selectFrom("countries").select(["code", "name"]).orderBy("name");
  const only = organisationScope(user);
  return only === null
    ? countries.where("code", "in", (eb) => eb.selectFrom("recipients").select("country_code").where("kind", "=", "addressee")).execute()
    : countries.where("code", "in", (eb) => eb.selectFrom("organisation_countries").select("country_code").where("organisation_id", "=", only)).execute();
}

export interface BatchOutcome {
  id: number;
  letterIds: number[];
  skipped: LetterBatchSkip[];
}

/** Writes the letters and the batch. Throws FieldInputError when the form itself is refused (nothing written). */
export async function createLetterBatch(db: DB, user: SessionUser, ctx: ChangeContext, input: LetterBatchInput): Promise<BatchOutcome> {
  const countries = await batchCountries(db, user);
  if (!countries.length) {
    throw new FieldInputError({
      [FORM_ERRORS]: [isCoordinator(user) ? "No country has an addressee yet: add recipients first." : "Your organisation covers no country yet. A coordinator assigns countries to organisations."],
    });
  }
  const letterIds: number[] = [];
  const skipped: LetterBatchSkip[] = [];
  let batchId: number | null = null;
  for (const country of countries) {
    try {
      letterIds.push(await createLetter(db, user, ctx, { ...input, countryCode: country.code, subject: null, ownParagraph: null }));
    } catch (error) {
      if (!(error instanceof FieldInputError)) throw error;
      const formWide = Object.keys(error.errors).filter((k) => !COUNTRY_FIELDS.has(k) && error.errors[k]?.length);
      // Before anything is written, a refusal of the form is the form's: say so beside the field.
      if (formWide.length && batchId === null && letterIds.length === 0) throw error;
      skipped.push({ country: country.code, reason: error.message || "The letter was refused." });
    }
    const values = { letter_ids: JSON.stringify(letterIds), skipped: JSON.stringify(skipped) };
    if (batchId === null) {
      batchId = (await db
        .insertInto("letter_batches")
        .values({ statement_id: input.statementId, organisation_id: input.organisationId, created_by: user.id, ...values })
        .returning("id")
        .executeTakeFirstOrThrow()).id;
    } else {
      await db.updateTable("letter_batches").set(values).where("id", "=", batchId).execute();
    }
  }
  await recordAudit(db, {
    actor: ctx.actor, ip: ctx.ip, action: "letter_batch.created", subjectType: "letter_batch", subjectId: batchId!,
    detail: { statementId: input.statementId, organisationId: input.organisationId, letters: letterIds.length, skipped: skipped.map((s) => s.country) },
  });
  return { id: batchId!, letterIds, skipped };
}

/** The batch, or 404 (unknown) / 403 (neither a coordinator nor its creator, still of its organisation). */
export async function batchFor(db: DB, user: SessionUser, idParam: string | number | undefined): Promise<LetterBatch | 403 | 404> {
  const id = Number(idParam);
  const batch = Number.isSafeInteger(id) && id > 0 ? await db.selectFrom("letter_batches").selectAll().where("id", "=", id).executeTakeFirst() : undefined;
  if (!batch) return 404;
  return canSeeLetterBatch(user, batch) ? batch : 403;
}

/** As batchFor, throwing NotFound or Forbidden (with `refusal`: what others may not do). */
export async function requireBatch(db: DB, user: SessionUser, idParam: string | number | undefined, refusal: string): Promise<LetterBatch> {
  const batch = await batchFor(db, user, idParam);
  if (batch === 404) throw new NotFound("There is no such batch of letters.");
  if (batch === 403) throw new Forbidden(refusal);
  return batch;
}

export type BatchPdfState = "ready" | "failed" | "pending";

export interface BatchLetter {
  id: number;
  countryCode: string;
  countryName: string;
  date: string;
  language: string;
  state: BatchPdfState;
  error: string | null;
  filename: string;
}

export interface BatchProgress {
  letters: BatchLetter[];
  /** Letters the batch made that have since been deleted. */
  deleted: number[];
  skipped: LetterBatchSkip[];
  counts: { total: number; ready: number; failed: number; pending: number };
  done: boolean;
}

/** `NO-norway-letter-12.pdf`: ASCII only, safe in any archive or file system. */
export function batchPdfFilename(letter: { id: number; countryCode: string; countryName: string }): string {
  const slug = letter.countryName.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40) || "country";
  return `${letter.countryCode.replace(/[^A-Za-z]/g, "").slice(0, 3)}-${slug}-letter-${letter.id}.pdf`;
}

const stateOf = (status: LetterPdfStatus | null): BatchPdfState => (status === "ready" ? "ready" : status === "failed" ? "failed" : "pending");

/**
 * Where the batch's PDFs stand. A PDF counts only if it was made from the letter as it
 * is now (same fingerprint); a letter with no PDF row is queued (never rendered here).
 */
export async function batchProgress(db: DB, batch: LetterBatch): Promise<BatchProgress> {
  const ids = JSON.parse(batch.letter_ids) as number[];
  const skipped = JSON.parse(batch.skipped) as LetterBatchSkip[];
  const rows = ids.length
    ? await db
        .selectFrom("letters")
        .innerJoin("countries", "countries.code", "letters.country_code")
        .leftJoin("letter_pdfs", "letter_pdfs.letter_id", "letters.id")
        .select([
          "letters.id", "letters.country_code", "countries.name as country_name", "letters.fingerprint", "letters.letter_date", "letters.language",
          "letter_pdfs.status as pdf_status", "letter_pdfs.fingerprint as pdf_fingerprint", "letter_pdfs.error as pdf_error",
        ])
        .where("letters.id", "in", ids)
        .execute()
    : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const letters: BatchLetter[] = [];
  const deleted: number[] = [];
  for (const id of ids) {
    const r = byId.get(id);
    if (!r) {
      deleted.push(id);
      continue;
    }
    const current = r.pdf_status !== null && r.pdf_fingerprint === r.fingerprint;
    if (!current) await queueLetterPdf(db, r);
    const state = current ? stateOf(r.pdf_status) : "pending";
    letters.push({
      id, countryCode: r.country_code, countryName: r.country_name, date: r.letter_date, language: r.language, state,
      error: state === "failed" ? r.pdf_error : null, filename: batchPdfFilename({ id, countryCode: r.country_code, countryName: r.country_name }),
    });
  }
  const count = (s: BatchPdfState) => letters.filter((l) => l.state === s).length;
  const counts = { total: letters.length, ready: count("ready"), failed: count("failed"), pending: count("pending") };
  return { letters, deleted, skipped, counts, done: counts.pending === 0 };
}


/**
 * A ZIP of the given letters' ready PDFs, streamed: each PDF is read from the database
 * when the archive has written the one before (so a slow download holds one PDF at a
 * time). A PDF that stopped being ready since `letters` was computed is left out.
 */
export function batchZipStream(db: DB, letters: Pick<BatchLetter, "id" | "filename">[]): Readable {
  const archive = new ZipArchive({ store: true });
  // One listener each (not one per entry): `next` is the wait for the entry in hand.
  let next: { resolve: () => void; reject: (e: Error) => void } | null = null;
  archive.on("entry", () => next?.resolve());
  archive.on("error", (e) => next?.reject(e));
  void (async () => {
    try {
      for (const letter of letters) {
        const row = await db
          .selectFrom("letter_pdfs")
          .innerJoin("letters", "letters.id", "letter_pdfs.letter_id")
          .select(["letter_pdfs.pdf", "letter_pdfs.status", "letter_pdfs.fingerprint", "letters.fingerprint as letter_fingerprint"])
          .where("letter_pdfs.letter_id", "=", letter.id)
          .executeTakeFirst();
        const pdf = row && row.status === "ready" && row.fingerprint === row.letter_fingerprint ? toBuffer(row.pdf) : null;
        if (!pdf) continue;
        const written = new Promise<void>((resolve, reject) => (next = { resolve, reject }));
        archive.append(pdf, { name: letter.filename });
        await written;
        next = null;
      }
      await archive.finalize();
    } catch (error) {
      archive.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  })();
  return archive;
}
