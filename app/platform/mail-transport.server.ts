// The mail transport: the only module that touches nodemailer (ADR 0009, 0012). Without
// SMTP_URL the app is in sandbox mode: nodemailer still builds the complete message
// (stream transport, never a socket) and the outbox keeps it in the Mailbox, so a demo
// or a test can read exactly what would have gone out. With SMTP_URL the same message
// goes to the relay over one pooled transport. Addresses are checked here, once.
import nodemailer from "nodemailer";
import addressparser from "nodemailer/lib/addressparser";
import { loadEnv } from "./env.server";
import { singleLine } from "./handlebars.server";

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
  /** The SMTP envelope sender (MAIL FROM), where bounces go; by default the From address. */
  envelopeFrom?: string;
  /** Ask the relay for delivery status notifications (RFC 3461) under this envelope id. */
  dsnId?: string;
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
    ...dkimOptions(),
  });
}

// Signed in the sandbox too, so the captured copy shows the DKIM-Signature that would go out.
function createSandboxTransport() {
  return nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix", ...dkimOptions() });
}

/** DKIM signing with the configured key (DKIM_DOMAIN, DKIM_SELECTOR, DKIM_PRIVATE_KEY_PATH), or nothing. */
function dkimOptions() {
  const dkim = loadEnv().dkim;
  return dkim ? { dkim } : {};
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

// A message counts as handed to the relay (and may become "uncertain" after a crash)
// only once it is on a connection of its own. nodemailer's pool would otherwise queue
// every message given to it and send them one connection at a time, so the worker takes
// one of these slots (as many as the pool has connections) before it marks a message
// handed and lets go once the relay has answered.
const slotsOf = new WeakMap<object, { free: number; waiting: (() => void)[] }>();

/** Waits for a free connection of `transport`; resolves with the function that frees it again. */
export async function takeConnection(transport: MailTransport): Promise<() => void> {
  if (transport.mode === "sandbox") return () => undefined; // no socket: nothing to wait for
  let slots = slotsOf.get(transport.transporter);
  if (!slots) {
    const size = Number((transport.transporter.transporter as { options?: { maxConnections?: number } }).options?.maxConnections) || 1;
    slots = { free: size, waiting: [] };
    slotsOf.set(transport.transporter, slots);
  }
  const held = slots;
  if (held.free > 0) held.free--;
  else await new Promise<void>((resolve) => held.waiting.push(resolve));
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const next = held.waiting.shift();
    if (next) next();
    else held.free++;
  };
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

/** What came back from handing one message to the transport. */
export interface Transmitted {
  messageId: string;
  mode: "sandbox" | "smtp";
  /** What the server said when it took it ("250 2.0.0 Ok: queued as ..."); null in sandbox mode. */
  response: string | null;
  /** The message as built and checked (addresses normalised, names on one line). */
  message: ReturnType<typeof buildMessage>;
  /** The whole RFC 822 message, in sandbox mode (nothing left the machine). */
  raw: Buffer | null;
}

/**
 * The one place a message meets nodemailer: over SMTP it goes to the relay; in the
 * sandbox the stream transport only builds its bytes. Throws what the transport threw.
 */
export async function transmit(transport: MailTransport, mail: OutgoingMail): Promise<Transmitted> {
  const message = buildMessage(mail);
  if (transport.mode === "smtp") {
    const info = await transport.transporter.sendMail({ ...message, ...envelopeOptions(mail, message) });
    return { messageId: info.messageId, mode: "smtp", response: info.response ?? null, message, raw: null };
  }
  const info = await transport.transporter.sendMail(message);
  return { messageId: info.messageId, mode: "sandbox", response: null, message, raw: info.message as Buffer };
}

/**
 * The envelope (MAIL FROM our VERP address, RCPT TO every To and Cc) and the DSN request
 * (success, failure and delay; headers only back), when the message asks for them.
 * nodemailer sends the DSN parameters only to a relay that advertises DSN.
 */
function envelopeOptions(mail: OutgoingMail, message: ReturnType<typeof buildMessage>) {
  if (!mail.envelopeFrom) return {};
  const from = checkedAddress("envelopeFrom", mail.envelopeFrom);
  return {
    envelope: { from, to: [...message.to, ...message.cc].map((a) => a.address) },
    ...(mail.dsnId ? { dsn: { id: mail.dsnId, return: "headers" as const, notify: ["success", "failure", "delay"] as ("success" | "failure" | "delay")[], recipient: from } } : {}),
  };
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
