// What sending a letter would do now: the plan a person looks at before confirming
// (addresses, sender, attachment, earlier contact, problems) and its digest. The rules
// it applies are listed in letter-sending.server.ts, which queues a confirmed plan.
import { createHash } from "node:crypto";
import type { Dispatch, MailMode, StoredAddress } from "../../db/schema";
import { timeInWords } from "~/lib/time-in-words";
import type { DB } from "~/platform/db.server";
import { loadEnv } from "~/platform/env.server";
import { getTransport, normaliseAddresses } from "~/platform/mail-transport.server";
import type { SessionUser } from "~/platform/session.server";
import { isLetterOutOfDate, requireLetter } from "./letter.server";
import { SOURCE_LABELS } from "./letter-fingerprint.server";
import { letterPdfFilename, letterPdfRow } from "./letter-pdf-job.server";
import { bouncingIn, type BouncingRecipient, letterRecipients } from "./letter-recipients.server";

export interface LetterMessagePlan {
  letterId: number;
  fingerprint: string;
  statementId: number;
  countryCode: string;
  countryName: string;
  organisationId: number;
  organisationName: string;
  mode: MailMode;
  from: StoredAddress;
  replyTo: StoredAddress | null;
  to: StoredAddress[];
  cc: StoredAddress[];
  /** Recipients on the list without an email address: they will not get this message. */
  withoutEmail: { name: string; title: string; kind: "addressee" | "copy" }[];
  subject: string;
  html: string;
  text: string;
  attachment: { filename: string; size: number | null; status: string };
  dedupeKey: string;
  /** The dispatch already holding this key, if any. */
  existing: Pick<Dispatch, "id" | "status" | "sent_at" | "queued_at" | "last_error"> | null;
  /** Why it cannot be sent now; empty when it can. */
  problems: string[];
  /**
   * Earlier contact of this state for this statement by other messages (another letter,
   * this letter to other people) or recorded outside Demarche. Sending is still allowed,
   * but the person confirms knowing it; in a bulk send such letters are left out.
   */
  earlier: string[];
  /**
   * Recipients whose address is bouncing (issue 12), with the fallback each names. Sending
   * is still allowed, after a warning; in a bulk send such letters are left out.
   */
  bouncing: BouncingRecipient[];
  /** Changes whenever anything above that reaches the recipient changes. */
  digest: string;
}

export const sha256 = (v: unknown) => createHash("sha256").update(JSON.stringify(v)).digest("hex");
/** Statuses that hold a letter's key: a second send to the same people is refused. */
export const BLOCKING: Dispatch["status"][] = ["queued", "sending", "sent", "uncertain"];

export const DISPATCH_STATUS_WORDS: Record<Dispatch["status"], string> = {
  queued: "queued",
  sending: "being sent",
  sent: "sent",
  failed: "failed",
  uncertain: "uncertain (check and confirm)",
  cancelled: "cancelled",
};

/** The key that makes a letter to one set of people one message, whatever the order or case of the addresses. */
export function letterDedupeKey(letterId: number, to: StoredAddress[], cc: StoredAddress[]): string {
  const set = (list: StoredAddress[]) => list.map((a) => a.address.toLowerCase()).sort();
  return `letter:${letterId}:${sha256({ to: set(to), cc: set(cc) }).slice(0, 32)}`;
}

function senderAddresses(org: { name: string; contact_email: string | null }): { from: StoredAddress; replyTo: StoredAddress | null; problem: string | null } {
  const env = loadEnv();
  const orgAddress = org.contact_email?.trim() || null;
  if (env.LETTER_FROM === "organisation") {
    return orgAddress
      ? { from: { name: org.name, address: orgAddress }, replyTo: null, problem: null }
      : { from: { name: org.name, address: env.MAIL_FROM }, replyTo: null, problem: `${org.name} has no contact email, and letters are sent From the organisation. Add one on the organisation's page.` };
  }
  return {
    from: { name: `${org.name} via Demarche`, address: env.MAIL_FROM },
    replyTo: orgAddress ? { name: org.name, address: orgAddress } : null,
    problem: orgAddress ? null : `${org.name} has no contact email, so the ministry's reply would come to the platform. Add one on the organisation's page.`,
  };
}

