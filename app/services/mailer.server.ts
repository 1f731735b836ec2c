// Outgoing mail. Without SMTP_URL the app is in sandbox mode: nodemailer still builds
// the complete message (stream transport, never a socket) and it is kept in the
// Mailbox, so a demo or a test can read exactly what would have gone out. With
// SMTP_URL the same message goes to the relay over one pooled transport.
import nodemailer from "nodemailer";
import addressparser from "nodemailer/lib/addressparser";
import { randomUUID } from "node:crypto";
import { insertDispatches, newMessageId } from "~/models/dispatch-queue.server";
import { captureMessage } from "~/models/mailbox.server";
import { wakeDispatchWorkers } from "./dispatch-wake.server";
import type { DB } from "./db.server";
import { loadEnv } from "./env.server";
import { singleLine } from "./templates.server";

/** A plain address, "Name <address>" we wrote ourselves, or a name we did not write. */
export type Recipient = string | { name: string; address: string };

export interface OutgoingMail {
  to: Recipient[];
  cc?: Recipient[];
  replyTo?: Recipient;
  /** Defaults to "Demarche" <MAIL_FROM>. */
  from?: Recipient;
  subject: string;
  html: string;
  text: string;
  attachments?: { filename: string; contentType: string; content: Buffer }[];
  /** Our own Message-ID (with angle brackets); nodemailer makes one when absent. */
  messageId?: string;
}

export interface SendResult {
  messageId: string;
  mode: "sandbox" | "smtp";
  /** The Mailbox row, in sandbox mode. */
  mailboxId?: number;
}

export interface MailAddress {
  name: string;
  address: string;
}

/** The message itself is wrong (bad address, no recipient): retrying will not help. */
export class MailAddressError extends Error {
  name = "MailAddressError";
}

const ADDRESS = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+$/;

function checkedAddress(field: string, address: string): string {
  const trimmed = address.trim();
  if (!ADDRESS.test(trimmed)) throw new MailAddressError(`${field}: "${trimmed}" is not an email address.`);
  return trimmed;
}

/**
 * Turns recipients into { name, address } pairs. Names lose their line breaks, so a
 * name like "Evil\r\nBcc: x" stays text inside one header (nodemailer encodes it too).
 * A string with a line break is refused: it can only come from unchecked input, and
 * parsed as an address list it could name extra recipients.
 */
export function normaliseAddresses(field: string, list: Recipient[]): MailAddress[] {
  const out: MailAddress[] = [];
  for (const item of list) {
    if (typeof item === "string") {
      if (/[\r\n]/.test(item)) throw new MailAddressError(`${field}: an address must not contain line breaks; pass { name, address } for names you did not write.`);
      for (const parsed of addressparser(item, { flatten: true })) {
        out.push({ name: singleLine(parsed.name ?? ""), address: checkedAddress(field, parsed.address ?? "") });
      }
    } else {
      out.push({ name: singleLine(item.name ?? ""), address: checkedAddress(field, item.address) });
    }
  }
  return out;
}

/** For people to read (the Mailbox, logs); never used to build a header. */
export function formatAddress({ name, address }: MailAddress): string {
  return name ? `${name} <${address}>` : address;
}

function defaultFrom(): MailAddress {
  return { name: "Demarche", address: loadEnv().MAIL_FROM };
}

/** The nodemailer options for `mail`, checked. Shared by every transport. */
export function buildMessage(mail: OutgoingMail) {
  const from = mail.from ? normaliseAddresses("from", [mail.from]) : [defaultFrom()];
  if (from.length !== 1) throw new MailAddressError("from: exactly one sender is needed.");
  const to = normaliseAddresses("to", mail.to);
  if (to.length === 0) throw new MailAddressError("to: at least one recipient is needed.");
  const cc = normaliseAddresses("cc", mail.cc ?? []);
  const replyTo = mail.replyTo ? normaliseAddresses("replyTo", [mail.replyTo]) : [];
  const subject = singleLine(mail.subject);
  const attachments = (mail.attachments ?? []).map((a) => ({
    filename: singleLine(a.filename) || "attachment",
    contentType: a.contentType,
    content: a.content,
  }));
  return {
    from: from[0],
    to,
    cc,
    replyTo: replyTo[0],
    subject,
    text: mail.text,
    html: mail.html,
    attachments,
    ...(mail.messageId ? { messageId: mail.messageId } : {}),
  };
}

// ---- Transports: created here only, once per process, reused by the dispatch worker.

export interface SmtpTransportOptions {
  /** Parallel connections to the relay (nodemailer's maxConnections). */
  maxConnections?: number;
  connectionTimeout?: number;
  greetingTimeout?: number;
  socketTimeout?: number;
}

/** A pooled SMTP transport: connections reused across messages. A relay that stops answering is a timeout (a temporary failure), not a hang. */
export function createSmtpTransport(url: string, options: SmtpTransportOptions = {}) {
  return nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: options.maxConnections ?? 5,
    maxMessages: Infinity,
    connectionTimeout: options.connectionTimeout ?? 20_000,
    greetingTimeout: options.greetingTimeout ?? 20_000,
    socketTimeout: options.socketTimeout ?? 60_000,
  });
}

