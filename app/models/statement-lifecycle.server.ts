// A statement's life: draft -> open for signatures -> closed -> published, with
// reopening. `changeRule` is the one table that says what may change in each state;
// every edit, transition, sign-on and moderation action asks it rather than
// checking a status itself, and whether a statement is public, signable or past its
// deadline is asked here too. Each transition writes its audit entry and bumps the
// statement's version in the same transaction as the status change. The timer that
// closes statements at their deadline is app/jobs/deadlines.server.ts.
import type { ExpressionBuilder } from "kysely";
import type { Database, Statement, StatementStatus } from "../../db/schema";
import { atomically, type DB } from "~/platform/db.server";
import { NotFound, Refused } from "~/platform/errors.server";
import { type ChangeContext, recordAudit } from "./audit.server";
import { touchStatement } from "./signatory-list.server";

export const STATEMENT_STATUSES = ["draft", "open", "closed", "published"] as const satisfies readonly StatementStatus[];

/**
 * Drafts are never public. Open and published statements are; so is a closed one
 * (signing has ended, the list is being finalised before publication): links already
 * shared and coalition websites embedding it keep working. Public statements are the
 * ones letters carry and members see.
 */
export const PUBLIC_STATUSES: readonly StatementStatus[] = ["open", "closed", "published"];
/** The public index (home page, GET /api/statements) lists open and published statements. */
export const LISTED_STATUSES: readonly StatementStatus[] = ["open", "published"];

export function isPublic(status: StatementStatus): boolean {
  return PUBLIC_STATUSES.includes(status);
}

export function isListed(status: StatementStatus): boolean {
  return LISTED_STATUSES.includes(status);
}

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

/** A refused change or transition: a message for the coordinator, never a 500 (409: the statement's state forbids it). */
export class LifecycleError extends Refused {
  name = "LifecycleError";
  readonly status = 409;
}

/** The status a reader should see now: an open statement past its deadline is closed. */
export function effectiveStatus(statement: Pick<Statement, "status" | "signing_deadline">, now = new Date()): StatementStatus {
  return isExpired(statement, now) ? "closed" : statement.status;
}

/** Whether the public sign-on form may accept a signature at this moment. */
export function acceptsSignatures(statement: Pick<Statement, "status" | "signing_deadline">, now = new Date()): boolean {
  return canChange(effectiveStatus(statement, now), "signatures");
}

/** When a statement now taking signatures stops by its deadline (epoch ms); null if it takes none or has no deadline. */
export function signingEndsAt(statement: Pick<Statement, "status" | "signing_deadline">, now = new Date()): number | null {
  if (!acceptsSignatures(statement, now) || statement.signing_deadline === null) return null;
  const at = Date.parse(statement.signing_deadline);
  return Number.isNaN(at) ? null : at;
}

/** The statuses in which the table lets the public sign (open). */
const SIGNABLE_STATUSES = STATEMENT_STATUSES.filter((status) => canChange(status, "signatures"));

/** acceptsSignatures as a query condition on the statement aliased `s`, at the instant `at` (ISO UTC). */
export function acceptsSignaturesAt(eb: ExpressionBuilder<Database & { s: Database["statements"] }, "s">, at: string) {
  return eb.and([eb("s.status", "in", SIGNABLE_STATUSES), eb.or([eb("s.signing_deadline", "is", null), eb("s.signing_deadline", ">", at)])]);
}

/** Whether a signing deadline (ISO UTC; null: none) has passed: a new one must not have. */
export function deadlinePassed(deadline: string | null, now = new Date()): boolean {
  return deadline !== null && deadline <= now.toISOString();
}

function isExpired(s: Pick<Statement, "status" | "signing_deadline">, now: Date): boolean {
  return s.status === "open" && deadlinePassed(s.signing_deadline, now);
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
    if (!s) throw new NotFound("There is no such statement.");
    const move = allowedTransitions(s.status).find((t) => t.name === name);
    if (!move) throw new LifecycleError(`A ${s.status} statement cannot be ${PAST[name]}.`);
    if ((name === "open" || name === "reopen") && deadlinePassed(deadline, now)) {
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
