// The Mailbox: every message the app sent while in sandbox mode, kept whole (the raw
// RFC 822 bytes) plus the parts people want to read, so coordinators and tests can
// see exactly what would have gone out and follow the links in it.
import type { DB } from "~/platform/db.server";
import { formatAddress, type Transmitted } from "~/platform/mail-transport.server";

export interface CapturedMessage {
  messageId: string;
  from: string;
  to: string[];
  cc: string[];
  replyTo: string | null;
  subject: string;
  text: string | null;
  html: string | null;
  raw: Buffer;
  attachments: { filename: string; contentType: string; content: Buffer }[];
}

/** Keeps what the sandbox transport built, as the Mailbox shows it. */
export async function captureTransmitted(db: DB, { messageId, message, raw }: Transmitted): Promise<{ messageId: string; mailboxId: number }> {
  const mailboxId = await captureMessage(db, {
    messageId,
    from: formatAddress(message.from),
    to: message.to.map(formatAddress),
    cc: message.cc.map(formatAddress),
    replyTo: message.replyTo ? formatAddress(message.replyTo) : null,
    subject: message.subject,
    text: message.text,
    html: message.html,
    raw: raw ?? Buffer.alloc(0),
    attachments: message.attachments,
  });
  return { messageId, mailboxId };
}

/** Stores a message and its attachments together, or neither. Returns the Mailbox id. */
export async function captureMessage(db: DB, message: CapturedMessage): Promise<number> {
  if (message.attachments.length > 0) {
    return db.transaction().execute(async (trx) => {
      const [id] = await insertMessages(trx, [message]);
      for (const a of message.attachments) {
        await trx
          .insertInto("mailbox_attachments")
          .values({ message_id: id, filename: a.filename, content_type: a.contentType, size: a.content.length, content: a.content })
          .execute();
      }
      return id;
    });
  }
  // Inside a caller's transaction the row must be written before it commits.
  if (db.isTransaction) return (await insertMessages(db, [message]))[0];
  return enqueueCapture(db, message);
}

// Group commit: messages captured while the previous write was in flight go to the
// database together, as one multi-row INSERT. A burst of sign-ons (each sends a
// verification email) then costs one round trip per batch instead of one per
// message. Each caller still waits for its own row, so an answer never runs ahead
// of what is stored.
type Waiting = { message: CapturedMessage; resolve: (id: number) => void; reject: (e: unknown) => void };
const queues = new Map<DB, Waiting[]>();
const MAX_BATCH = 100;

function enqueueCapture(db: DB, message: CapturedMessage): Promise<number> {
  return new Promise((resolve, reject) => {
    const queue = queues.get(db);
    if (queue) return void queue.push({ message, resolve, reject });
    queues.set(db, [{ message, resolve, reject }]);
    setImmediate(() => void drain(db));
  });
}

async function drain(db: DB): Promise<void> {
  const queue = queues.get(db) ?? [];
  while (queue.length > 0) {
    const batch = queue.splice(0, MAX_BATCH);
    try {
      const ids = await insertMessages(db, batch.map((w) => w.message));
      batch.forEach((w, i) => w.resolve(ids[i]));
    } catch {
      // One bad message must not fail the others: write them one by one.
      for (const w of batch) await insertMessages(db, [w.message]).then(([id]) => w.resolve(id), w.reject);
    }
  }
  queues.delete(db);
}

/** Inserts messages; returns their ids in the order given. */
async function insertMessages(db: DB, messages: CapturedMessage[]): Promise<number[]> {
  const rows = await db
    .insertInto("mailbox_messages")
    .values(
      messages.map((message) => ({
        message_id: message.messageId,
        from_address: message.from,
        to_addresses: message.to.join(", "),
        cc_addresses: message.cc.join(", "),
        reply_to: message.replyTo,
        subject: message.subject,
        text_body: message.text,
        html_body: message.html,
        raw: message.raw,
      })),
    )
    .returning(["id", "message_id"])
    .execute();
  // RETURNING promises no order, so match rows back by their unique Message-ID.
  const idByMessageId = new Map(rows.map((r) => [r.message_id, r.id]));
  return messages.map((m) => idByMessageId.get(m.messageId)!);
}

export const MAILBOX_PAGE_SIZE = 25;

/** A page number from the query string; anything odd means the first page. */
export function parsePage(value: string | null): number {
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= 1 ? n : 1;
}

/** Newest first, one page, without bodies or raw bytes. */
export async function listMailbox(db: DB, { page = 1, perPage = MAILBOX_PAGE_SIZE } = {}) {
  const { total } = await db
    .selectFrom("mailbox_messages")
    .select((eb) => eb.fn.countAll<number>().as("total"))
    .executeTakeFirstOrThrow();
  const pageCount = Math.max(1, Math.ceil(Number(total) / perPage));
  const current = Math.min(page, pageCount);
  const messages = await db
    .selectFrom("mailbox_messages as m")
    .select((eb) => [
      "m.id",
      "m.captured_at",
      "m.from_address",
      "m.to_addresses",
      "m.subject",
      eb.selectFrom("mailbox_attachments as a").whereRef("a.message_id", "=", "m.id").select((e) => e.fn.countAll<number>().as("n")).as("attachment_count"),
    ])
    .orderBy("m.id", "desc")
    .limit(perPage)
    .offset((current - 1) * perPage)
    .execute();
  return {
    messages: messages.map((m) => ({ ...m, attachment_count: Number(m.attachment_count ?? 0) })),
    total: Number(total),
    page: current,
    pageCount,
  };
}

/** One message for reading: headers and parts, attachment names but not their bytes. */
export async function findMailboxMessage(db: DB, id: number) {
  const message = await db
    .selectFrom("mailbox_messages")
    .select(["id", "captured_at", "message_id", "from_address", "to_addresses", "cc_addresses", "reply_to", "subject", "text_body", "html_body"])
    .where("id", "=", id)
    .executeTakeFirst();
  if (!message) return null;
  const attachments = await db
    .selectFrom("mailbox_attachments")
    .select(["id", "filename", "content_type", "size"])
    .where("message_id", "=", id)
    .orderBy("id")
    .execute();
  return { ...message, attachments };
}

export async function findMailboxRaw(db: DB, id: number) {
  return db.selectFrom("mailbox_messages").select(["id", "raw"]).where("id", "=", id).executeTakeFirst();
}

export async function findMailboxAttachment(db: DB, messageId: number, attachmentId: number) {
  return db
    .selectFrom("mailbox_attachments")
    .select(["filename", "content_type", "content"])
    .where("message_id", "=", messageId)
    .where("id", "=", attachmentId)
    .executeTakeFirst();
}

/**
 * The http(s) links in a text part, in order, without repeats, so a tester can follow
 * an invitation link without the HTML part's (sandboxed, unclickable) iframe.
 */
export function linksInText(text: string | null): string[] {
  const found = new Set<string>();
  for (const match of (text ?? "").matchAll(/https?:\/\/[^\s<>"'()]+/gi)) {
    const candidate = match[0].replace(/[.,;:!?]+$/, "");
    try {
      const url = new URL(candidate);
      if (url.protocol === "http:" || url.protocol === "https:") found.add(candidate);
    } catch {
      // Not a URL after all: leave it as text.
    }
  }
  return [...found];
}

/** "23 Nov 2026, 20:30:15 UTC": formatted on the server so the page does not shift on hydration. */
export function formatCapturedAt(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" }).format(date) + " UTC";
}
