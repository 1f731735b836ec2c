import type { Role } from "../../db/schema";
import type { DB } from "~/platform/db.server";
import { hashPassword, verifyPassword } from "~/platform/password.server";
import { recordAudit } from "./audit.server";
import { isCoordinator } from "./permissions.server";

export async function findUserByEmail(db: DB, email: string) {
  return db.selectFrom("users").selectAll().where("email", "=", email.trim().toLowerCase()).executeTakeFirst();
}

/** The user whose email and password match, or null. Same work either way. */
export async function authenticate(db: DB, email: string, password: string) {
  const user = await findUserByEmail(db, email);
  const ok = await verifyPassword(password, user?.password_hash ?? null);
  return ok && user ? user : null;
}

export async function listUsers(db: DB) {
  return db
    .selectFrom("users")
    .leftJoin("organisations", "organisations.id", "users.organisation_id")
    .select(["users.id", "users.email", "users.name", "users.role", "users.organisation_id", "users.created_at", "organisations.name as organisation_name"])
    .orderBy("users.name")
    .execute();
}

export type PasswordChange = { ok: true } | { ok: false; field: "currentPassword"; message: string };

export async function changePassword(db: DB, userId: number, current: string, next: string, ip: string | null): Promise<PasswordChange> {
  const user = await db.selectFrom("users").selectAll().where("id", "=", userId).executeTakeFirstOrThrow();
  if (!(await verifyPassword(current, user.password_hash))) {
    return { ok: false, field: "currentPassword", message: "Your current password is not correct." };
  }
  const hash = await hashPassword(next);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("users").set({ password_hash: hash, updated_at: new Date().toISOString() }).where("id", "=", userId).execute();
    await recordAudit(trx, { actor: user, action: "user.password_changed", subjectType: "user", subjectId: userId, ip });
  });
  return { ok: true };
}

export type RoleChange = { ok: true } | { ok: false; message: string };

/** Changes a user's role (and organisation). The last coordinator cannot be demoted. */
export async function changeRole(
  db: DB,
  actor: { id: number; email: string },
  change: { userId: number; role: Role; organisationId: number | null },
  ip: string | null,
): Promise<RoleChange> {
  return db.transaction().execute(async (trx) => {
    const target = await trx.selectFrom("users").selectAll().where("id", "=", change.userId).executeTakeFirst();
    if (!target) return { ok: false as const, message: "That person no longer exists." };
    if (isCoordinator(target) && !isCoordinator(change)) {
      const { n } = await trx.selectFrom("users").select((eb) => eb.fn.countAll<number>().as("n")).where("role", "=", "coordinator").executeTakeFirstOrThrow();
      if (Number(n) <= 1) return { ok: false as const, message: "This is the last coordinator. Make someone else a coordinator first." };
    }
    const organisationId = change.organisationId ?? (isCoordinator(change) ? target.organisation_id : null);
    await trx
      .updateTable("users")
      .set({ role: change.role, organisation_id: organisationId, updated_at: new Date().toISOString() })
      .where("id", "=", target.id)
      .execute();
    await recordAudit(trx, {
      actor,
      action: "user.role_changed",
      subjectType: "user",
      subjectId: target.id,
      detail: { email: target.email, from: target.role, to: change.role, organisationId },
      ip,
    });
    return { ok: true as const };
  });
}
