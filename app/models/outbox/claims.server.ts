// The dispatch table's state machine, as the sending worker sees it. Every change is a
// single UPDATE guarded by the status it expects, so two workers (or a person cancelling
// while the worker claims) can never both win:
//   queued --claim--> sending --hand to server--> (handed_at set) --> sent | failed | queued (retry)
// After a crash, recoverDispatches() turns 'sending' rows back into 'queued' if they never
// reached the mail server, and into 'uncertain' if they did: those a person confirms.
import { sql } from "kysely";
import type { Dispatch } from "../../../db/schema";
import type { DB } from "~/platform/db.server";
import { holdsLock } from "./worker-lock.server";

const nowIso = () => new Date().toISOString();

export interface Recovered {
  requeued: number;
  uncertain: number;
}

/**
 * At start: rows a previous process left 'sending'. Not yet handed to the server: queued
 * again (nobody can have received them). Handed: 'uncertain', because the server may have
 * accepted the message before the process died; sending it again could reach a ministry
 * twice, so a person decides.
 */
export async function recoverDispatches(db: DB): Promise<Recovered> {
  return db.transaction().execute(async (trx) => {
    const now = nowIso();
    const uncertain = await trx
      .updateTable("dispatches")
      .set({ status: "uncertain", last_error: "The app stopped while this message was with the mail server. It may or may not have been delivered: check with the recipient or the relay's log (look for its Message-ID), then confirm it arrived or send it again.", updated_at: now })
      .where("status", "=", "sending")
      .where("handed_at", "is not", null)
      .executeTakeFirst();
    const requeued = await trx
      .updateTable("dispatches")
      .set({ status: "queued", updated_at: now })
      .where("status", "=", "sending")
      .where("handed_at", "is", null)
      .executeTakeFirst();
    return { requeued: Number(requeued.numUpdatedRows), uncertain: Number(uncertain.numUpdatedRows) };
  });
}


/** Rows `d` whose statement's sending is not paused (notices have no statement: never paused). */
const notPaused = sql<boolean>`not exists (select 1 from sending_pauses p where p.statement_id = d.statement_id)`;

/**
 * Claims up to `limit` due messages, oldest first, skipping paused statements: one
 * UPDATE ... RETURNING, so a row is claimed by one worker only.
 */
export async function claimDispatches(db: DB, owner: string, limit: number, now = new Date()): Promise<Dispatch[]> {
  const at = now.toISOString();
  const rows = await db
    .updateTable("dispatches")
    .set((eb) => ({ status: "sending", attempts: eb("attempts", "+", 1), handed_at: null, updated_at: at }))
    .where("id", "in", (eb) =>
      eb
        .selectFrom("dispatches as d")
        .select("d.id")
        .where("d.status", "=", "queued")
        .where("d.next_attempt_at", "<=", at)
        .where(notPaused)
        .orderBy("d.next_attempt_at")
        .orderBy("d.id")
        .limit(limit),
    )
    .where("status", "=", "queued")
    .where(holdsLock(owner))
    .returningAll()
    .execute();
  return rows.sort((a, b) => a.id - b.id);
}

/** When the next queued message is due (ignoring paused statements), or null when none is queued. */
export async function nextDueAt(db: DB): Promise<Date | null> {
  const row = await db
    .selectFrom("dispatches as d")
    .select((eb) => eb.fn.min("d.next_attempt_at").as("due"))
    .where("d.status", "=", "queued")
    .where(notPaused)
    .executeTakeFirst();
  return row?.due ? new Date(row.due) : null;
}

// Marking a message handed must be on disk before the server sees it (otherwise a crash
// in between would queue it again and send it twice). Messages handed in the same tick
// share one UPDATE, so a busy worker pays one write per group, not per message. The
// UPDATE names the rows it changed: a row another worker took over meanwhile is not
// among them, and is not sent.
type Waiter = { id: number; resolve: (handed: boolean) => void; reject: (e: unknown) => void };
const handing = new Map<DB, Map<string, Waiter[]>>();

/** Records that the message is about to be given to the mail server. Resolves true once stored, false if this worker may not send it. */
export function markHanded(db: DB, owner: string, id: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const byOwner = handing.get(db) ?? new Map<string, Waiter[]>();
    handing.set(db, byOwner);
    const queue = byOwner.get(owner);
    if (queue) return void queue.push({ id, resolve, reject });
    byOwner.set(owner, [{ id, resolve, reject }]);
    setImmediate(() => void flushHanded(db, owner));
  });
}

