// The edge between a submitted form and the domain: Zod parses, and a failure comes
// back as 400 with errors per field plus what the user typed, so nothing is lost.
import { data } from "@remix-run/node";
import type { z } from "zod";
import type { FieldErrors } from "~/components/forms";

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

/** A 400 response carrying field errors and the submitted values back to the form. */
export function invalid(failure: Omit<FormFailure, "ok"> | FormFailure) {
  return data({ ok: false as const, errors: failure.errors, formErrors: failure.formErrors, values: failure.values }, { status: 400 });
}

/** A form-wide error (not tied to a field), keeping the user's input. */
export function formError(form: FormData, message: string, status = 400) {
  return data({ ok: false as const, errors: {} as FieldErrors, formErrors: [message], values: formValues(form) }, { status });
}
