// Coordinators deciding on signatures: the queue of verified sign-ons with their
// possible duplicates, approve / reject, how a name is displayed, footnote marks,
// and removal. Every change is written with its audit entry, and any change to what
// the approved list shows bumps the statement's version (touchStatement) in the same
// transaction, so cached public pages refresh. The email telling the organisation is
// queued in the same transaction by app/workflows/sign-on.server.ts (decideSignature).
import { sql } from "kysely";
import type { Signature, SignatureStatus } from "../../db/schema";
import { atomically, type DB } from "~/platform/db.server";
import { hashSecret, newSecret } from "~/platform/tokens.server";
import { type ChangeContext, recordAudit } from "./audit.server";
import { NearIndex, nearReasons, type Comparable } from "./name-matching.server";
import { Directory, linkToDirectory } from "./signature-directory.server";
import { shownName } from "./signature.server";
import { sortForDisplay, touchStatement } from "./signatory-list.server";
import { canChange, refusalReason } from "./statement-lifecycle.server";

export interface PossibleDuplicate {
  id: number;
  name: string;
  status: SignatureStatus;
  exact: boolean;
  reasons: string[];
}

type Row = Pick<Signature, "id" | "organisation_name" | "display_name" | "acronym" | "contact_email" | "name_key" | "status">;

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const comparable = (r: Row): Comparable => ({ name: r.organisation_name, acronym: r.acronym, email: r.contact_email });

/** Verified sign-ons waiting for a decision, oldest first, each with its possible duplicates and its directory verdict. */
export async function moderationQueue(db: DB, statementId: number) {
  const pending = await db
    .selectFrom("signatures")
    .selectAll()
    .where("statement_id", "=", statementId)
    .where("status", "=", "pending")
    .orderBy("verified_at")
    .orderBy("id")
    .execute();
  if (pending.length === 0) return [];
  // Rejected sign-ons were judged not to be the organisation; everything else counts.
  const others = await db
    .selectFrom("signatures")
    .select(["id", "organisation_name", "display_name", "acronym", "contact_email", "name_key", "status"])
    .where("statement_id", "=", statementId)
    .where("status", "!=", "rejected")
    .execute();
  const byKey = new Map<string, Row[]>();
  for (const r of others) push(byKey, r.name_key, r);
  const index = new NearIndex(others, comparable);
  const directory = await Directory.load(db, statementId);

  return pending.map((signature) => {
    const exact = (byKey.get(signature.name_key) ?? []).filter((r) => r.id !== signature.id);
    const near = [...index.candidates(comparable(signature))].flatMap((r) => {
      if (r.id === signature.id || r.name_key === signature.name_key) return [];
      const reasons = nearReasons(comparable(signature), comparable(r));
      return reasons.length ? [{ id: r.id, name: shownName(r), status: r.status, exact: false, reasons }] : [];
    });
    const duplicates: PossibleDuplicate[] = [
      ...exact.map((r) => ({ id: r.id, name: shownName(r), status: r.status, exact: true, reasons: ["same name"] })),
      ...near.sort((a, b) => a.id - b.id),
    ];
    return { ...signature, duplicates, directory: directory.describe(signature) };
  });
}

/** Approved signatures in display order, filtered by a search over names, acronym and country. */
export async function approvedForModeration(db: DB, statementId: number, language: string, q = "", limit = 200) {
  const rows = await db
    .selectFrom("signatures")
    .select(["id", "organisation_name", "display_name", "acronym", "country_code", "contact_name", "contact_email", "footnote_mark", "source", "decided_at"])
    .where("statement_id", "=", statementId)
    .where("status", "=", "approved")
    .execute();
  const needle = fold(q.trim());
  const matching = needle
    ? rows.filter((r) => [r.organisation_name, r.display_name, r.acronym, r.country_code].some((v) => v && fold(v).includes(needle)))
    : rows;
  const sorted = sortForDisplay(matching.map((r) => ({ ...r, name: shownName(r) })), language);
  return { total: rows.length, matching: sorted.length, shown: sorted.slice(0, limit) };
}

const fold = (s: string) => s.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();

export type ModerationOutcome<T = object> = ({ ok: true } & T) | { ok: false; message: string };

/** Who to tell about a decision, with a fresh withdraw link (its hash replaces the old one). */
export interface DecisionNotice {
  signatureId: number;
  contact: { name: string; address: string } | null;
  organisationName: string;
  shownName: string;
  statementTitle: string;
  slug: string;
  withdrawToken: string;
}

