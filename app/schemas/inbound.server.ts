// The unmatched queue's forms: attach a message to a (statement, state), or discard it.
import { z } from "zod";
import { ISO_COUNTRY_CODE } from "./common.server";

export const attachInboundSchema = z.object({
  statementId: z.coerce.number({ error: "Choose the statement this mail is about." }).int().positive("Choose the statement this mail is about."),
  countryCode: z.string({ error: "Choose the state this mail is from." }).trim().toUpperCase().regex(ISO_COUNTRY_CODE, "Choose the state this mail is from."),
});
export type AttachInboundInput = z.infer<typeof attachInboundSchema>;

export const discardInboundSchema = z.object({
  reason: z.string().trim().max(500, "Say why in 500 characters or fewer.").optional(),
});
