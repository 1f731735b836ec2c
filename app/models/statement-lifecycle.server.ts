// A statement's life: draft -> open for signatures -> closed -> published, with
// reopening. `changeRule` is the one table that says what may change in each state;
// every edit, transition, sign-on and moderation action asks it rather than
// checking a status itself. Each transition writes its audit entry and bumps the
// statement's version in the same transaction as the status change.
import type { Statement, StatementStatus } from "../../db/schema";
import { atomically, type DB } from "~/platform/db.server";
import { type ChangeContext, recordAudit } from "./audit.server";
import { touchStatement } from "./signatory-list.server";

export const STATEMENT_STATUSES = ["draft", "open", "closed", "published"] as const satisfies readonly StatementStatus[];

/**
 * What a coordinator (or the public) may change:
 * - text: title, date, author, language, lead-in line and body
 * - points: the demands; footnotes: the marks and their texts
 * - slug: the address (/s/:slug)
 * - deadline: the signing deadline of an open statement
 * - signatures: organisations may sign on through the public form
 * - signatories: coordinators moderate, import, edit or remove signatures
 */
export const STATEMENT_CHANGES = ["text", "points", "footnotes", "slug", "deadline", "signatures", "signatories"] as const;
export type StatementChange = (typeof STATEMENT_CHANGES)[number];

/** "noted": allowed, and the public page then shows "updated on" (text_updated_at). */
export type ChangeRule = "allowed" | "noted" | "refused";

// The slug is fixed once the statement has been opened: its link is out in the world.
// The text may still be corrected while signatures are gathered (the edit page warns
// how many organisations have signed); after publication every correction is noted.
const RULES: Record<StatementStatus, Record<StatementChange, ChangeRule>> = {
  draft: { text: "allowed", points: "allowed", footnotes: "allowed", slug: "allowed", deadline: "allowed", signatures: "refused", signatories: "allowed" },
  open: { text: "allowed", points: "allowed", footnotes: "allowed", slug: "refused", deadline: "allowed", signatures: "allowed", signatories: "allowed" },
  closed: { text: "allowed", points: "allowed", footnotes: "allowed", slug: "refused", deadline: "refused", signatures: "refused", signatories: "allowed" },
  published: { text: "noted", points: "noted", footnotes: "noted", slug: "refused", deadline: "refused", signatures: "refused", signatories: "allowed" },
};

export function changeRule(status: StatementStatus, what: StatementChange): ChangeRule {
  return RULES[status][what];
}

export function canChange(status: StatementStatus, what: StatementChange): boolean {
  return changeRule(status, what) !== "refused";
}

/** Why a change is refused, in words for the person who tried. */
export function refusalReason(status: StatementStatus, what: StatementChange): string {
  switch (what) {
    case "slug":
      return "The address cannot change once the statement has been opened: links to it are already out.";
    case "deadline":
      return status === "closed" ? "Set a new deadline when you reopen the statement." : "A published statement has no signing deadline; reopen it first.";
    case "signatures":
      return status === "draft" ? "This statement is not open for signatures yet." : "This statement is closed for signatures.";
    default:
      return `A ${status} statement cannot be changed this way.`;
  }
}

export type TransitionName = "open" | "close" | "publish" | "reopen";

const TRANSITIONS: Record<StatementStatus, { name: TransitionName; to: StatementStatus }[]> = {
  draft: [{ name: "open", to: "open" }],
  open: [{ name: "close", to: "closed" }],
  closed: [{ name: "publish", to: "published" }, { name: "reopen", to: "open" }],
  // Reopening a published statement lets more organisations join it; it stays public.
  published: [{ name: "reopen", to: "open" }],
};

export function allowedTransitions(status: StatementStatus): { name: TransitionName; to: StatementStatus }[] {
  return TRANSITIONS[status];
}

/** A refused change or transition: a message for the coordinator, never a 500. */
export class LifecycleError extends Error {}

/** The status a reader should see now: an open statement past its deadline is closed. */
export function effectiveStatus(statement: Pick<Statement, "status" | "signing_deadline">, now = new Date()): StatementStatus {
  return isExpired(statement, now) ? "closed" : statement.status;
}

/** Whether the public sign-on form may accept a signature at this moment. */
export function acceptsSignatures(statement: Pick<Statement, "status" | "signing_deadline">, now = new Date()): boolean {
  return canChange(effectiveStatus(statement, now), "signatures");
}

function isExpired(s: Pick<Statement, "status" | "signing_deadline">, now: Date): boolean {
  return s.status === "open" && s.signing_deadline !== null && s.signing_deadline <= now.toISOString();
}

