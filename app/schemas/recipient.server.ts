// Forms for recipient lists: one entry, the small buttons beside it (move, remove,
// mark checked), the coordinator's assignment form, the coverage filters, and the
// CSV import. Names, titles and salutations end up in letters and mail headers, so
// they are single lines (common.server.ts refuses CR/LF and other controls). Whether
// the editor may touch the country is a database question, answered in the models.
import { readCsvTable } from "~/platform/csv-table.server";
import { z } from "zod";
import { isoDate, line, optionalLine } from "./common.server";
import { CountryFiltersSchema } from "./country.server";
// The upload limits, the form reading and the UTF-8 check: one rule for every CSV.
import { decodeUpload, IMPORT_MAX_LABEL, readImportForm, type ImportFormRequest } from "./import-upload.server";

export const RECIPIENT_KINDS = ["addressee", "copy"] as const;

const displayNames = new Intl.DisplayNames(["en"], { type: "language", fallback: "none" });

/**
 * A BCP 47 tag in its canonical spelling ("NB-no" -> "nb-NO"), or null when it is not
 * well formed or its language is unknown to ICU ("xx", "english"). ICU's list of
 * language names is the test of "known": it has every language a letter is written in.
 */
export function canonicalLanguage(tag: string): string | null {
  try {
    const [canonical] = Intl.getCanonicalLocales(tag.trim());
    if (!canonical) return null;
    const language = new Intl.Locale(canonical).language;
    return displayNames.of(language) ? canonical : null;
  } catch {
    return null;
  }
}

/** "Norwegian Bokmål" for nb; the tag itself if ICU has no name for it. */
export function languageName(tag: string): string {
  try {
    return displayNames.of(tag) ?? tag;
  } catch {
    return tag;
  }
}

const letterLanguage = (label = "Language") =>
  z
    .string({ error: `${label} is required.` })
    .trim()
    .min(1, `${label} is required: a language tag such as en or nb.`)
    .max(35, `${label} must be at most 35 characters.`)
    .transform((s, ctx) => {
      const canonical = canonicalLanguage(s);
      if (canonical) return canonical;
      ctx.addIssue({ code: "custom", message: `${label} must be a known BCP 47 language tag, such as en, nb or fr; “${s.slice(0, 35)}” is not one.` });
      return z.NEVER;
    });

// Unlike the account forms (common.server.ts `email`), the address is kept as typed:
// it is printed in the letter ("Andreas.Motzfeldt.Kravik@mfa.no"), not used to sign in.
const recipientEmail = (label = "Email") =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? null : typeof v === "string" ? v.trim() : v),
    z.string().max(254, `${label} is too long.`).email(`${label} must be a valid email address, like name@example.org.`).nullable().optional(),
  ).transform((v) => v ?? null);

const fields = (today: string) => ({
  name: line("Name", 200),
  title: line("Title or role", 200),
  institution: optionalLine("Institution", 200),
  email: recipientEmail("Email"),
  salutation: optionalLine("Salutation", 200),
  language: letterLanguage("Language"),
  kind: z.preprocess(
    (v) => (typeof v === "string" ? v.trim().toLowerCase() : v),
    z.enum(RECIPIENT_KINDS, { error: "Choose whether the letter is addressed to this person or copied to them (addressee or copy)." }),
  ),
  checked_on: isoDate("Checked on").refine((d) => d <= today, `Checked on cannot be after today (${today}).`),
});

type Fields = { kind: (typeof RECIPIENT_KINDS)[number]; salutation: string | null };
// The letter opens with the addressee's salutation; a copy needs none.
function salutationForAddressee(v: Fields, ctx: z.RefinementCtx) {
  if (v.kind === "addressee" && !v.salutation) {
    ctx.addIssue({ code: "custom", path: ["salutation"], message: "An addressee needs a salutation line, like “Foreign Minister Espen Barth Eide,”." });
  }
}

/** One recipient as the form sends it; `today` bounds the checked-on date. */
export const recipientSchema = (today: string) => z.object(fields(today)).superRefine(salutationForAddressee);
export type RecipientInput = z.infer<ReturnType<typeof recipientSchema>>;

/** Another recipient of the country, as the fallback select offers it. */
export interface FallbackChoice {
  id: number;
  name: string;
  email: string | null;
}

/**
 * The recipient a letter is sent to instead when this one's address bounces (issue 12):
 * blank for none, else another recipient of the same country (`choices`, which leave out
 * `self`) with an email address of its own.
 */
