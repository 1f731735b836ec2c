// How a refusal reaches the person (ADR 0013). Models throw the errors of
// ~/platform/errors.server and nothing else; this is the one place that turns them into
// answers: NotFound is the 404 page, Forbidden the 403 page, a FieldInputError the form
// again (400) with each message beside its field and what was typed kept, a Refused
// the form again with its message above it (its status: 400, or 409 for a conflict).
// The database still locked by another process after the busy timeout is not a bug
// either: 503 with Retry-After, and the form again with what was typed.
// Anything else is a bug and goes on to become a 500.
import { TAMPERED_FORM } from "~/lib/field-errors";
import { isDatabaseBusy } from "~/platform/db.server";
import { FieldInputError, Forbidden, FORM_ERRORS, NotFound, Refused } from "~/platform/errors.server";
import { formValues } from "~/schemas/form.server";
import { aboveForm, formError, invalid } from "./forms.server";

export interface FailureOptions<K extends object> {
  /** Said above the form first, when fields are refused ("Nothing was saved…"). */
  formErrors?: string[];
  /** Fields this form does not show: their messages go above it; "all" for a page of buttons. */
  aboveForm?: string[] | "all";
  /** The status this route answers a Refused with, when it is not the error's own. */
  status?: number;
  /** Anything else the form needs back (the signers that were ticked). */
  keep?: K;
}

/** The answer to a form whose hidden fields are not the page's own (400): there is nothing to show beside a field. */
export function tamperedForm(): Response {
  return new Response(TAMPERED_FORM, { status: 400, statusText: "Bad Request" });
}

const RETRY_AFTER_SECONDS = 5;
const BUSY = `The database is busy with other work right now, so nothing was saved. Try again in ${RETRY_AFTER_SECONDS} seconds: what you typed is still here.`;
const busyHeaders = { "Retry-After": String(RETRY_AFTER_SECONDS) };

/** The page for a refusal with no form to show it on (a loader's, or a button's). */
function page(error: unknown): unknown {
  if (isDatabaseBusy(error)) return new Response(BUSY.replace(": what you typed is still here", ""), { status: 503, statusText: "Service Unavailable", headers: busyHeaders });
  if (error instanceof NotFound) return new Response(error.message, { status: 404, statusText: "Not Found" });
  if (error instanceof Forbidden) return new Response(error.message, { status: 403, statusText: "Forbidden" });
  if (error instanceof Refused || error instanceof FieldInputError) return new Response(error.message, { status: error.status });
  return error;
}

/**
 * What a route answers when a model refused: with `form`, a refused field or rule comes
 * back as the form's answer (return it); without, or for a 404 or a 403, the Response
 * is thrown for Remix to show. Anything that is not a refusal is thrown on unchanged.
 */
export function failure(error: unknown): never;
export function failure<K extends object = Record<never, never>>(error: unknown, form: FormData, options?: FailureOptions<K>): ReturnType<typeof invalid<K>>;
export function failure<K extends object>(error: unknown, form?: FormData, options: FailureOptions<K> = {}) {
  if (form && error instanceof FieldInputError) {
    const above = options.aboveForm === "all" ? Object.keys(error.errors) : [FORM_ERRORS, ...(options.aboveForm ?? [])];
    return invalid(aboveForm({ errors: error.errors, formErrors: options.formErrors ?? [], values: formValues(form) }, above), options.keep);
  }
  if (form && error instanceof Refused) return formError(form, error.message, options.status ?? error.status, options.keep);
  if (form && isDatabaseBusy(error)) return formError(form, BUSY, 503, options.keep, busyHeaders);
  throw page(error);
}

/**
 * A loader or action whose refusals become their pages (404, 403) rather than a 500.
 * Write it `export const loader = /* @__PURE__ *\/ answering(...)`: the browser build
 * drops the loader only if it knows the call has no side effects, and this module is
 * empty there, so an unmarked call would throw when the route's module loads
 * (tests/unit/route-modules.test.ts checks every route).
 */
export function answering<A extends unknown[], R>(handler: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args) => {
    // A form post is read twice only if the database turns out busy: then the form comes
    // back (503) with what was typed, whichever form it was.
    const request = (args[0] as { request?: Request } | undefined)?.request;
    const copy = request && request.method !== "GET" && request.method !== "HEAD" ? request.clone() : null;
    try {
      return await handler(...args);
    } catch (error) {
      if (copy && isDatabaseBusy(error)) {
        const form = await copy.formData().catch(() => null);
        if (form) return failure(error, form) as R;
      }
      return failure(error);
    }
  };
}
