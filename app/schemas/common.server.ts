// Building blocks for form schemas. Text fields are trimmed, bounded and refuse
// control characters (CR/LF included): names end up in mail headers and letters.
import { z } from "zod";

const CONTROL = /[\u0000-\u0008\u000A-\u001F\u007F]/;
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;

/** A single-line text field: trimmed, 1..max characters, no control characters. */
export const line = (label: string, max = 200) =>
  z
    .string({ error: `${label} is required.` })
    .transform((s) => s.normalize("NFC").trim())
    .pipe(
      z
        .string()
        .min(1, `${label} is required.`)
        .max(max, `${label} must be at most ${max} characters.`)
        .refine((s) => !CONTROL.test(s), `${label} must be a single line without control characters.`)
        .refine((s) => !BIDI_CONTROL.test(s), `${label} must not contain text-direction control characters.`),
    );

/** An optional single-line field: blank becomes null. */
export const optionalLine = (label: string, max = 200) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? null : v), line(label, max).nullable().optional()).transform((v) => v ?? null);

/** Multi-line text (addresses): newlines allowed, other control characters not. */
export const optionalText = (label: string, max = 2000) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? null : typeof v === "string" ? v.replace(/\r\n?/g, "\n").trim() : v),
    z
      .string()
      .max(max, `${label} must be at most ${max} characters.`)
      .refine((s) => !/[\u0000-\u0008\u000B-\u001F\u007F]/.test(s), `${label} must not contain control characters.`)
      .nullable()
      .optional(),
  ).transform((v) => v ?? null);

export const email = (label = "Email") =>
  z
    .string({ error: `${label} is required.` })
    .transform((s) => s.trim().toLowerCase())
    .pipe(z.string().min(1, `${label} is required.`).max(254, `${label} is too long.`).email(`${label} must be a valid email address, like name@example.org.`));

export const optionalEmail = (label = "Email") =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? null : v), email(label).nullable().optional()).transform((v) => v ?? null);

export const optionalUrl = (label = "Website") =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? null : v),
    z
      .string()
      .trim()
      .max(500, `${label} must be at most 500 characters.`)
      .refine((s) => !/[\u0000-\u001F\u007F\s]/.test(s), `${label} must be one address without spaces or line breaks.`)
      .url(`${label} must be a full address starting with https://`)
      .refine((s) => /^https?:\/\//i.test(s), `${label} must start with http:// or https://`)
      .nullable()
      .optional(),
  ).transform((v) => v ?? null);

/**
 * A calendar date YYYY-MM-DD that really exists (2025-02-30 does not). Each rule stops
 * the ones after it (`abort`): an empty field is "missing", not also "badly written"
 * and "not a real date", and a person reads one error per field, the first to fix.
 * `missing` lets a form say how else the date can come (an uploaded .eml, say).
 */
export const isoDate = (label = "Date", missing = `${label} is required.`) =>
  z
    .string({ error: missing })
    .trim()
    .min(1, { error: missing, abort: true })
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: `${label} must be written YYYY-MM-DD.`, abort: true })
    .refine(isRealDate, { error: `${label} is not a real calendar date.`, abort: true });

export function isRealDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export const password = (label = "Password") =>
  z
    .string({ error: `${label} is required.` })
    .min(12, `${label} must be at least 12 characters.`)
    .max(200, `${label} must be at most 200 characters.`);

/** ISO 3166-1 alpha-2, upper case: the spelling the countries table uses. */
export const ISO_COUNTRY_CODE = /^[A-Z]{2}$/;
const CHOOSE_COUNTRY = "Choose a country from the list.";

/**
 * A country as the forms' country lists send it, or as a URL names it: two letters in
 * either case, trimmed and upper-cased ("no" -> "NO"). Whether the code is in the
 * countries table is the models' question.
 */
export const countryCode = z.preprocess(
  (v) => (typeof v === "string" ? v.trim().toUpperCase() : v),
  z.string({ error: CHOOSE_COUNTRY }).regex(ISO_COUNTRY_CODE, CHOOSE_COUNTRY),
);

/** A country that may be left blank: blank becomes null. */
export const optionalCountryCode = z
  .preprocess((v) => (typeof v === "string" && v.trim() === "" ? null : v), countryCode.nullable().optional())
  .transform((v) => v ?? null);

/** A record chosen from a list (a statement, an organisation): a positive whole number; blank is "not chosen". */
export const chosenId = (message: string) =>
  z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number({ error: message }).int(message).positive(message));

/** A language tag chosen from a list of letter languages (en, nb, pt-BR); blank becomes null. */
export const optionalLanguageChoice = z
  .preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? null : v),
    z.string().trim().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "Choose a language from the list.").nullable().optional(),
  )
  .transform((v) => v ?? null);
