// Storing what came back, once, and letting it tell its dispatch what happened (issue 12).
// One transaction per message: the inbound row, the mailbox cursor and the dispatch's
// delivery move together, so a crash between messages loses nothing and repeats nothing
// (a message seen again, by UID or by Message-ID, is stored once). Evidence never sends:
// an "uncertain" dispatch that something came back for was sent, and is marked so.
import { createHash } from "node:crypto";
import { sql } from "kysely";
import type { Dispatch, DispatchDelivery } from "../../../db/schema";
import { atomically, type DB } from "~/platform/db.server";
import { classifyInbound, type Classified, type InboundFacts } from "./classify.server";

/** Raw bytes kept per message; a mail bomb's 50 MB attachment is cut, and said to be. */
export const RAW_LIMIT = 2 * 1024 * 1024;

export interface InboundSource {
  mailbox: string;
  uidValidity: number | null;
  uid: number | null;
  /** The address the message was delivered to, when the mailbox says (VERP, reply address). */
  deliveredTo?: string | null;
}

export interface Recorded {
  id: number | null;
  duplicate: boolean;
  classified: Classified;
  dispatchId: number | null;
}

/** A newly stored message, as the caller's hook sees it inside the same transaction. */
export interface StoredInbound {
  id: number;
  classified: Classified;
  facts: InboundFacts;
  dispatch: Dispatch | undefined;
}

const RANK: Record<DispatchDelivery, number> = { delayed: 1, "soft-bounced": 2, delivered: 3, bounced: 4 };

function deliveryOf(c: Classified): DispatchDelivery | null {
  if (c.kind === "bounce") return c.severity === "hard" ? "bounced" : "soft-bounced";
  if (c.kind === "delivered" || c.kind === "delayed") return c.kind;
  return null;
}

function detailOf(c: Classified): string | null {
  if (c.kind !== "bounce") return null;
  return [c.status, c.diagnostic].filter(Boolean).join(" ") || null;
}

/**
 * Stores `raw` from `source` unless it is already stored, and applies what it says to its
 * dispatch. `then` runs inside the same transaction for a newly stored message (a reply
 * becomes an outreach event and a notice to its organisation: all or nothing).
 */
export async function recordInbound(db: DB, raw: Buffer, source: InboundSource, { now = new Date(), then }: { now?: Date; then?: (trx: DB, stored: StoredInbound) => Promise<void> } = {}): Promise<Recorded> {
  const { facts, classified } = await classifyInbound(raw, source.deliveredTo ?? null);
  const dedupeKey = facts.messageId ? `id:${facts.messageId}` : `sha256:${createHash("sha256").update(raw).digest("hex")}`;
  const token = "token" in classified ? classified.token : null;
  return atomically(db, async (trx) => {
    if (await alreadyRead(trx, source)) return { id: null, duplicate: true, classified, dispatchId: null };
    const dispatch = token ? await dispatchOfToken(trx, token) : undefined;
    const row = await trx
      .insertInto("inbound_messages")
      .values({
        mailbox: source.mailbox, uid_validity: source.uidValidity, uid: source.uid, dedupe_key: dedupeKey,
        message_id: facts.messageId, from_address: facts.from, from_name: facts.fromName, subject: facts.subject,
        text_body: facts.text, attachments_json: JSON.stringify(facts.attachments),
        statement_id: dispatch?.statement_id ?? null, country_code: dispatch?.country_code ?? null, sent_at: facts.date?.toISOString() ?? null,
        kind: classified.kind, token, dispatch_id: dispatch?.id ?? null,
        severity: classified.kind === "bounce" ? classified.severity : null,
        status_code: classified.kind === "bounce" ? classified.status : null,
        diagnostic: classified.kind === "bounce" ? classified.diagnostic : null,
        recipient: "recipient" in classified ? classified.recipient : null,
        raw: raw.length > RAW_LIMIT ? raw.subarray(0, RAW_LIMIT) : raw, raw_truncated: raw.length > RAW_LIMIT ? 1 : 0,
      })
      .onConflict((oc) => oc.column("dedupe_key").doNothing())
      .returning("id")
      .executeTakeFirst();
    await advanceCursor(trx, source);
    if (!row) return { id: null, duplicate: true, classified, dispatchId: null };
    if (dispatch) await applyEvidence(trx, dispatch, classified, now);
    if (then) await then(trx, { id: row.id, classified, facts, dispatch });
    return { id: row.id, duplicate: false, classified, dispatchId: dispatch?.id ?? null };
  });
}

