// What the country pages and the states-parties API accept in their URLs. Kept in a
// .server file so Zod stays out of the browser bundle (see STACK-NOTES).
import { z } from "zod";
import type { FieldErrors } from "~/lib/field-errors";
import { REGIONAL_GROUPS } from "~/lib/regional-groups";
import { countryCode, isoDate } from "./common.server";

// A GET form sends every field, blank ones as "": blank means "not filtering".
const blankIsAbsent = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), schema.optional());

export const CountryFiltersSchema = z.object({
  on: blankIsAbsent(isoDate("Date")),
  group: blankIsAbsent(z.enum(REGIONAL_GROUPS, { error: "Choose a regional group from the list." })),
  q: blankIsAbsent(z.string().trim().max(100, "Search must be at most 100 characters.")),
});
export type CountryFilters = z.infer<typeof CountryFiltersSchema>;

export type QueryResult<T> =
  | { ok: true; data: T; values: Record<string, string> }
  | { ok: false; errors: FieldErrors; values: Record<string, string> };

/** Parses a URL's query; on failure returns errors per field and what was typed. */
export function parseQuery<S extends z.ZodTypeAny>(schema: S, params: URLSearchParams): QueryResult<z.infer<S>> {
  const values = Object.fromEntries(params);
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data, values };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) (errors[issue.path.join(".") || "form"] ??= []).push(issue.message);
  return { ok: false, errors, values };
}

/** `?on=` for the API: absent (or blank) means today, anything else must be a real date. */
export const StatesPartiesQuerySchema = z.object({ on: blankIsAbsent(isoDate("The date in ?on=")) });

/** An ISO 3166-1 alpha-2 code in a URL, in either case. */
export const CountryCodeSchema = countryCode;
