// Forms for cover letters. Place and subject end up in the letter's header lines, so
// they are single lines; the sender's own paragraph may span lines (CRLF becomes LF)
// but carries no other control characters. Place and language may be left blank: the
// model fills in the sender's city and the recipients' language. Whether the user may
// write for that organisation to that country is a database question (letter.server.ts).
import { z } from "zod";
import { isoDate, optionalLine, optionalText } from "./common.server";

const id = (message: string) =>
  z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number({ error: message }).int(message).positive(message));

const optionalId = z.preprocess((v) => (v === "" || v === undefined ? null : v), z.coerce.number().int().positive().nullable());

export const letterSchema = z.object({
  statementId: id("Choose a statement."),
  countryCode: z
    .string({ error: "Choose a country." })
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, "Choose a country."),
  organisationId: id("Choose the sending organisation."),
  // Checkboxes arrive in the order the form lists them: the signers' own order.
  signerIds: z.preprocess(
    (v) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]),
    z.array(z.coerce.number().int().positive(), { error: "Choose who signs." }).min(1, "Choose at least one signer.").max(10, "At most ten people can sign a letter."),
  ),
  place: optionalLine("Place", 100),
  date: isoDate("Date"),
  language: z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? null : v),
    z.string().trim().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "Choose a language from the list.").nullable().optional(),
  ).transform((v) => v ?? null),
  subject: optionalLine("Subject", 200),
  ownParagraph: optionalText("Your own paragraph", 4000),
});

export type LetterFormInput = z.infer<typeof letterSchema>;

/** The list's filters: ?statement=<id>&country=<code>; anything else is ignored. */
export const letterFilterSchema = z.object({
  statement: optionalId.catch(null),
  country: z
    .preprocess((v) => (typeof v === "string" && /^[A-Za-z]{2}$/.test(v.trim()) ? v.trim().toUpperCase() : null), z.string().nullable())
    .catch(null),
});