const fallbackRecipient = (self: number, choices: FallbackChoice[], countryName: string) =>
  z.preprocess(
    (v) => (v === undefined || v === null || (typeof v === "string" && v.trim() === "") ? null : v),
    z.coerce.number({ error: "Choose a recipient from the list, or no fallback." }).int("Choose a recipient from the list, or no fallback.").positive("Choose a recipient from the list, or no fallback.").nullable(),
  ).superRefine((id, ctx) => {
    if (id === null) return;
    const choice = choices.find((c) => c.id === id && c.id !== self);
    if (id === self) ctx.addIssue({ code: "custom", message: `A recipient cannot be their own fallback: choose another recipient of ${countryName}, such as its embassy, or no fallback.` });
    else if (!choice) ctx.addIssue({ code: "custom", message: `A fallback must be another recipient of ${countryName}; that one is not on its list (was it just removed?).` });
    else if (!choice.email?.trim()) ctx.addIssue({ code: "custom", message: `${choice.name} has no email address: a fallback is written to when this address bounces, so it needs one.` });
  });

/** One recipient as its edit form sends it, with the fallback; `today` bounds the checked-on date. */
export const recipientEditSchema = (today: string, fallback: { self: number; choices: FallbackChoice[]; countryName: string }) =>
  z.object({ ...fields(today), fallback_recipient_id: fallbackRecipient(fallback.self, fallback.choices, fallback.countryName) }).superRefine(salutationForAddressee);
export type RecipientEditInput = z.infer<ReturnType<typeof recipientEditSchema>>;

export const recipientIdSchema = z.object({ recipientId: z.coerce.number().int().positive() });
export const moveRecipientSchema = recipientIdSchema.extend({ direction: z.enum(["up", "down"]) });
export const organisationIdSchema = z.object({
  organisationId: z.coerce.number({ error: "Choose an organisation." }).int("Choose an organisation.").positive("Choose an organisation."),
});

/** `/coverage?on=2025-01-14&gaps=1&group=african`: the countries page's date and group, blank meaning "not filtering", and gaps only. */
export const coverageQuerySchema = CountryFiltersSchema.pick({ on: true, group: true }).extend({
  gaps: z.preprocess((v) => v === "1" || v === "on" || v === "true", z.boolean()),
});

// ---- CSV import -------------------------------------------------------------------

export const RECIPIENT_CSV_COLUMNS = ["name", "title", "institution", "email", "salutation", "language", "kind", "position", "checked_on"] as const;
const REQUIRED_COLUMNS = ["name", "title", "language", "kind", "checked_on"] as const;
export const RECIPIENT_IMPORT_MAX_ROWS = 1000;

/** One CSV row: the form's rules, plus the optional order within its kind. */
export const recipientRowSchema = (today: string) =>
  z
    .object({
      ...fields(today),
      position: z.preprocess(
        (v) => (typeof v === "string" && v.trim() === "" ? undefined : typeof v === "string" ? v.trim() : v),
        z.coerce.number({ error: "Position must be a whole number (1, 2, 3...)." }).int("Position must be a whole number (1, 2, 3...).").min(0, "Position must not be negative.").max(100_000, "Position is too large.").optional(),
      ),
    })
    .superRefine(salutationForAddressee);
export type RecipientRow = z.infer<ReturnType<typeof recipientRowSchema>>;

export const recipientImportFormSchema = z.object({
  intent: z.enum(["preview", "confirm"], { error: "Unknown action." }),
  mode: z.enum(["add", "replace"], { error: "Choose whether to add to the list or replace it." }),
  text: z.string().default(""),
});
export type RecipientImportForm = z.infer<typeof recipientImportFormSchema>;
export type ImportMode = RecipientImportForm["mode"];

export interface CsvRow {
  line: number;
  raw: Partial<Record<(typeof RECIPIENT_CSV_COLUMNS)[number], string>>;
  problems: string[];
}


/**
 * A CSV file whose first line names its columns (any order; name, title, language,
 * kind and checked_on required). UTF-8 with or without BOM; comma or semicolon,
 * whichever the header line uses, as Excel writes it in different locales.
 */
export function parseRecipientCsv(text: string): { ok: true; rows: CsvRow[] } | { ok: false; message: string } {
  const table = readCsvTable(text, {
    maxRows: RECIPIENT_IMPORT_MAX_ROWS,
    tooMany: `Import at most ${RECIPIENT_IMPORT_MAX_ROWS.toLocaleString("en")} recipients at a time.`,
    columns: RECIPIENT_CSV_COLUMNS,
    required: REQUIRED_COLUMNS,
  });
  if (!table.ok) return table;
  if (table.rows.length === 0) return { ok: false, message: "The file has no rows below its header line." };
  return { ok: true, rows: table.rows };
}

export type RecipientImportRequest = ImportFormRequest<RecipientImportForm>;

const tooLarge = `The file is larger than ${IMPORT_MAX_LABEL}. A country's recipient list is far smaller: is this the right file?`;

/** Reads the import form: a CSV upload, or pasted CSV text and the confirmation. */
export function readRecipientImportRequest(request: Request): Promise<RecipientImportRequest> {
  return readImportForm(request, { schema: recipientImportFormSchema, fields: ["intent", "mode", "text"], tooLarge: () => tooLarge });
}

export { decodeUpload, IMPORT_MAX_LABEL };
