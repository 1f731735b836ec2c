// Form failures as responses: 400 with the field errors and what the user typed
// (a refusal a model threw gets here through app/web/respond.server.ts).
import { data } from "@remix-run/node";
import type { FieldErrors } from "~/lib/field-errors";
import { formValues, type FormFailure } from "~/schemas/form.server";

/**
 * A 400 response carrying field errors and the submitted values back to the form;
 * `keep` is anything else the form needs back (the boxes that were ticked).
 */
export function invalid<K extends object = Record<never, never>>(failure: Omit<FormFailure, "ok"> | FormFailure, keep?: K, status = 400, headers?: HeadersInit) {
  return data({ ...(keep as K), ok: false as const, errors: failure.errors, formErrors: failure.formErrors, values: failure.values }, { status, headers });
}

/** A form-wide error (not tied to a field), keeping the user's input. */
export function formError<K extends object = Record<never, never>>(form: FormData, message: string, status = 400, keep?: K, headers?: HeadersInit) {
  return invalid({ errors: {} as FieldErrors, formErrors: [message], values: formValues(form) }, keep, status, headers);
}

/** The failure with the messages of `fields` (ones the form does not show) moved above the form, after its own. */
export function aboveForm<F extends Omit<FormFailure, "ok">>(failure: F, fields: string[]): F {
  const errors = { ...failure.errors };
  const formErrors = [...failure.formErrors];
  for (const key of fields) {
    formErrors.push(...(errors[key] ?? []));
    delete errors[key];
  }
  return { ...failure, errors, formErrors };
}
