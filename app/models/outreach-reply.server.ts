// A reply as the form brings it: typed fields, and perhaps the reply itself uploaded
// as a saved email (.eml) or a scanned or exported letter (.pdf). An .eml is read
// with mailparser and fills in what the person left empty (date, from whom, summary
// from the subject, the text); what they typed always wins. A .pdf must really be one
// (%PDF- at the start): the file is served back to others later, and the name alone
// says nothing about the bytes. Everything comes back as errors per field, or as
// input ready for logReply.
import { simpleParser } from "mailparser";
import type { FieldErrors } from "~/lib/field-errors";
import { ATTACHMENT_MAX_LABEL, BODY_MAX_CHARS, replySchema, type OutreachFormRead, type ReplyInput } from "~/schemas/outreach.server";
import { formValues, parseForm } from "~/schemas/form.server";
import type { StoredAttachment } from "./outreach-events.server";

const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
const LINE_BREAKS_AND_BIDI = /[\r\n\t\u2028\u2029\u202A-\u202E\u2066-\u2069]+/g;
/** One line for a name or a summary taken from a mail header: no controls, no direction marks. */
const oneLine = (s: string, max: number) => s.replace(LINE_BREAKS_AND_BIDI, " ").replace(CONTROLS, "").normalize("NFC").trim().slice(0, max);

/** What a saved email says about itself. */
interface EmailFacts {
  from: string | null;
  date: string | null;
  subject: string | null;
  text: string | null;
}

type CheckedUpload = { ok: true; attachment: StoredAttachment; email: EmailFacts | null } | { ok: false; message: string };

function safeFilename(name: string, fallback: string): string {
  const base = oneLine(name.split(/[/\\]/).pop() ?? "", 200);
  return base || fallback;
}

/** Checks an uploaded reply: an .eml that parses as an email, or a .pdf that starts like one. */
async function checkReplyUpload(file: File): Promise<CheckedUpload> {
  const name = file.name.toLowerCase();
  const content = Buffer.from(await file.arrayBuffer());
  if (name.endsWith(".pdf")) {
    if (content.subarray(0, 5).toString("latin1") !== "%PDF-") return { ok: false, message: "This file is named .pdf but is not a PDF document. Attach the PDF itself." };
    return { ok: true, attachment: { filename: safeFilename(file.name, "reply.pdf"), type: "application/pdf", content }, email: null };
  }
  if (name.endsWith(".eml")) {
    let email: EmailFacts;
    try {
      const mail = await simpleParser(content, { skipImageLinks: true });
      const sender = mail.from?.value[0];
      const from = sender ? (sender.name && sender.address ? `${sender.name} <${sender.address}>` : sender.address || sender.name || "") : "";
      const date = mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date.toISOString().slice(0, 10) : null;
      if (!from && !date && !mail.subject) return { ok: false, message: "This file does not look like a saved email: it has no sender, date or subject. Save the reply from your mail program as .eml, or attach a PDF." };
      const text = (mail.text ?? "").replace(/\r\n?/g, "\n").replace(CONTROLS, "").trim().slice(0, BODY_MAX_CHARS);
      email = { from: oneLine(from, 200) || null, date, subject: oneLine(mail.subject ?? "", 500) || null, text: text || null };
    } catch {
      return { ok: false, message: "This email file could not be read. Save the reply from your mail program as .eml again, or attach a PDF." };
    }
    return { ok: true, attachment: { filename: safeFilename(file.name, "reply.eml"), type: "message/rfc822", content }, email };
  }
  return { ok: false, message: "Attach a saved email (.eml) or a PDF (.pdf)." };
}

export type PreparedReply =
  | { ok: true; input: ReplyInput; attachment: StoredAttachment | null }
  | { ok: false; errors: FieldErrors; formErrors: string[]; values: Record<string, string> };

/** The reply form (already read) -> input for logReply, or errors beside the fields with what was typed. */
export async function prepareReply(read: Extract<OutreachFormRead, { ok: true }>, today: string): Promise<PreparedReply> {
  const typed = formValues(read.form);
  const errors: FieldErrors = {};
  let attachment: StoredAttachment | null = null;
  let email: EmailFacts | null = null;
  if (read.tooLarge) {
    errors[read.tooLarge.field] = [read.tooLarge.filename ? `“${oneLine(read.tooLarge.filename, 100)}” is larger than ${ATTACHMENT_MAX_LABEL}. Attach a smaller file, or paste the reply's text.` : `This field is larger than ${ATTACHMENT_MAX_LABEL}.`];
  } else if (read.file) {
    const checked = await checkReplyUpload(read.file);
    if (checked.ok) ({ attachment, email } = checked);
    else errors.attachment = [checked.message];
  }
  const blank = (k: string) => !typed[k]?.trim();
  const filled = new FormData();
  for (const [k, v] of Object.entries(typed)) filled.set(k, v);
  if (email) {
    if (blank("happenedOn") && email.date) filled.set("happenedOn", email.date);
    if (blank("correspondent") && email.from) filled.set("correspondent", email.from);
    if (blank("summary") && email.subject) filled.set("summary", email.subject);
    if (blank("body") && email.text) filled.set("body", email.text);
  }
  const parsed = parseForm(replySchema(today), filled);
  if (!parsed.ok) for (const [k, v] of Object.entries(parsed.errors)) errors[k] = [...(errors[k] ?? []), ...(v ?? [])];
  if (!parsed.ok || Object.keys(errors).length) return { ok: false, errors, formErrors: parsed.ok ? [] : parsed.formErrors, values: typed };
  return { ok: true, input: parsed.data, attachment };
}
