// What a message that came back is, and which of our messages it is about (issue 12).
// Hostile mail is data: nothing here follows a link, loads a part or trusts a header
// beyond reading it. In order of evidence:
// 1. A delivery status report (RFC 3464 multipart/report): delivered, delayed or
//    bounced (hard 5.x.x, soft 4.x.x) with the diagnostic; matched by the VERP address it
//    came to, else its Original-Envelope-Id (our DSN ENVID), else the original Message-ID.
// 2. A bounce in one of the common non-standard forms (a mailer daemon's prose with the
//    original headers quoted): the same matching, the status read from the text.
// 3. An auto-reply (RFC 3834 Auto-Submitted, X-Autoreply and friends, Precedence, or an
//    out-of-office subject in one of the coalition's languages): never a reply.
// 4. A reply: In-Reply-To or References citing one of our Message-IDs, or sent to our
//    reply address (reply+<token>@…).
// 5. Anything else: unmatched, for a coordinator to attach or discard.
import { convert as htmlToText } from "html-to-text";
import { simpleParser, type ParsedMail } from "mailparser";
import { tokenOfEnvelopeSender, tokenOfMessageId, tokenOfReplyAddress } from "../outbox/envelope.server";

export type Classified =
  | { kind: "bounce"; token: string | null; severity: "hard" | "soft"; status: string | null; diagnostic: string | null; recipient: string | null }
  | { kind: "delivered" | "delayed"; token: string | null; recipient: string | null }
  | { kind: "auto-reply"; token: string | null }
  /** via: how it found us: citing our Message-ID, or sent to our reply address (then we forward it in full). */
  | { kind: "reply"; token: string; via: "references" | "reply-address" }
  | { kind: "unmatched" };

export interface InboundFacts {
  messageId: string | null;
  from: string | null;
  fromName: string | null;
  subject: string;
  date: Date | null;
  /** The text part, else the HTML turned into text (never shown as HTML), capped at TEXT_LIMIT. */
  text: string | null;
  attachments: { filename: string; contentType: string; size: number }[];
}

/**
 * HTML-only mail (mailparser converts it only when the HTML is the whole message) read as
 * text: images become nothing, links their address in brackets, scripts and styles go.
 */
function htmlAsText(html: string | false | undefined): string {
  if (!html || html.length > 5_000_000) return "";
  try {
    return htmlToText(html, { wordwrap: false, limits: { maxDepth: 200 }, selectors: [{ selector: "img", format: "skip" }] });
  } catch {
    return "";
  }
}

/** Characters of a message's text kept for reading in the app. */
export const TEXT_LIMIT = 100_000;
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

const MAX_FIELD = 2000;
const clip = (s: string | null | undefined) => (s == null ? null : s.replace(/[\r\n]+/g, " ").trim().slice(0, MAX_FIELD) || null);

/** Parses `raw` and says what it is. `deliveredTo` is the address the mailbox received it for, when known. */
export async function classifyInbound(raw: Buffer, deliveredTo: string | null = null): Promise<{ facts: InboundFacts; classified: Classified }> {
  const mail = await simpleParser(raw, { skipHtmlToText: false, skipTextToHtml: true, skipImageLinks: true });
  const text = (mail.text || htmlAsText(mail.html)).replace(/\r\n?/g, "\n").replace(CONTROLS, "").trim();
  const facts: InboundFacts = {
    messageId: clip(mail.messageId),
    from: clip(mail.from?.value[0]?.address ?? null),
    fromName: clip(mail.from?.value[0]?.name || null)?.replace(/[\u202A-\u202E\u2066-\u2069]/g, "").slice(0, 200) || null,
    subject: clip(mail.subject) ?? "",
    date: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date : null,
    text: text ? text.slice(0, TEXT_LIMIT) : null,
    attachments: listedAttachments(mail)
      .map((a, i) => ({ filename: clip(a.filename?.split(/[/\\]/).pop() ?? null)?.slice(0, 200) || `attachment-${i + 1}`, contentType: clip(a.contentType)?.slice(0, 100) ?? "application/octet-stream", size: a.size })),
  };
  return { facts, classified: classify(mail, deliveredTo) };
}

/** The parts shown as a message's attachments, in order (the same order when served). */
export function listedAttachments(mail: ParsedMail) {
  return mail.attachments.filter((a) => a.contentDisposition === "attachment" || a.filename);
}

