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
}

/** The person may not do this. */
export class Forbidden extends DomainError {
  name = "Forbidden";
}

/** The request is understood but refused as things stand (a rule, a conflict, a stale confirmation); nothing was stored. */
export class Refused extends DomainError {
  name = "Refused";
}

/** Input the form schema could not judge alone (a country that does not exist): shown beside the field. */
export class FieldInputError extends DomainError {
  name = "FieldInputError";
  constructor(readonly errors: FieldErrors) {
    super(Object.values(errors).flat().join(" "));
  }
}
