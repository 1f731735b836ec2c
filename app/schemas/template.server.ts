// Forms of the template editor. The body is kept exactly as typed (no trimming: a
// template's spacing is its output), except that the browser's CRLF line ends become LF
// so an unchanged text never looks edited. Whether the path names a real template, and
// whether the text compiles, is the model's question (template-version.server.ts).
import { z } from "zod";
import { chosenId, countryCode, isoDate, optionalLanguageChoice, optionalLine } from "./common.server";

const MAX_BODY = 100_000;

const body = z
  .string({ error: "Write the template's text." })
  .transform((s) => s.replace(/\r\n?/g, "\n"))
  .pipe(z.string().min(1, "A template cannot be empty.").max(MAX_BODY, `A template must be at most ${MAX_BODY.toLocaleString("en-GB")} characters.`));

/** The version the editor started from (0: the file), so a save cannot silently overwrite a colleague's. */
const baseVersion = z.coerce.number({ error: "Reload the page: the form was incomplete." }).int().min(0);

export const templateSaveSchema = z.object({
  body,
  note: optionalLine("Note", 200),
  baseVersion,
});

export const templatePreviewSchema = z.object({
  body,
  statementId: chosenId("Choose a statement to preview with."),
  countryCode,
  organisationId: chosenId("Choose the sending organisation."),
  // Only asked for shared partials, which every language uses.
  language: optionalLanguageChoice,
  date: isoDate("Date"),
});

/** "Revert to version N" (version = N) or "Back to the file default" (version = "default"). */
export const templateRevertSchema = z.object({
  version: z.union([z.literal("default"), z.coerce.number().int().positive()], { error: "Choose a version to revert to." }),
  baseVersion,
});

export type TemplateSaveInput = z.infer<typeof templateSaveSchema>;
export type TemplatePreviewInput = z.infer<typeof templatePreviewSchema>;
