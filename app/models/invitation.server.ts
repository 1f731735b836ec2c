// Invitations: a coordinator names a person, a role and (for members) an
// organisation; the person gets a single-use link that expires, and sets a password.
// Only the hash of the link's token is stored.
import type { Role } from "../../db/schema";
import { atomically, type DB } from "~/platform/db.server";
import { hashPassword } from "~/platform/password.server";
import { hashSecret, newSecret } from "~/platform/tokens.server";
import { recordAudit } from "./audit.server";

export const INVITATION_DAYS = 7;

export interface NewInvitation {
  name: string;
  email: string;
  role: Role;
  organisationId: number | null;
}

export type InvitationResult =
  | { ok: true; token: string; invitationId: number; expiresAt: string; organisationName: string | null }
  | { ok: false; field: "email" | "organisationId"; message: string };

export async function createInvitation(db: DB, inviter: { id: number; email: string }, input: NewInvitation, ip: string | null): Promise<InvitationResult> {
  return atomically(db, async (trx) => {
    // Coordinators can see every account, so saying so here reveals nothing new.
    const existing = await trx.selectFrom("users").select("id").where("email", "=", input.email).executeTakeFirst();
    if (existing) return { ok: false as const, field: "email" as const, message: "This person already has an account. Change their role on the People page instead." };
    const organisation = input.organisationId
      ? await trx.selectFrom("organisations").select(["id", "name"]).where("id", "=", input.organisationId).executeTakeFirst()
      : null;
    if (input.organisationId && !organisation) return { ok: false as const, field: "organisationId" as const, message: "That organisation does not exist." };

    // A new invitation for the same address replaces any still-open one.
    const now = new Date();
    await trx.updateTable("invitations").set({ revoked_at: now.toISOString() })
      .where("email", "=", input.email).where("accepted_at", "is", null).where("revoked_at", "is", null).execute();

    const token = newSecret();
    const expiresAt = new Date(now.getTime() + INVITATION_DAYS * 86400_000).toISOString();
    const row = await trx
      .insertInto("invitations")
      .values({ email: input.email, name: input.name, role: input.role, organisation_id: organisation?.id ?? null, token_hash: hashSecret(token), invited_by: inviter.id, expires_at: expiresAt })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(trx, { actor: inviter, action: "invitation.created", subjectType: "invitation", subjectId: row.id, detail: { email: input.email, role: input.role, organisationId: organisation?.id ?? null }, ip });
    return { ok: true as const, token, invitationId: row.id, expiresAt, organisationName: organisation?.name ?? null };
  });
}

/** The invitation behind a link, if it is still usable. Every other case looks the same. */
export async function findUsableInvitation(db: DB, token: string) {
  if (!token || token.length > 200) return null;
  const row = await db
    .selectFrom("invitations")
    .leftJoin("organisations", "organisations.id", "invitations.organisation_id")
    .select(["invitations.id", "invitations.email", "invitations.name", "invitations.role", "invitations.organisation_id", "invitations.expires_at", "invitations.accepted_at", "invitations.revoked_at", "organisations.name as organisation_name"])
    .where("invitations.token_hash", "=", hashSecret(token))
    .executeTakeFirst();
  if (!row || row.accepted_at || row.revoked_at || row.expires_at <= new Date().toISOString()) return null;
  return row;
}

/** Uses the invitation: creates the account. Returns null when the link is no longer usable. */
export async function acceptInvitation(db: DB, token: string, password: string, ip: string | null) {
  const hash = await hashPassword(password);
  return db.transaction().execute(async (trx) => {
    const invitation = await findUsableInvitation(trx, token);
    if (!invitation) return null;
    // An account made meanwhile for this address: leave the invitation as it is.
    const taken = await trx.selectFrom("users").select("id").where("email", "=", invitation.email).executeTakeFirst();
    if (taken) return null;
    // Marking it accepted inside the same write transaction makes the link single-use
    // even when two tabs submit at once.
    const claimed = await trx.updateTable("invitations").set({ accepted_at: new Date().toISOString() })
      .where("id", "=", invitation.id).where("accepted_at", "is", null).executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) return null;
    const user = await trx
      .insertInto("users")
      .values({ email: invitation.email, name: invitation.name, role: invitation.role, organisation_id: invitation.organisation_id, password_hash: hash })
      .returning(["id", "email", "name", "role"])
      .executeTakeFirstOrThrow();
    await recordAudit(trx, { actor: user, action: "invitation.accepted", subjectType: "invitation", subjectId: invitation.id, ip });
    return user;
  });
}

export async function listOpenInvitations(db: DB) {
  return db
    .selectFrom("invitations")
    .leftJoin("organisations", "organisations.id", "invitations.organisation_id")
    .select(["invitations.id", "invitations.email", "invitations.name", "invitations.role", "invitations.expires_at", "invitations.created_at", "organisations.name as organisation_name"])
    .where("invitations.accepted_at", "is", null)
    .where("invitations.revoked_at", "is", null)
    .where("invitations.expires_at", ">", new Date().toISOString())
    .orderBy("invitations.created_at", "desc")
    .execute();
}

export async function revokeInvitation(db: DB, actor: { id: number; email: string }, invitationId: number, ip: string | null) {
  await db.transaction().execute(async (trx) => {
    const result = await trx.updateTable("invitations").set({ revoked_at: new Date().toISOString() })
      .where("id", "=", invitationId).where("accepted_at", "is", null).where("revoked_at", "is", null).executeTakeFirst();
    if (Number(result.numUpdatedRows) === 1) {
      await recordAudit(trx, { actor, action: "invitation.revoked", subjectType: "invitation", subjectId: invitationId, ip });
    }
  });
}