async function loadForChange(trx: DB, statementId: number, signatureId: number) {
  const statement = await trx.selectFrom("statements").select(["id", "slug", "title", "status"]).where("id", "=", statementId).executeTakeFirst();
  if (!statement) return { ok: false as const, message: "There is no such statement." };
  if (!canChange(statement.status, "signatories")) return { ok: false as const, message: refusalReason(statement.status, "signatories") };
  const signature = await trx.selectFrom("signatures").selectAll().where("id", "=", signatureId).where("statement_id", "=", statementId).executeTakeFirst();
  if (!signature) return { ok: false as const, message: "There is no such signature on this statement." };
  return { ok: true as const, statement, signature };
}

const STATUS_WORDS: Record<SignatureStatus, string> = {
  unverified: "waiting for its email to be verified",
  pending: "waiting for approval",
  approved: "approved",
  rejected: "rejected",
  withdrawn: "withdrawn by the organisation",
  removed: "removed",
};

function notice(signature: Signature, statement: { title: string; slug: string }, withdrawToken: string): DecisionNotice {
  return {
    signatureId: signature.id,
    contact: signature.contact_email ? { name: signature.contact_name ?? "", address: signature.contact_email } : null,
    organisationName: signature.organisation_name,
    shownName: shownName(signature),
    statementTitle: statement.title,
    slug: statement.slug,
    withdrawToken,
  };
}

/** Whether `error` is the unique index on approved names refusing a write. */
export function isApprovedNameConflict(error: unknown): boolean {
  const message = String((error as { message?: unknown } | null)?.message ?? "");
  return /UNIQUE constraint failed: signatures\.statement_id, signatures\.name_key/.test(message) || /signatures_one_approved_per_name/.test(message);
}

/** Approves a pending sign-on, unless the organisation is already an approved signatory. */
export async function approveSignature(db: DB, ctx: ChangeContext, statementId: number, signatureId: number, now = new Date()): Promise<ModerationOutcome<{ notice: DecisionNotice }>> {
  return atomically(db, async (trx) => {
    const found = await loadForChange(trx, statementId, signatureId);
    if (!found.ok) return found;
    const { statement, signature } = found;
    if (signature.status !== "pending") return { ok: false as const, message: `“${shownName(signature)}” cannot be approved: it is ${STATUS_WORDS[signature.status]}.` };
    const twin = await trx
      .selectFrom("signatures")
      .select(["organisation_name", "display_name"])
      .where("statement_id", "=", statementId)
      .where("status", "=", sql.lit("approved"))
      .where("name_key", "=", signature.name_key)
      .executeTakeFirst();
    if (twin) return { ok: false as const, message: alreadyApproved(signature, shownName(twin)) };

    const withdrawToken = newSecret();
    try {
      await trx
        .updateTable("signatures")
        .set({ status: "approved", decided_at: now.toISOString(), decided_by: ctx.actor?.id ?? null, rejection_reason: null, withdraw_token_hash: hashSecret(withdrawToken), updated_at: now.toISOString() })
        .where("id", "=", signature.id)
        .execute();
    } catch (error) {
      // The database's own guard (a unique index on approved names), should a write slip past the check above.
      if (isApprovedNameConflict(error)) return { ok: false as const, message: alreadyApproved(signature, "the same name") };
      throw error;
    }
    await linkToDirectory(trx, ctx, signature);
    await touchStatement(trx, statementId);
    await recordAudit(trx, { ...ctx, action: "signature.approved", subjectType: "signature", subjectId: signature.id, detail: { slug: statement.slug, name: shownName(signature) } });
    return { ok: true as const, notice: notice(signature, statement, withdrawToken) };
  });
}

function alreadyApproved(signature: Signature, twin: string): string {
  return `“${shownName(signature)}” cannot be approved: this organisation is already an approved signatory as “${twin}”. Reject this sign-on as a duplicate.`;
}

/** Rejects a pending sign-on with a reason, which is emailed to its contact. */
export async function rejectSignature(db: DB, ctx: ChangeContext, statementId: number, signatureId: number, reason: string, now = new Date()): Promise<ModerationOutcome<{ notice: DecisionNotice & { reason: string } }>> {
  return atomically(db, async (trx) => {
    const found = await loadForChange(trx, statementId, signatureId);
    if (!found.ok) return found;
    const { statement, signature } = found;
    if (signature.status !== "pending") return { ok: false as const, message: `“${shownName(signature)}” cannot be rejected: it is ${STATUS_WORDS[signature.status]}.` };
    const withdrawToken = newSecret();
    await trx
      .updateTable("signatures")
      .set({ status: "rejected", decided_at: now.toISOString(), decided_by: ctx.actor?.id ?? null, rejection_reason: reason, withdraw_token_hash: hashSecret(withdrawToken), updated_at: now.toISOString() })
      .where("id", "=", signature.id)
      .execute();
    await recordAudit(trx, { ...ctx, action: "signature.rejected", subjectType: "signature", subjectId: signature.id, detail: { slug: statement.slug, name: shownName(signature), reason } });
    return { ok: true as const, notice: { ...notice(signature, statement, withdrawToken), reason } };
  });
}

