// The edge between a submitted form and the domain: Zod parses, and a failure comes
// back with errors per field plus what the user typed, so nothing is lost (the 400
// itself is app/web/forms.server.ts).
import type { z } from "zod";
import type { FieldErrors } from "~/lib/field-errors";

export type FormFailure = { ok: false; errors: FieldErrors; formErrors: string[]; values: Record<string, string> };

export function formValues(form: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (typeof v === "string" && !/password|token/i.test(k)) values[k] = v;
  return values;
}

export function parseForm<S extends z.ZodTypeAny>(
  schema: S,
  form: FormData,
): { ok: true; data: z.infer<S> } | FormFailure {
  const raw = Object.fromEntries([...form.keys()].map((k) => [k, form.getAll(k).length > 1 ? form.getAll(k) : form.get(k)]));
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  const formErrors: string[] = [];
  for (const issue of result.error.issues) {
    const key = issue.path.join(".");
    if (!key) formErrors.push(issue.message);
    else (errors[key] ??= []).push(issue.message);
  }
  return { ok: false, errors, formErrors, values: formValues(form) };
}

