// Putting messages in the outbox (ADR 0009): one dispatch row per message, written in
// the caller's transaction, then the sending workers of this process are woken. The
// worker's side of the table (claims, hand-off, outcomes) is claims.server.ts.
import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { DispatchKind, MailMode, StoredAddress } from "../../../db/schema";
import type { DB } from "~/platform/db.server";
import { loadEnv } from "~/platform/env.server";

const nowIso = () => new Date().toISOString();

export interface NewDispatch {
  dedupeKey: string;
  kind: DispatchKind;
  letterId: number | null;
  letterFingerprint: string | null;
  statementId: number | null;
  countryCode: string | null;
  organisationId: number | null;
  bulkId?: string | null;
  mode: MailMode;
  from: StoredAddress;
  replyTo: StoredAddress | null;
  to: StoredAddress[];
  cc: StoredAddress[];
  subject: string;
  html: string;
  text: string;
  attachmentFilename: string | null;
  queuedBy: number | null;
  /** The domain our Message-IDs carry; by default the platform sender's (MAIL_FROM). */
  messageIdDomain?: string;
  /** A Message-ID made beforehand (newMessageId), when the caller needs it at once. */
  messageId?: string;
}

/** A Message-ID of our own, fixed before the first attempt, so every attempt carries the same one. */
export function newMessageId(domain = loadEnv().MAIL_FROM.split("@")[1] ?? "localhost"): string {
  const clean = domain.replace(/[^A-Za-z0-9.-]/g, "") || "localhost";
  return `<dispatch.${randomUUID()}@${clean}>`;
}

const MAX_ROWS_PER_INSERT = 200;

/** Inserts rows as queued, in order; returns their ids. A dedupe_key already present throws (the caller's transaction rolls back). */
export async function insertDispatches(db: DB, rows: NewDispatch[]): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += MAX_ROWS_PER_INSERT) {
    const chunk = rows.slice(i, i + MAX_ROWS_PER_INSERT);
    const inserted = await db
      .insertInto("dispatches")
      .values(chunk.map((r) => ({
        dedupe_key: r.dedupeKey,
        kind: r.kind,
        letter_id: r.letterId,
        letter_fingerprint: r.letterFingerprint,
        statement_id: r.statementId,
        country_code: r.countryCode,
        organisation_id: r.organisationId,
        bulk_id: r.bulkId ?? null,
        mode: r.mode,
        from_json: JSON.stringify(r.from),
        reply_to_json: r.replyTo ? JSON.stringify(r.replyTo) : null,
        to_json: JSON.stringify(r.to),
        cc_json: JSON.stringify(r.cc),
        subject: r.subject,
        html: r.html,
        text: r.text,
        attachment_filename: r.attachmentFilename,
        message_id: r.messageId ?? newMessageId(r.messageIdDomain),
        queued_by: r.queuedBy,
      })))
      .returning("id")
      .execute();
    ids.push(...inserted.map((r) => r.id));
  }
  return ids;
}


/** Counts by status of letter messages, for progress bars and the worker's own checks. */
export async function dispatchCounts(db: DB, where: { statementId?: number; bulkId?: string; letterId?: number; organisationId?: number } = {}) {
  let q = db.selectFrom("dispatches").select(["status", sql<number>`count(*)`.as("n")]).where("kind", "=", "letter").groupBy("status");
  if (where.organisationId !== undefined) q = q.where("organisation_id", "=", where.organisationId);
  if (where.statementId) q = q.where("statement_id", "=", where.statementId);
  if (where.bulkId) q = q.where("bulk_id", "=", where.bulkId);
  if (where.letterId) q = q.where("letter_id", "=", where.letterId);
  const counts = { queued: 0, sending: 0, sent: 0, failed: 0, uncertain: 0, cancelled: 0 };
  for (const row of await q.execute()) counts[row.status] = Number(row.n);
  return counts;
}


// ---- Waking the worker. It registers here; whoever queues (after commit) wakes it.
const wakers = new Set<() => void>();

export function registerWaker(wake: () => void): () => void {
  wakers.add(wake);
  return () => wakers.delete(wake);
}

/** Tells the workers of this process that something was queued (or resumed). */
export function wakeDispatchWorkers(): void {
  for (const wake of wakers) wake();
}
