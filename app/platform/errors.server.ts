// How a model says no (ADR 0013). Models throw these and nothing else for an expected
// refusal; they never build a Response. One route helper (app/web/respond.server.ts)
// turns them into the answer a person sees: 404, 403, or the form again with the message
// beside the field or above the form and what was typed kept. Anything else that escapes
// a model is a bug and becomes a 500.
import type { FieldErrors } from "~/lib/field-errors";

export class DomainError extends Error {
  name = "DomainError";
}

/** The thing asked for does not exist (or may not be known to exist by this person). */
export class NotFound extends DomainError {
  name = "NotFound";
  readonly status = 404;
}

/** The person may not do this. */
export class Forbidden extends DomainError {
  name = "Forbidden";
  readonly status = 403;
}

/**
 * The request is understood but refused as things stand (a rule, a conflict, a stale
 * confirmation); nothing was stored. `status` is the answer's: 400, or 409 for a conflict
 * with the state of things (a subclass says which).
 */
export class Refused extends DomainError {
  name = "Refused";
  readonly status: number = 400;
}

/** FieldInputError key for the errors that belong to no one field: shown above the form. */
export const FORM_ERRORS = "form";

/** Input the form schema could not judge alone (a country that does not exist): shown beside the field (or above the form, under FORM_ERRORS). */
export class FieldInputError extends DomainError {
  name = "FieldInputError";
  readonly status = 400;
  constructor(readonly errors: FieldErrors) {
    super(Object.values(errors).flat().join(" "));
  }
}
