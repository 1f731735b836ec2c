// Form failures as responses: 400 with the field errors and what the user typed.
import { data } from "@remix-run/node";
import type { FieldErrors } from "~/lib/field-errors";
import { formValues, type FormFailure } from "~/schemas/form.server";

/** A 400 response carrying field errors and the submitted values back to the form. */
export function invalid(failure: Omit<FormFailure, "ok"> | FormFailure) {
  return data({ ok: false as const, errors: failure.errors, formErrors: failure.formErrors, values: failure.values }, { status: 400 });
}

/** A form-wide error (not tied to a field), keeping the user's input. */
export function formError(form: FormData, message: string, status = 400) {
  return data({ ok: false as const, errors: {} as FieldErrors, formErrors: [message], values: formValues(form) }, { status });
}
