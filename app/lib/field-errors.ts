// Errors per form field, by field name: what a failed parse hands back to the form.
export type FieldErrors = Record<string, string[] | undefined>;

/** A hidden field or button value that is not one of the form's own: a tampered or stale page, not a typo. */
export const TAMPERED_FORM = "The form was incomplete. Reload the page and try again.";