function classify(mail: ParsedMail, deliveredTo: string | null): Classified {
  const verp = verpToken(mail, deliveredTo);
  const report = deliveryStatus(mail);
  if (report) {
    const token = verp ?? report.envid ?? originalToken(mail);
    if (report.action === "delivered" || report.action === "relayed" || report.action === "expanded") return { kind: "delivered", token, recipient: report.recipient };
    if (report.action === "delayed") return { kind: "delayed", token, recipient: report.recipient };
    return { kind: "bounce", token, severity: severityOf(report.status, report.action), status: report.status, diagnostic: report.diagnostic, recipient: report.recipient };
  }
  if (looksLikeBounce(mail)) {
    const text = mail.text ?? "";
    // Sendmail's and Exim's "still trying" warnings: a delay, not a bounce.
    if (DELAY_WARNING.test(mail.subject ?? "") || /this is a warning message only|no action is required on your part|will (continue|keep) trying/i.test(text.slice(0, 20_000))) {
      return { kind: "delayed", token: verp ?? originalToken(mail), recipient: null };
    }
    const status = /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(text)?.[1] ?? null;
    const smtp = /\b([45]\d\d)[ -][^\n]{0,200}/.exec(text);
    return {
      kind: "bounce",
      token: verp ?? originalToken(mail),
      severity: severityOf(status ?? (smtp ? `${smtp[1][0]}.0.0` : null), "failed"),
      status,
      diagnostic: clip(smtp?.[0] ?? null),
      recipient: clip(/<?([^\s<>@]+@[^\s<>@]+\.[a-z]{2,})>?:?\s*(?:\n|$)/im.exec(text)?.[1] ?? null),
    };
  }
  const cited = citedToken(mail);
  const addressed = replyAddressToken(mail, deliveredTo);
  if (isAutoReply(mail, Boolean(cited ?? addressed ?? verp))) return { kind: "auto-reply", token: cited ?? addressed ?? verp };
  if (addressed) return { kind: "reply", token: addressed, via: "reply-address" };
  if (cited) return { kind: "reply", token: cited, via: "references" };
  return { kind: "unmatched" };
}

const header = (mail: ParsedMail, name: string): string => {
  const v = mail.headers.get(name);
  if (v == null) return "";
  if (typeof v === "string") return v;
  if (Array.isArray(v)) return v.join(" ");
  if (typeof v === "object" && "text" in v) return String((v as { text: unknown }).text);
  if (typeof v === "object" && "value" in v) return String((v as { value: unknown }).value);
  return String(v);
};

/** The token of the VERP address the message was delivered to (a bounce goes to our envelope sender). */
function verpToken(mail: ParsedMail, deliveredTo: string | null): string | null {
  const candidates = [deliveredTo ?? "", header(mail, "delivered-to"), header(mail, "x-original-to"), header(mail, "envelope-to"), ...addresses(mail.to)];
  for (const c of candidates) for (const a of c.split(/[\s,;<>]+/)) { const t = a && tokenOfEnvelopeSender(a); if (t) return t; }
  return null;
}

function replyAddressToken(mail: ParsedMail, deliveredTo: string | null): string | null {
  // A reply Bcc'd to our address (To: undisclosed-recipients) names it only where it was delivered.
  const delivered = [header(mail, "delivered-to"), header(mail, "x-original-to"), header(mail, "envelope-to")].flatMap((h) => h.split(/[\s,;<>]+/));
  for (const a of [deliveredTo ?? "", ...addresses(mail.to), ...addresses(mail.cc), ...delivered]) {
    const t = a && tokenOfReplyAddress(a);
    if (t) return t;
  }
  return null;
}

function addresses(field: ParsedMail["to"]): string[] {
  const list = Array.isArray(field) ? field : field ? [field] : [];
  return list.flatMap((f) => f.value.map((v) => v.address ?? ""));
}

/** Our Message-ID cited by In-Reply-To or References: the message this answers. */
function citedToken(mail: ParsedMail): string | null {
  const refs = [mail.inReplyTo ?? "", ...(Array.isArray(mail.references) ? mail.references : mail.references ? [mail.references] : [])];
  for (const r of refs) for (const id of r.match(/<[^<>]+>/g) ?? []) { const t = tokenOfMessageId(id); if (t) return t; }
  return null;
}

/** Our Message-ID quoted inside a bounce (its returned headers or text). */
function originalToken(mail: ParsedMail): string | null {
  const texts = [mail.text ?? "", ...mail.attachments.filter((a) => /^(text\/rfc822-headers|message\/rfc822|message\/global-headers|text\/plain)$/i.test(a.contentType)).map((a) => a.content.toString("utf8", 0, 200_000))];
  for (const t of texts) for (const m of t.matchAll(/^Message-ID:\s*(<[^<>\r\n]+>)/gim)) { const token = tokenOfMessageId(m[1]); if (token) return token; }
  return null;
}

