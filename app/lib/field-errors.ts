// Errors per form field, by field name: what a failed parse hands back to the form.
export type FieldErrors = Record<string, string[] | undefined>;
