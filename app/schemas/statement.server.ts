// The statement form: what a coordinator types on /statements/new and /edit. What the
// form alone cannot judge (is the slug taken? may this status change the slug? does
// the organisation exist?) is decided in app/models/statement.server.ts.
import { z } from "zod";
import { isoDate, line, optionalLine } from "./common.server";

export const BODY_MAX = 100_000;
export const POINT_MAX = 2_000;
export const POINTS_MAX = 100;
export const FOOTNOTES_MAX = 20;

/** Languages a statement may be written in: BCP 47 tags, each one Intl can collate. */
export const STATEMENT_LANGUAGES = ["en", "fr", "es", "ar", "pt", "ru", "de", "nl", "nb", "da", "sv"] as const;

const CONTROL_EXCEPT_NEWLINE_TAB = /[\u0000-\u0008\u000B-\u001F\u007F]/;
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;

/** Lowercase letters, digits and single hyphens between them: `stand-with-the-icc-2025`. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SLUG_MAX = 80;
// /statements/new is a page of its own, so a statement called "new" could never be managed.
export const RESERVED_SLUGS = new Set(["new"]);

export function slugProblem(slug: string): string | null {
  if (slug.length > SLUG_MAX) return `The address must be at most ${SLUG_MAX} characters.`;
  if (!SLUG_PATTERN.test(slug)) return "Use lowercase letters a–z, digits and single hyphens between them, e.g. oppose-icc-sanctions.";
  if (RESERVED_SLUGS.has(slug)) return `"${slug}" is reserved; choose another address.`;
  return null;
}

/** A slug made from a title: "Civil society urges States…" -> "civil-society-urges-states". */
export function slugFromTitle(title: string): string {
  const slug = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[øœæß]/g, (c) => ({ ø: "o", œ: "oe", æ: "ae", ß: "ss" })[c] ?? c)
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug.slice(0, 60).replace(/-+$/, "");
}

const blankToNull = (v: unknown) => (typeof v === "string" && v.trim() === "" ? null : v);