/** What sending the letter would do now, for the confirmation page. NotFound, or Forbidden for another organisation's letter. */
export async function planLetterMessage(db: DB, user: SessionUser, letterId: string | number | undefined): Promise<LetterMessagePlan> {
  const letter = await requireLetter(db, user, letterId, "Members send only their own organisation's letters.");
  const [org, recipients, pdf, freshness] = await Promise.all([
    db.selectFrom("organisations").select(["name", "contact_email"]).where("id", "=", letter.organisation_id).executeTakeFirstOrThrow(),
    letterRecipients(db, letter),
    letterPdfRow(db, letter.id),
    isLetterOutOfDate(db, letter),
  ]);
  const problems: string[] = [];
  if (freshness.outOfDate) problems.push(`The letter is out of date (changed since it was generated: ${freshness.changed.map((s) => SOURCE_LABELS[s]).join("; ") || "its sources"}). Regenerate it and check it again before sending.`);
  const withEmail = (kind: "addressee" | "copy") => recipients.filter((r) => r.kind === kind && r.email?.trim());
  const toAddress = (r: { name: string; email: string | null }) => ({ name: r.name, address: r.email!.trim() });
  let to: StoredAddress[] = [];
  let cc: StoredAddress[] = [];
  try {
    to = normaliseAddresses("to", withEmail("addressee").map(toAddress));
    cc = normaliseAddresses("cc", withEmail("copy").map(toAddress));
  } catch (error) {
    problems.push(`A recipient's address is not usable: ${(error as Error).message} Fix it in the recipient list.`);
  }
  if (to.length === 0) problems.push(`No addressee of ${letter.country_name} has an email address. Add one to the recipient list.`);
  const sender = senderAddresses(org);
  if (sender.problem) problems.push(sender.problem);
  const pdfReady = pdf?.status === "ready" && pdf.fingerprint === letter.fingerprint;
  const pdfSize = pdfReady
    ? Number((await db.selectFrom("letter_pdfs").select((eb) => eb.fn("length", ["pdf"]).as("size")).where("letter_id", "=", letter.id).executeTakeFirst())?.size ?? 0)
    : null;
  if (!freshness.outOfDate && !pdfReady) {
    problems.push(pdf?.status === "failed" && pdf.fingerprint === letter.fingerprint
      ? `The PDF could not be made (${pdf.error ?? "unknown error"}). Open the PDF link on the letter to try again.`
      : "The PDF of this letter is still being prepared. This page will be ready in a moment: reload it.");
  }
  const dedupeKey = letterDedupeKey(letter.id, to, cc);
  const existing = (await db.selectFrom("dispatches").select(["id", "status", "sent_at", "queued_at", "last_error"]).where("dedupe_key", "=", dedupeKey).executeTakeFirst()) ?? null;
  if (existing && BLOCKING.includes(existing.status)) {
    problems.push(existing.status === "sent"
      ? `This letter was already sent to these recipients${existing.sent_at ? ` on ${timeInWords(existing.sent_at)}` : ""}; it is not sent twice.`
      : `This letter to these recipients is already ${DISPATCH_STATUS_WORDS[existing.status]}.`);
  }
  const [earlier, bouncing] = await Promise.all([earlierContacts(db, letter.statement_id, letter.country_code, dedupeKey), bouncingIn(db, letter, recipients)]);
  const mode = getTransport().mode;
  const withoutEmail = recipients.filter((r) => !r.email?.trim()).map((r) => ({ name: r.name, title: r.title, kind: r.kind }));
  const attachment = { filename: letterPdfFilename(letter), size: pdfSize, status: pdfReady ? "ready" : (pdf?.status ?? "queued") };
  const message = { from: sender.from, replyTo: sender.replyTo, to, cc, subject: letter.rendered_email_subject, html: letter.rendered_email_html, text: letter.rendered_email_text };
  return {
    letterId: letter.id,
    fingerprint: letter.fingerprint,
    statementId: letter.statement_id,
    countryCode: letter.country_code,
    countryName: letter.country_name,
    organisationId: letter.organisation_id,
    organisationName: letter.sender_name,
    mode,
    ...message,
    withoutEmail,
    attachment,
    dedupeKey,
    existing,
    problems,
    earlier,
    bouncing,
    // A bounce that came back after the page was shown changes what the person confirms.
    digest: sha256({ ...message, mode, fingerprint: letter.fingerprint, attachment: attachment.filename, size: pdfSize, earlier, ...(bouncing.length ? { bouncing: bouncing.map((b) => b.address) } : {}) }),
  };
}

const day = (iso: string | null) => (iso ?? "").slice(0, 10);

/** Other messages to this state for this statement (live or sent), and letters recorded as sent outside Demarche. */
async function earlierContacts(db: DB, statementId: number, countryCode: string, dedupeKey: string): Promise<string[]> {
  const [messages, recorded] = await Promise.all([
    db.selectFrom("dispatches as d").innerJoin("organisations as o", "o.id", "d.organisation_id")
      .select(["d.id", "d.letter_id", "d.status", "d.sent_at", "d.queued_at", "d.to_json", "o.name"])
      .where("d.statement_id", "=", statementId).where("d.country_code", "=", countryCode).where("d.kind", "=", "letter")
      .where("d.status", "in", BLOCKING).where("d.dedupe_key", "!=", dedupeKey)
      .orderBy("d.id").execute(),
    db.selectFrom("outreach_events as e").leftJoin("organisations as o", "o.id", "e.organisation_id")
      .select(["e.happened_on", "o.name"])
      .where("e.statement_id", "=", statementId).where("e.country_code", "=", countryCode).where("e.kind", "=", "sent")
      .orderBy("e.happened_on").execute(),
  ]);
  return [
    ...messages.map((m) => {
      const to = (JSON.parse(m.to_json) as StoredAddress[]).map((a) => a.address).join(", ");
      const when = m.status === "sent" ? `sent on ${day(m.sent_at)}` : `${DISPATCH_STATUS_WORDS[m.status]} since ${day(m.queued_at)}`;
      return `Letter ${m.letter_id ?? "(deleted)"} from ${m.name} to ${to}: ${when}.`;
    }),
    ...recorded.map((e) => `Recorded as sent outside Demarche${e.name ? ` by ${e.name}` : ""} on ${e.happened_on}.`),
  ];
}