function createSandboxTransport() {
  return nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
}

export type MailTransport =
  | { mode: "smtp"; transporter: ReturnType<typeof createSmtpTransport> }
  | { mode: "sandbox"; transporter: ReturnType<typeof createSandboxTransport> };

// On globalThis, like the database, so dev-server reloads do not leak SMTP pools.
const key = Symbol.for("demarche.mailTransport");
type Holder = { [key]?: MailTransport };

/** The transport for the configured mode (SMTP_URL set: smtp; otherwise sandbox). */
export function getTransport(): MailTransport {
  const holder = globalThis as Holder;
  if (!holder[key]) {
    const env = loadEnv();
    holder[key] = env.mailMode === "smtp" && env.SMTP_URL
      ? { mode: "smtp", transporter: createSmtpTransport(env.SMTP_URL) }
      : { mode: "sandbox", transporter: createSandboxTransport() };
  }
  return holder[key]!;
}

/** Closes the SMTP pool (shutdown, end of a test file). The next send reopens it. */
export function closeTransport(): void {
  const holder = globalThis as Holder;
  holder[key]?.transporter.close();
  delete holder[key];
}

/**
 * Whether a failed send may succeed later: SMTP 4xx replies and network trouble are
 * temporary; 5xx replies and malformed messages are not.
 */
export function isTemporaryFailure(error: unknown): boolean {
  if (error instanceof MailAddressError) return false;
  const code = (error as { responseCode?: number } | null)?.responseCode;
  if (typeof code === "number") return code >= 400 && code < 500;
  return true;
}

/** What the server said when it took a message ("250 2.0.0 Ok: queued as ..."), or null in sandbox mode. */
export interface Delivered extends SendResult {
  response: string | null;
}

/**
 * Sends the platform's own mail (invitations, sign-on links, decisions). In sandbox mode
 * it is captured in the Mailbox at once. With SMTP it is queued as a notice in the
 * dispatch table, in the caller's transaction, and the worker sends it with the same
 * retries and crash safety as letters: a slow or failing relay no longer holds up (or
 * fails) the request. A malformed address is still refused here, at once.
 */
export async function sendMail(db: DB, mail: OutgoingMail): Promise<SendResult> {
  const transport = getTransport();
  if (transport.mode === "sandbox") return deliver(db, transport, mail);
  const message = buildMessage(mail);
  if (message.attachments.length > 0) throw new MailAddressError("Notices carry no attachments; letters go through their own sending.");
  const messageId = newMessageId();
  await insertDispatches(db, [{
    dedupeKey: `notice:${randomUUID()}`, kind: "notice", letterId: null, letterFingerprint: null,
    statementId: null, countryCode: null, organisationId: null, mode: "smtp",
    from: message.from, replyTo: message.replyTo ?? null, to: message.to, cc: message.cc,
    subject: message.subject, html: message.html, text: message.text, attachmentFilename: null,
    queuedBy: null, messageId,
  }]);
  wakeDispatchWorkers();
  return { messageId, mode: "smtp" };
}

/** Sends `mail` over `transport`: SMTP, or the sandbox (kept in the Mailbox). Throws what the transport threw. */
export async function deliver(db: DB, transport: MailTransport, mail: OutgoingMail): Promise<Delivered> {
  const message = buildMessage(mail);
  if (transport.mode === "smtp") {
    const info = await transport.transporter.sendMail(message);
    return { messageId: info.messageId, mode: "smtp", response: info.response ?? null };
  }
  const info = await transport.transporter.sendMail(message);
  const mailboxId = await captureMessage(db, {
    messageId: info.messageId,
    from: formatAddress(message.from),
    to: message.to.map(formatAddress),
    cc: message.cc.map(formatAddress),
    replyTo: message.replyTo ? formatAddress(message.replyTo) : null,
    subject: message.subject,
    text: message.text,
    html: message.html,
    raw: info.message as Buffer,
    attachments: message.attachments,
  });
  return { messageId: info.messageId, mode: "sandbox", mailboxId, response: null };
}

/** A failure in words, for the person who sent the message. */
export function describeMailError(error: unknown): string {
  const e = error as { responseCode?: number; response?: string; code?: string; message?: string } | null;
  if (error instanceof MailAddressError) return error.message;
  if (typeof e?.responseCode === "number") {
    const kind = e.responseCode >= 500 ? "refused the message" : "could not take the message for now";
    return `The mail server ${kind} (${e.responseCode}): ${singleLine(e.response ?? e.message ?? "")}`;
  }
  switch (e?.code) {
    case "ETIMEDOUT":
      return "The mail server did not answer in time.";
    case "ECONNECTION":
    case "ESOCKET":
      return `The connection to the mail server failed or was dropped (${singleLine(e.message ?? "")}).`;
    case "EAUTH":
      return "The mail server did not accept our user name and password.";
    default:
      return singleLine(e?.message ?? String(error));
  }
}
