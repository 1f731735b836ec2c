// Forms for organisations and the people who sign letters for them. Names, titles
// and cities end up in letterheads and mail headers, so they are single lines; the
// postal address is the only multi-line field. Whether a country code exists is a
// database question, answered in app/models/organisation.server.ts.
import { z } from "zod";
import { countryCode, line, optionalCountryCode, optionalEmail, optionalLine, optionalText, optionalUrl } from "./common.server";

export const organisationSchema = z.object({
  name: line("Name", 300),
  acronym: optionalLine("Acronym", 40),
  country_code: optionalCountryCode,
  website: optionalUrl("Website"),
  contact_email: optionalEmail("Contact email"),
  postal_address: optionalText("Postal address", 1000),
  city: optionalLine("City", 120),
});
export type OrganisationInput = z.infer<typeof organisationSchema>;

export const signerSchema = z.object({
  name: line("Name", 200),
  title: line("Title", 200),
});
export type SignerInput = z.infer<typeof signerSchema>;

/** The new-organisation form may name a first signer; half a signer (name, no title) is refused. */
export const newOrganisationSchema = organisationSchema
  .extend({
    signer_name: optionalLine("Signer's name", 200),
    signer_title: optionalLine("Signer's title", 200),
  })
  .superRefine((v, ctx) => {
    if (v.signer_name && !v.signer_title) ctx.addIssue({ code: "custom", path: ["signer_title"], message: "Give the signer's title too, or leave both signer fields empty." });
    if (v.signer_title && !v.signer_name) ctx.addIssue({ code: "custom", path: ["signer_name"], message: "Give the signer's name too, or leave both signer fields empty." });
  });

export const moveSchema = z.object({
  signerId: z.coerce.number().int().positive(),
  direction: z.enum(["up", "down"]),
});

export const signerIdSchema = z.object({ signerId: z.coerce.number().int().positive() });

export const organisationFilterSchema = z.object({
  q: z.string().trim().max(200).catch(""),
  country: countryCode.catch(""),
});