const AUDIT_ACTION: Record<TransitionName, string> = {
  open: "statement.opened",
  close: "statement.closed",
  publish: "statement.published",
  reopen: "statement.reopened",
};

/**
 * Moves a statement from one state to the next. `deadline` (ISO UTC or null) applies
 * to open and reopen; a reopened statement without one stays open until closed by
 * hand. Returns the new status; throws LifecycleError when the move is not allowed.
 */
export async function transitionStatement(
  db: DB,
  ctx: ChangeContext,
  statementId: number,
  name: TransitionName,
  { deadline = null, now = new Date() }: { deadline?: string | null; now?: Date } = {},
): Promise<StatementStatus> {
  await closeExpiredStatements(db, now);
  return atomically(db, async (trx) => {
    const s = await trx.selectFrom("statements").selectAll().where("id", "=", statementId).executeTakeFirst();
    if (!s) throw new Response("There is no such statement.", { status: 404 });
    const move = allowedTransitions(s.status).find((t) => t.name === name);
    if (!move) throw new LifecycleError(`A ${s.status} statement cannot be ${PAST[name]}.`);
    if ((name === "open" || name === "reopen") && deadline !== null && deadline <= now.toISOString()) {
      throw new LifecycleError("The signing deadline must be in the future.");
    }
    if (name === "open" && s.body_markdown.trim() === "") throw new LifecycleError("Write the statement's text before opening it for signatures.");

    const at = now.toISOString();
    await trx
      .updateTable("statements")
      .set({
        status: move.to,
        ...(move.to === "open" ? { signing_deadline: deadline } : {}),
        // The first publication is the date of record; republishing after a reopen keeps it.
        ...(name === "publish" ? { published_at: s.published_at ?? at } : {}),
      })
      .where("id", "=", s.id)
      .execute();
    await recordAudit(trx, {
      actor: ctx.actor,
      ip: ctx.ip,
      action: AUDIT_ACTION[name],
      subjectType: "statement",
      subjectId: s.id,
      detail: { slug: s.slug, from: s.status, to: move.to, ...(move.to === "open" ? { deadline } : {}) },
    });
    await touchStatement(trx, s.id);
    return move.to;
  });
}

const PAST: Record<TransitionName, string> = { open: "opened for signatures", close: "closed", publish: "published", reopen: "reopened" };

/**
 * Closes every open statement whose signing deadline has passed; returns how many.
 * Cheap when nothing is due (one read of a small table, no write lock taken),
 * so loaders call it before showing a status, and a timer calls it in the background.
 */
export async function closeExpiredStatements(db: DB, now = new Date()): Promise<number> {
  const at = now.toISOString();
  const due = await db.selectFrom("statements").select("id").where("status", "=", "open").where("signing_deadline", "<=", at).execute();
  if (due.length === 0) return 0;
  return atomically(db, async (trx) => {
    // Read again under the write lock: another request may have closed them meanwhile.
    const rows = await trx
      .selectFrom("statements")
      .select(["id", "slug", "signing_deadline"])
      .where("status", "=", "open")
      .where("signing_deadline", "<=", at)
      .execute();
    for (const s of rows) {
      await trx.updateTable("statements").set({ status: "closed" }).where("id", "=", s.id).execute();
      await recordAudit(trx, {
        action: "statement.closed_by_deadline",
        subjectType: "statement",
        subjectId: s.id,
        detail: { slug: s.slug, deadline: s.signing_deadline },
      });
      await touchStatement(trx, s.id);
    }
    return rows.length;
  });
}

/** The soonest deadline of a statement still open, if any (ISO UTC). */
export async function nextDeadline(db: DB): Promise<string | null> {
  const row = await db
    .selectFrom("statements")
    .select((eb) => eb.fn.min("signing_deadline").as("next"))
    .where("status", "=", "open")
    .where("signing_deadline", "is not", null)
    .executeTakeFirst();
  return (row?.next as string | null | undefined) ?? null;
}

/**
 * The background timer for the server: closes expired statements now, then again at
 * the next deadline, and at least every `maxWaitMs` (a deadline set meanwhile is
 * seen then). Cached public pages depend on it, since they are served without a
 * database read. Returns a function that stops it.
 */
export function watchDeadlines(db: DB, { maxWaitMs = 15_000, onError = (e: unknown) => console.error("closing statements by deadline failed:", e) } = {}): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const run = async () => {
    let wait = maxWaitMs;
    try {
      await closeExpiredStatements(db);
      const next = await nextDeadline(db);
      if (next) wait = Math.min(wait, Math.max(0, Date.parse(next) - Date.now()) + 20);
    } catch (error) {
      onError(error);
    }
    if (stopped) return;
    timer = setTimeout(run, wait);
    timer.unref?.();
  };
  void run();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
