// The public sign-on form and the coordinators' moderation forms. Names end up on a
// published list, in mail headers and in letters: they are single lines, bounded, and
// refuse text-direction controls (line() does), because a right-to-left override in
// one name can visually reverse the names around it. The note is free text for the
// coordinators only, so it may span lines; the moderation page shows it isolated.
import { z } from "zod";
import { countryCode, email, line, optionalLine, optionalText, optionalUrl } from "./common.server";

/** The honeypot's field name: a real person never sees it, a form-filling robot fills it. */
export const HONEYPOT_FIELD = "additional_reference";

const hasLetters = (s: string) => /[\p{L}\p{N}]/u.test(s);

// optionalUrl lets a line break through (the URL parser skips it) but the text is
// stored as typed: a website is one unbroken address, with no direction controls.
const website = optionalUrl("Website").refine(
  (v) => v === null || !/[\s\u0000-\u001F\u007F\u202A-\u202E\u2066-\u2069]/.test(v),
  "Website must be one address, without spaces, line breaks or text-direction characters.",
);

export const signOnSchema = z.object({
  name: line("Organisation name", 300).refine(hasLetters, "Organisation name must contain letters or digits."),
  acronym: optionalLine("Acronym", 40),
  country: countryCode,
  website,
  contact_name: line("Contact person", 200),
  contact_title: line("Their title", 200),
  email: email("Email"),
  note: optionalText("Note to the coordinators", 2000),
  consent: z.literal("yes", { error: "Tick the box to agree to how we use these details; we cannot record the signature without it." }),
});
export type SignOnInput = z.infer<typeof signOnSchema>;

const signatureId = z.coerce.number({ error: "Choose a signature." }).int().positive("Choose a signature.");

export const moderationSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("approve"), signatureId }),
  z.object({ intent: z.literal("reject"), signatureId, reason: line("Reason", 1000) }),
  z.object({
    intent: z.literal("display-name"),
    signatureId,
    // Blank goes back to the name the organisation typed.
    display_name: optionalLine("Displayed name", 300),
  }),
  z.object({
    intent: z.literal("footnote"),
    signatureId,
    footnote_mark: z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? null : typeof v === "string" ? v.trim() : v), z.string().max(10).nullable()),
  }),
  z.object({
    intent: z.literal("remove"),
    signatureId,
    reason: line("Reason", 1000),
    confirm: z.literal("yes", { error: "Tick the box to confirm the removal." }),
  }),
]);
export type ModerationInput = z.infer<typeof moderationSchema>;

export const moderationFilterSchema = z.object({
  q: z.string().trim().max(200).catch(""),
  remove: z.coerce.number().int().positive().optional().catch(undefined),
});
