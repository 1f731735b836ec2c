import type { DB } from "~/platform/db.server";
import type { SessionUser } from "~/platform/session.server";

/** Who made a change, for the audit log. */
export interface ChangeContext {
  actor: { id: number; email: string } | null;
  ip: string | null;
}

export function changeContext(user: SessionUser, ip: string | null): ChangeContext {
  return { actor: { id: user.id, email: user.email }, ip };
}

export interface AuditInput {
  actor?: { id: number; email: string } | null;
  action: string;
  subjectType?: string;
  subjectId?: string | number;
  detail?: Record<string, unknown>;
  ip?: string | null;
}

/** Records who did what. Call it inside the same transaction as the change. */
export async function recordAudit(db: DB, entry: AuditInput): Promise<void> {
  await db
    .insertInto("audit_log")
    .values({
      actor_user_id: entry.actor?.id ?? null,
      actor_email: entry.actor?.email ?? null,
      action: entry.action,
      subject_type: entry.subjectType ?? null,
      subject_id: entry.subjectId === undefined ? null : String(entry.subjectId),
      detail: entry.detail ? JSON.stringify(entry.detail) : null,
      ip: entry.ip ?? null,
    })
    .execute();
}

export async function listAudit(db: DB, { limit = 200, before }: { limit?: number; before?: number } = {}) {
  let q = db.selectFrom("audit_log").selectAll().orderBy("id", "desc").limit(limit);
  if (before) q = q.where("id", "<", before);
  return q.execute();
}