const EDITABLE: readonly SignatureStatus[] = ["pending", "approved"];

/** Sets how a signatory's name is displayed; null (or the name itself) shows the name as typed. */
export async function setDisplayName(db: DB, ctx: ChangeContext, statementId: number, signatureId: number, displayName: string | null): Promise<ModerationOutcome> {
  return atomically(db, async (trx) => {
    const found = await loadForChange(trx, statementId, signatureId);
    if (!found.ok) return found;
    const { statement, signature } = found;
    if (!EDITABLE.includes(signature.status)) return { ok: false as const, message: `The name of “${shownName(signature)}” cannot be changed: it is ${STATUS_WORDS[signature.status]}.` };
    const next = displayName === signature.organisation_name ? null : displayName;
    if (next === signature.display_name) return { ok: true as const };
    await trx.updateTable("signatures").set({ display_name: next, updated_at: new Date().toISOString() }).where("id", "=", signature.id).execute();
    if (signature.status === "approved") await touchStatement(trx, statementId);
    await recordAudit(trx, { ...ctx, action: "signature.display_name_changed", subjectType: "signature", subjectId: signature.id, detail: { slug: statement.slug, from: shownName(signature), to: next ?? signature.organisation_name } });
    return { ok: true as const };
  });
}

/** Attaches one of the statement's footnote marks to a signatory, or clears it (null). */
export async function setFootnoteMark(db: DB, ctx: ChangeContext, statementId: number, signatureId: number, mark: string | null): Promise<ModerationOutcome> {
  return atomically(db, async (trx) => {
    const found = await loadForChange(trx, statementId, signatureId);
    if (!found.ok) return found;
    const { statement, signature } = found;
    if (!EDITABLE.includes(signature.status)) return { ok: false as const, message: `A footnote cannot be attached to “${shownName(signature)}”: it is ${STATUS_WORDS[signature.status]}.` };
    if (mark !== null) {
      const known = await trx.selectFrom("statement_footnotes").select("mark").where("statement_id", "=", statementId).where("mark", "=", mark).executeTakeFirst();
      if (!known) return { ok: false as const, message: `“${mark}” is not one of this statement's footnote marks. Add the footnote to the statement first.` };
    }
    if (mark === signature.footnote_mark) return { ok: true as const };
    await trx.updateTable("signatures").set({ footnote_mark: mark, updated_at: new Date().toISOString() }).where("id", "=", signature.id).execute();
    if (signature.status === "approved") await touchStatement(trx, statementId);
    await recordAudit(trx, { ...ctx, action: "signature.footnote_changed", subjectType: "signature", subjectId: signature.id, detail: { slug: statement.slug, name: shownName(signature), from: signature.footnote_mark, to: mark } });
    return { ok: true as const };
  });
}

/** Takes an approved signature off the list, with a reason kept in the audit log (and on the row). */
export async function removeSignature(db: DB, ctx: ChangeContext, statementId: number, signatureId: number, reason: string, now = new Date()): Promise<ModerationOutcome<{ name: string }>> {
  return atomically(db, async (trx) => {
    const found = await loadForChange(trx, statementId, signatureId);
    if (!found.ok) return found;
    const { statement, signature } = found;
    if (signature.status !== "approved") return { ok: false as const, message: `“${shownName(signature)}” cannot be removed: it is ${STATUS_WORDS[signature.status]}.` };
    await trx
      .updateTable("signatures")
      // decided_by keeps who approved it; who removed it, and why, is in the audit entry.
      .set({ status: "removed", removed_at: now.toISOString(), rejection_reason: reason, updated_at: now.toISOString() })
      .where("id", "=", signature.id)
      .execute();
    await touchStatement(trx, statementId);
    await recordAudit(trx, { ...ctx, action: "signature.removed", subjectType: "signature", subjectId: signature.id, detail: { slug: statement.slug, name: shownName(signature), reason } });
    return { ok: true as const, name: shownName(signature) };
  });
}

/** One signature of the statement, for the removal confirmation. */
export async function findSignatureOnStatement(db: DB, statementId: number, signatureId: number) {
  return db.selectFrom("signatures").selectAll().where("id", "=", signatureId).where("statement_id", "=", statementId).executeTakeFirst();
}
