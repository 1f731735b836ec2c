// The upload side of every CSV import (signatories, recipients): one size limit, one
// way to read the form (a file upload or pasted text), one UTF-8 check. Each importer
// brings its own form schema and its own words for "too large"; what the rows mean is
// theirs (signatory-import.server.ts, recipient.server.ts).
import { MaxPartSizeExceededError, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from "@remix-run/node";
import type { z } from "zod";

export const IMPORT_MAX_BYTES = 2 * 1024 * 1024;
export const IMPORT_MAX_LABEL = "2 MB";

export type ImportFormRequest<T> =
  | { ok: true; data: T; file: File | null }
  | { ok: false; status: number; message: string; values: Record<string, string> };

/**
 * Reads an import form: a CSV upload (multipart, the file held in memory and refused
 * past the size limit while it streams in) or pasted text and the confirmation
 * (url-encoded, where the text travels in the `text` field). Never throws for bad
 * input: a too-large body or an unknown intent is a message for the page.
 * `tooLarge(file)` words the refusal for a file (true) or pasted text (false);
 * `textIsFile` says whether the `text` field holds a file's content.
 */
export async function readImportForm<T extends { text: string }>(
  request: Request,
  form: { schema: z.ZodType<T>; fields: readonly string[]; tooLarge: (file: boolean) => string; textIsFile?: (data: T) => boolean },
): Promise<ImportFormRequest<T>> {
  const type = request.headers.get("Content-Type") ?? "";
  // A url-encoded field can take three bytes per byte of text (%XX), plus the other fields.
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > IMPORT_MAX_BYTES * 3 + 64 * 1024) return { ok: false, status: 413, message: form.tooLarge(type.startsWith("multipart/")), values: {} };

  let body: FormData;
  try {
    body = type.startsWith("multipart/form-data")
      ? await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: IMPORT_MAX_BYTES }))
      : await request.formData();
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return { ok: false, status: 413, message: form.tooLarge(true), values: {} };
    return { ok: false, status: 400, message: "The form could not be read. Try again.", values: {} };
  }
  const values: Record<string, string> = {};
  for (const key of form.fields) {
    const v = body.get(key);
    if (typeof v === "string") values[key] = v;
  }
  const parsed = form.schema.safeParse(values);
  if (!parsed.success) return { ok: false, status: 400, message: parsed.error.issues[0]?.message ?? "Check the form.", values };
  if (new TextEncoder().encode(parsed.data.text).byteLength > IMPORT_MAX_BYTES) {
    return { ok: false, status: 413, message: form.tooLarge(form.textIsFile?.(parsed.data) ?? false), values: {} };
  }
  const file = body.get("file");
  return { ok: true, data: parsed.data, file: file instanceof File && file.size > 0 ? file : null };
}

/** The uploaded bytes as text, or why they are not a UTF-8 CSV file. */
export function decodeUpload(bytes: Uint8Array): { ok: true; text: string } | { ok: false; message: string } {
  if (bytes.byteLength > IMPORT_MAX_BYTES) {
    return { ok: false, message: `The file is larger than ${IMPORT_MAX_LABEL}. Split it into smaller parts and import them one after the other.` };
  }
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) {
    return { ok: false, message: "This is a spreadsheet workbook (or another zipped file), not a CSV file. Save it as “CSV UTF-8” and upload that." };
  }
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    if (text.includes("\u0000")) throw new Error("NUL");
    return { ok: true, text };
  } catch {
    return { ok: false, message: "The file is not UTF-8 text. Save it as “CSV UTF-8” (or UTF-8 plain text) and upload it again." };
  }
}