async function dispatchOfToken(db: DB, token: string): Promise<Dispatch | undefined> {
  return db.selectFrom("dispatches").selectAll().where("message_id", "like", `<dispatch.${token}@%`).executeTakeFirst();
}

/** Where reading `mailbox` got to: its UIDVALIDITY and the last UID stored, or null before the first message. */
export async function mailboxCursor(db: DB, mailbox: string): Promise<{ uidValidity: number; lastUid: number } | null> {
  const row = await db.selectFrom("mailbox_cursors").select(["uid_validity", "last_uid"]).where("mailbox", "=", mailbox).executeTakeFirst();
  return row ? { uidValidity: Number(row.uid_validity), lastUid: Number(row.last_uid) } : null;
}

/** A UID at or below the mailbox's cursor (same UIDVALIDITY) was processed before. */
async function alreadyRead(db: DB, source: InboundSource): Promise<boolean> {
  if (source.uid === null || source.uidValidity === null) return false;
  const cursor = await db.selectFrom("mailbox_cursors").selectAll().where("mailbox", "=", source.mailbox).executeTakeFirst();
  return cursor !== undefined && cursor.uid_validity === source.uidValidity && source.uid <= cursor.last_uid;
}

/** The cursor moves on; a new UIDVALIDITY (the mailbox was recreated) starts it again. */
async function advanceCursor(db: DB, source: InboundSource): Promise<void> {
  if (source.uid === null || source.uidValidity === null) return;
  await db
    .insertInto("mailbox_cursors")
    .values({ mailbox: source.mailbox, uid_validity: source.uidValidity, last_uid: source.uid })
    .onConflict((oc) => oc.column("mailbox").doUpdateSet({
      // Portable SQL (no max(a, b), which PostgreSQL spells greatest): never move back.
      last_uid: sql<number>`case when mailbox_cursors.uid_validity = ${source.uidValidity} and mailbox_cursors.last_uid > ${source.uid} then mailbox_cursors.last_uid else ${source.uid} end`,
      uid_validity: source.uidValidity!,
      updated_at: new Date().toISOString(),
    }))
    .execute();
}

/**
 * A report or bounce records the delivery (a stronger verdict replaces a weaker one:
 * bounced over delivered over soft-bounced over delayed). Anything at all that came back
 * proves an "uncertain" message was sent: it is marked sent, never sent again.
 */
async function applyEvidence(db: DB, dispatch: Dispatch, classified: Classified, now: Date): Promise<void> {
  const at = now.toISOString();
  const delivery = deliveryOf(classified);
  if (delivery && (dispatch.delivery === null || RANK[delivery] >= RANK[dispatch.delivery])) {
    await db.updateTable("dispatches").set({ delivery, delivery_detail: detailOf(classified), delivery_at: at, updated_at: at }).where("id", "=", dispatch.id).execute();
  }
  if (dispatch.status === "uncertain" && classified.kind !== "unmatched") {
    await db
      .updateTable("dispatches")
      .set({ status: "sent", sent_at: dispatch.sent_at ?? at, last_error: `Shown to have been sent by a ${classified.kind} that came back for it on ${at.slice(0, 10)}.`, updated_at: at })
      .where("id", "=", dispatch.id)
      .where("status", "=", "uncertain")
      .execute();
  }
}