interface Report { action: string; status: string | null; diagnostic: string | null; recipient: string | null; envid: string | null }

/** The first recipient's fields of an RFC 3464 delivery status part, if the message has one. */
function deliveryStatus(mail: ParsedMail): Report | null {
  // mailparser reads a message/delivery-status part as text and joins it to the body,
  // so a report is known by its Content-Type and its fields read from where they start.
  const type = mail.headers.get("content-type") as { value?: string; params?: Record<string, string> } | undefined;
  const part = mail.attachments.find((a) => /^message\/(global-)?delivery-status$/i.test(a.contentType));
  let source = part?.content.toString("utf8", 0, 100_000) ?? null;
  if (!source && type?.value === "multipart/report" && /delivery-status/i.test(type.params?.["report-type"] ?? "")) {
    const body = (mail.text ?? "").slice(0, 100_000);
    const start = body.search(/^(Reporting-MTA|Original-Envelope-Id|Final-Recipient|Action):/im);
    source = start >= 0 ? body.slice(start) : null;
  }
  if (!source) return null;
  const text = source.replace(/\r?\n[ \t]+/g, " ");
  const field = (name: string) => new RegExp(`^${name}:\\s*(.+)$`, "im").exec(text)?.[1].trim() ?? null;
  const envid = field("Original-Envelope-Id");
  return {
    action: (field("Action") ?? "failed").toLowerCase(),
    status: /\d\.\d{1,3}\.\d{1,3}/.exec(field("Status") ?? "")?.[0] ?? null,
    diagnostic: clip(field("Diagnostic-Code")?.replace(/^smtp;\s*/i, "") ?? null),
    recipient: clip(field("Final-Recipient")?.replace(/^[a-z0-9-]+;\s*/i, "") ?? null),
    envid: envid && /^[0-9a-f-]{36}$/i.test(envid) ? envid.toLowerCase() : null,
  };
}

function severityOf(status: string | null, action: string): "hard" | "soft" {
  if (status?.startsWith("4") || action === "delayed") return "soft";
  return "hard";
}

const DELAY_WARNING = /^(warning: (could not send message for past|message .* delayed)|delivery (status notification \(delay\)|delayed)|delayed mail|message delayed)/i;
const BOUNCE_SENDER = /^(mailer-daemon|postmaster|mail-daemon|mailerdaemon)@/i;
const BOUNCE_SUBJECT = /^warning: |delayed|undeliver|returned mail|delivery (status notification|failure|has failed)|failure notice|mail delivery (failed|subsystem)|non[- ]?remis|unzustellbar|no se pudo entregar|kunne ikke leveres/i;

function looksLikeBounce(mail: ParsedMail): boolean {
  const from = mail.from?.value[0]?.address ?? "";
  return (BOUNCE_SENDER.test(from) || header(mail, "return-path").trim() === "<>") && BOUNCE_SUBJECT.test(mail.subject ?? "") || (BOUNCE_SENDER.test(from) && /message-id:\s*<dispatch\./i.test(mail.text ?? ""));
}

// Out-of-office subjects in the coalition's working languages (en, fr, es, ar, nb, de).
// Outlook writes "Automatic reply:" in the reader's language: "Automatisk svar:", "Réponse automatique :"...
const AUTO_SUBJECT = /^(auto(matic)?[ -]?(reply|response)|autoreply|out of (the )?office|absence|réponse automatique|absent|respuesta automática|fuera de la oficina|ausente|رد تلقائي|خارج المكتب|autosvar|automatisk svar|fravær|frånvaro|abwesenheit|abwesend|automatische antwort|risposta automatica|fuori (sede|ufficio)|automatisch antwoord|afwezig)/i;

function isAutoReply(mail: ParsedMail, answersUs: boolean): boolean {
  const auto = header(mail, "auto-submitted").trim().toLowerCase();
  if (auto && auto !== "no") return true;
  // Not X-Auto-Response-Suppress: Exchange puts it on ordinary mail, replies included.
  if (header(mail, "x-autoreply") || header(mail, "x-autorespond")) return true;
  const precedence = header(mail, "precedence").trim().toLowerCase();
  if (precedence === "auto_reply") return true;
  // Newsletters and spam say "bulk" too: only an answer to one of our messages is an auto-reply by it.
  if ((precedence === "bulk" || precedence === "junk") && answersUs) return true;
  return AUTO_SUBJECT.test((mail.subject ?? "").trim());
}