async function flushHanded(db: DB, owner: string): Promise<void> {
  const byOwner = handing.get(db)!;
  const queue = byOwner.get(owner) ?? [];
  while (queue.length > 0) {
    const batch = queue.splice(0, 500);
    try {
      const rows = await db
        .updateTable("dispatches")
        .set({ handed_at: nowIso() })
        .where("id", "in", batch.map((w) => w.id))
        .where("status", "=", "sending")
        .where("handed_at", "is", null)
        .where(holdsLock(owner))
        .returning("id")
        .execute();
      const handed = new Set(rows.map((r) => r.id));
      batch.forEach((w) => w.resolve(handed.has(w.id)));
    } catch (error) {
      batch.forEach((w) => w.reject(error));
    }
  }
  byOwner.delete(owner);
  if (byOwner.size === 0) handing.delete(db);
}

/** A claimed message that never reached the server goes back to the queue (nobody can have it). */
export async function unclaim(db: DB, id: number): Promise<void> {
  await db.updateTable("dispatches").set({ status: "queued", updated_at: nowIso() }).where("id", "=", id).where("status", "=", "sending").where("handed_at", "is", null).execute();
}

export interface SentOutcome {
  id: number;
  response: string | null;
  mailboxId: number | null;
}

// Outcomes are written in groups too (one transaction per group). Unlike markHanded,
// nothing waits on them for safety: a crash before they are stored leaves the row
// 'sending' with handed_at set, which recovery turns into 'uncertain', never a resend.
type Outcome =
  | ({ kind: "sent" } & SentOutcome)
  | { kind: "retry"; id: number; error: string; response: string | null; nextAttemptAt: string }
  | { kind: "failed"; id: number; error: string; response: string | null };
type OutcomeWaiter = { outcome: Outcome; resolve: () => void; reject: (e: unknown) => void };
const outcomes = new Map<DB, OutcomeWaiter[]>();

export function recordOutcome(db: DB, outcome: Outcome): Promise<void> {
  return new Promise((resolve, reject) => {
    const queue = outcomes.get(db);
    if (queue) return void queue.push({ outcome, resolve, reject });
    outcomes.set(db, [{ outcome, resolve, reject }]);
    setImmediate(() => void flushOutcomes(db));
  });
}

async function flushOutcomes(db: DB): Promise<void> {
  const queue = outcomes.get(db) ?? [];
  while (queue.length > 0) {
    const batch = queue.splice(0, 200);
    try {
      const sent = batch.map((w) => w.outcome).filter((o): o is Extract<Outcome, { kind: "sent" }> => o.kind === "sent");
      const others = batch.map((w) => w.outcome).filter((o) => o.kind !== "sent");
      // A busy run is almost all successes, each with its own server reply: one UPDATE
      // for all of them (a CASE per column), and a transaction only when more is written.
      const write = async (trx: DB) => {
        if (sent.length) await markSent(trx, sent);
        const at = nowIso();
        for (const o of others) {
          if (o.kind === "retry") {
            await trx.updateTable("dispatches").set({ status: "queued", handed_at: null, last_error: o.error, smtp_response: o.response, next_attempt_at: o.nextAttemptAt, updated_at: at }).where("id", "=", o.id).where("status", "=", "sending").execute();
          } else if (o.kind === "failed") {
            await trx.updateTable("dispatches").set({ status: "failed", last_error: o.error, smtp_response: o.response, updated_at: at }).where("id", "=", o.id).where("status", "=", "sending").execute();
          }
        }
      };
      if (others.length === 0) await write(db);
      else await db.transaction().execute(write);
      batch.forEach((w) => w.resolve());
    } catch (error) {
      batch.forEach((w) => w.reject(error));
    }
  }
  outcomes.delete(db);
}

async function markSent(db: DB, sent: SentOutcome[]): Promise<void> {
  const at = nowIso();
  const caseOf = <T extends string | number | null>(pick: (o: SentOutcome) => T) =>
    sql<T>`case id ${sql.join(sent.map((o) => sql`when ${o.id} then ${pick(o)}`), sql` `)} end`;
  await db
    .updateTable("dispatches")
    .set({
      status: "sent",
      sent_at: at,
      last_error: null,
      updated_at: at,
      smtp_response: caseOf((o) => o.response),
      mailbox_id: caseOf((o) => o.mailboxId),
    })
    .where("id", "in", sent.map((o) => o.id))
    .where("status", "=", "sending")
    .execute();
}

