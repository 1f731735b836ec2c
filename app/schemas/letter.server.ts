// Forms for cover letters. Place and subject end up in the letter's header lines, so
// they are single lines; the sender's own paragraph may span lines (CRLF becomes LF)
// but carries no other control characters. Place and language may be left blank: the
// model fills in the sender's city and the recipients' language. Whether the user may
// write for that organisation to that country is a database question (letter.server.ts).
import { z } from "zod";
import { chosenId, countryCode, isoDate, optionalLanguageChoice, optionalLine, optionalText } from "./common.server";

const optionalId = z.preprocess((v) => (v === "" || v === undefined ? null : v), z.coerce.number().int().positive().nullable());

export const letterSchema = z.object({
  statementId: chosenId("Choose a statement."),
  countryCode,
  organisationId: chosenId("Choose the sending organisation."),
  // Checkboxes arrive in the order the form lists them: the signers' own order.
  signerIds: z.preprocess(
    (v) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]),
    z.array(z.coerce.number().int().positive(), { error: "Choose who signs." }).min(1, "Choose at least one signer.").max(10, "At most ten people can sign a letter."),
  ),
  place: optionalLine("Place", 100),
  date: isoDate("Date"),
  language: optionalLanguageChoice,
  subject: optionalLine("Subject", 200),
  ownParagraph: optionalText("Your own paragraph", 4000),
});

export type LetterFormInput = z.infer<typeof letterSchema>;

/** The list's filters: ?statement=<id>&country=<code>; anything else is ignored. */
export const letterFilterSchema = z.object({
  statement: optionalId.catch(null),
  country: countryCode.nullable().catch(null),
});