const slug = z.preprocess(
  blankToNull,
  z
    .string()
    .trim()
    .superRefine((s, ctx) => {
      const problem = slugProblem(s);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .nullable()
    .optional(),
).transform((v) => v ?? null);

const language = z
  .string({ error: "Choose a language." })
  .trim()
  .refine((v) => (STATEMENT_LANGUAGES as readonly string[]).includes(v), "Choose a language from the list.")
  .refine((v) => {
    try {
      return Intl.getCanonicalLocales(v)[0] === v && Intl.Collator.supportedLocalesOf([v]).length === 1;
    } catch {
      return false;
    }
  }, "This is not a language code this server can sort names in.");

const authorId = z
  .preprocess(blankToNull, z.coerce.number({ error: "Choose an organisation from the list." }).int().positive("Choose an organisation from the list.").nullable().optional())
  .transform((v) => v ?? null);

/** Multi-line Markdown: newlines normalised, no other control or text-direction characters. */
const body = z
  .string()
  .default("")
  .transform((s) => s.replace(/\r\n?/g, "\n").normalize("NFC").replace(/\s+$/, ""))
  .pipe(
    z
      .string()
      .max(BODY_MAX, `The text must be at most ${BODY_MAX.toLocaleString("en")} characters.`)
      .refine((s) => !CONTROL_EXCEPT_NEWLINE_TAB.test(s), "The text must not contain control characters.")
      .refine((s) => !BIDI_CONTROL.test(s), "The text must not contain text-direction control characters."),
  );

/** Points, one per line, in order: blank lines are ignored. */
export function splitPoints(text: string): string[] {
  return text
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((p) => p.normalize("NFC").trim())
    .filter((p) => p !== "");
}

const points = z
  .string()
  .default("")
  .transform(splitPoints)
  .superRefine((list, ctx) => {
    if (list.length > POINTS_MAX) ctx.addIssue({ code: "custom", message: `At most ${POINTS_MAX} points.` });
    list.forEach((p, i) => {
      if (p.length > POINT_MAX) ctx.addIssue({ code: "custom", message: `Point ${i + 1} is ${p.length.toLocaleString("en")} characters long; the limit is ${POINT_MAX.toLocaleString("en")}.` });
      if (/[\u0000-\u0008\u000B-\u001F\u007F]/.test(p)) ctx.addIssue({ code: "custom", message: `Point ${i + 1} contains control characters.` });
      if (BIDI_CONTROL.test(p)) ctx.addIssue({ code: "custom", message: `Point ${i + 1} contains text-direction control characters.` });
    });
  });

const footnoteMark = z
  .string()
  .trim()
  .max(5, "A mark is at most 5 characters, e.g. * or †.")
  .refine((s) => !/[\s\u0000-\u001F\u007F]/.test(s), "A mark has no spaces.")
  .refine((s) => !BIDI_CONTROL.test(s), "A mark must not contain text-direction control characters.");

const footnoteText = z
  .string()
  .default("")
  .transform((s) => s.normalize("NFC").trim())
  .pipe(
    z
      .string()
      .max(2000, "A footnote is at most 2,000 characters.")
      .refine((s) => !/[\u0000-\u001F\u007F]/.test(s), "A footnote must be a single line without control characters.")
      .refine((s) => !BIDI_CONTROL.test(s), "A footnote must not contain text-direction control characters."),
  );

// Rows are kept at the index the form sent them, blank ones too, so an error's path
// ("footnotes.2.mark") is the name of the field it belongs beside.
const footnoteRow = z.object({ mark: footnoteMark.default(""), text: footnoteText }).superRefine((row, ctx) => {
  if (row.mark === "" && row.text !== "") ctx.addIssue({ code: "custom", path: ["mark"], message: "Give this footnote a mark, e.g. *." });
  if (row.mark !== "" && row.text === "") ctx.addIssue({ code: "custom", path: ["text"], message: "Write the footnote's text." });
});

const footnotes = z
  .array(footnoteRow)
  .superRefine((rows, ctx) => {
    const seen = new Set<string>();
    rows.forEach((r, i) => {
      if (r.mark === "") return;
      if (seen.has(r.mark)) ctx.addIssue({ code: "custom", path: [i, "mark"], message: `The mark ${r.mark} is already used by another footnote.` });
      seen.add(r.mark);
    });
  })
  .transform((rows) => rows.filter((r) => r.mark !== ""))
  .refine((rows) => rows.length <= FOOTNOTES_MAX, `At most ${FOOTNOTES_MAX} footnotes.`);

/** "2025-03-01T12:00" (a datetime-local field, read as UTC) -> "2025-03-01T12:00:00.000Z". */
export function parseDeadline(value: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d{1,3})?Z?$/.exec(value.trim());
  if (!m) return null;
  const [, date, hh, mm, ss = "00"] = m;
  const d = new Date(`${date}T${hh}:${mm}:${ss}Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 19) !== `${date}T${hh}:${mm}:${ss}`) return null;
  return d.toISOString();
}

export const deadlineField = z
  .preprocess(
    blankToNull,
    z
      .string()
      .transform((v, ctx) => {
        const iso = parseDeadline(v);
        if (!iso) ctx.addIssue({ code: "custom", message: "The deadline must be a real date and time, written YYYY-MM-DD HH:MM (UTC)." });
        return iso ?? v;
      })
      .nullable()
      .optional(),
  )
  .transform((v) => v ?? null);

/** Turns the flat `footnotes.N.mark` / `footnotes.N.text` fields into rows. */
function gatherFootnotes(raw: unknown): unknown {
  if (!raw || typeof raw !== "object") return raw;
  const { ...rest } = raw as Record<string, unknown>;
  const rows: Record<string, unknown>[] = [];
  for (const key of Object.keys(rest)) {
    const m = /^footnotes\.(\d{1,3})\.(mark|text)$/.exec(key);
    if (!m) continue;
    (rows[Number(m[1])] ??= {})[m[2]] = rest[key];
    delete rest[key];
  }
  return { ...rest, footnotes: Array.from(rows, (r) => r ?? {}) };
}

export const statementSchema = z.preprocess(
  gatherFootnotes,
  z.object({
    title: line("Title", 300),
    slug,
    date: isoDate("Date"),
    author: authorId,
    language,
    lead_in: optionalLine("Lead-in line", 500).transform((v) => v ?? ""),
    body,
    points,
    footnotes,
    deadline: deadlineField,
    confirm_update: z.string().optional().transform((v) => v === "yes"),
  }),
);
export type StatementInput = z.infer<typeof statementSchema>;

export const transitionSchema = z.object({
  intent: z.enum(["open", "close", "reopen"]),
  deadline: deadlineField,
});
