// The outreach forms: the board's filters (a GET form: a bad value is ignored, not an
// error) and the four things a person logs about a state (a reply, a meeting, a
// follow-up, a letter sent outside Demarche). Names and summaries are single lines
// (they appear in tables, the CSV and the map's tooltips); the reply text and meeting
// notes are free text, where line breaks and right-to-left text are legitimate (a
// reply pasted from an Arabic or Hebrew mail), so only non-printing controls are refused.
import { MaxPartSizeExceededError, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from "@remix-run/node";
import { z } from "zod";
import { OUTREACH_STATUSES } from "~/lib/outreach-status";
import { REGIONAL_GROUPS } from "~/lib/regional-groups";
import { isoDate, line, optionalLine } from "./common.server";

/** Uploaded replies (.eml or .pdf) are kept in the database: a ministry's letter is rarely larger. */
const ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024;
export const ATTACHMENT_MAX_LABEL = "5 MB";
/** A pasted reply, a whole mail thread included, fits; a pasted book does not. */
export const BODY_MAX_CHARS = 200_000;

const optionalId = z.preprocess((v) => (v === "" || v === undefined ? null : v), z.coerce.number().int().positive().nullable());

const boardFilterSchema = z.object({
  status: z.enum(OUTREACH_STATUSES).nullable().catch(null),
  group: z.enum(REGIONAL_GROUPS).nullable().catch(null),
  organisation: optionalId.catch(null),
});
export type BoardFilters = z.infer<typeof boardFilterSchema>;

/** ?status=&group=&organisation= -> filters; unknown or empty values mean "all". */
export function boardFiltersFrom(params: URLSearchParams): BoardFilters {
  const get = (k: string) => params.get(k) || null;
  return boardFilterSchema.parse({ status: get("status"), group: get("group"), organisation: get("organisation") ?? "" });
}

const addDays = (isoDay: string, days: number) => {
  const d = new Date(`${isoDay}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

/** The day the Rome Statute was adopted: nothing about an ICC statement happened before it. */
const EARLIEST = "1998-07-17";

/**
 * A day something happened: a real date, not before 1998, and not after tomorrow (a
 * person one time zone ahead of UTC may already be on tomorrow's date). Like isoDate's
 * rules, these stop at the first that fails: one error per field.
 */
const pastDate = (label: string, today: string, missing?: string) =>
  isoDate(label, missing)
    .refine((d) => d >= EARLIEST, { error: `${label} cannot be before 17 July 1998.`, abort: true })
    .refine((d) => d <= addDays(today, 1), { error: `${label} cannot be in the future.`, abort: true });

const CONTROL_IN_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** Free text (reply text, notes): CRLF becomes LF; tabs, line breaks and bidi marks stay. */
const freeText = (label: string, max: number) =>
  z.preprocess(
    (v) => (typeof v === "string" ? (v.trim() === "" ? null : v.replace(/\r\n?/g, "\n").trim()) : null),
    z
      .string()
      .max(max, `${label} must be at most ${max.toLocaleString("en")} characters.`)
      .refine((s) => !CONTROL_IN_TEXT.test(s), `${label} must not contain control characters.`)
      .nullable(),
  );

export const replySchema = (today: string) =>
  z.object({
    // An .eml fills the date in (prepareReply) when the field is left empty.
    happenedOn: pastDate("Date of the reply", today, "Date of the reply is required (or attach an .eml)."),
    correspondent: line("From whom", 200),
    summary: line("Summary", 500),
    body: freeText("Reply text", BODY_MAX_CHARS),
  });
export type ReplyInput = z.infer<ReturnType<typeof replySchema>>;

export const meetingSchema = (today: string) =>
  z.object({
    happenedOn: pastDate("Date of the meeting", today),
    correspondent: line("With whom", 200),
    summary: line("Summary", 500),
    body: freeText("Notes", 20_000),
  });
export type MeetingInput = z.infer<ReturnType<typeof meetingSchema>>;

export const followUpSchema = (today: string) =>
  z.object({
    dueOn: isoDate("Due date")
      .refine((d) => d >= EARLIEST, { error: "Due date cannot be before 17 July 1998.", abort: true })
      .refine((d) => d <= addDays(today, 5 * 366), { error: "Due date must be within five years.", abort: true }),
    summary: line("What to do", 500),
  });
export type FollowUpInput = z.infer<ReturnType<typeof followUpSchema>>;

export const followUpDoneSchema = z.object({ eventId: z.coerce.number().int().positive() });

/** Removing an entry logged by mistake: which one, and why (kept in the audit log). */
export const removeEventSchema = z.object({
  eventId: z.coerce.number().int().positive(),
  reason: z.string().trim().min(1, "Say why the entry is removed (it is kept in the audit log).").max(500, "Keep the reason under 500 characters.").refine((v) => !/[\r\n]/.test(v), "Keep the reason on one line."),
});

export const sentOutsideSchema = (today: string) =>
  z.object({
    happenedOn: pastDate("Date sent", today),
    organisationId: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number({ error: "Choose the organisation that sent it." }).int().positive("Choose the organisation that sent it.")),
    summary: optionalLine("Note", 500),
  });
export type SentOutsideInput = z.infer<ReturnType<typeof sentOutsideSchema>>;

export type OutreachFormRead =
  | { ok: true; form: FormData; file: File | null; tooLarge: { field: string; filename: string | null } | null }
  | { ok: false; status: number; message: string };

/**
 * Reads an outreach form, url-encoded or multipart (the reply's upload). The file is
 * held in memory; one larger than the limit is dropped while it streams in and
 * reported (`tooLarge`: its field and name), so the other fields survive and the error can sit
 * beside the file field. Remix's parser keeps reading the rest of a dropped part, so
 * a body far past the limit is refused before parsing.
 */
export async function readOutreachForm(request: Request): Promise<OutreachFormRead> {
  const type = request.headers.get("Content-Type") ?? "";
  if (!type.startsWith("multipart/form-data")) {
    try {
      return { ok: true, form: await request.formData(), file: null, tooLarge: null };
    } catch {
      return { ok: false, status: 400, message: "The form could not be read. Try again." };
    }
  }
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > 3 * ATTACHMENT_MAX_BYTES) {
    return { ok: false, status: 413, message: `The upload is far larger than ${ATTACHMENT_MAX_LABEL}. Attach a smaller file, or paste the reply's text.` };
  }
  let tooLarge: { field: string; filename: string | null } | null = null;
  const memory = unstable_createMemoryUploadHandler({ maxPartSize: ATTACHMENT_MAX_BYTES });
  // Content-Length can be absent (chunked) or lie: the body is also counted as it is read,
  // across all parts, and a form with more parts than ours has is refused.
  let total = 0;
  let parts = 0;
  const tooMuch = new Error("multipart body over budget");
  const counted = <T extends { data: AsyncIterable<Uint8Array> }>(part: T): T => ({
    ...part,
    data: (async function* () {
      for await (const chunk of part.data) {
        total += chunk.byteLength;
        if (total > 3 * ATTACHMENT_MAX_BYTES) throw tooMuch;
        yield chunk;
      }
    })(),
  });
  try {
    const form = await unstable_parseMultipartFormData(request, async (part) => {
      if (++parts > 40) throw tooMuch;
      try {
        return await memory(counted(part));
      } catch (error) {
        if (!(error instanceof MaxPartSizeExceededError)) throw error;
        tooLarge = { field: part.name, filename: part.filename ?? null };
        return undefined;
      }
    });
    const file = form.get("attachment");
    return { ok: true, form, file: file instanceof File && file.size > 0 ? file : null, tooLarge };
  } catch (error) {
    if (error === tooMuch) return { ok: false, status: 413, message: `The upload is far larger than ${ATTACHMENT_MAX_LABEL}. Attach a smaller file, or paste the reply's text.` };
    return { ok: false, status: 400, message: "The form could not be read. Try again." };
  }
}
