// Personal API tokens for the JSON API. The token is shown once, at creation; we
// keep its SHA-256 and a short prefix so a person can tell their tokens apart.
import type { DB } from "~/platform/db.server";
import { hashSecret, newSecret } from "~/platform/tokens.server";
import { recordAudit } from "./audit.server";

const PREFIX = "dmr_";

export async function createApiToken(db: DB, user: { id: number; email: string }, name: string, ip: string | null) {
  const token = PREFIX + newSecret(32);
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("api_tokens")
      .values({ user_id: user.id, name, token_hash: hashSecret(token), token_prefix: token.slice(0, PREFIX.length + 6) })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(trx, { actor: user, action: "api_token.created", subjectType: "api_token", subjectId: row.id, detail: { name }, ip });
  });
  return token;
}

export async function listApiTokens(db: DB, userId: number) {
  return db
    .selectFrom("api_tokens")
    .select(["id", "name", "token_prefix", "created_at", "last_used_at", "revoked_at"])
    .where("user_id", "=", userId)
    .orderBy("created_at", "desc")
    .execute();
}

/** Revokes one of the user's own tokens; false if there was no such live token. */
export async function revokeApiToken(db: DB, user: { id: number; email: string }, tokenId: number, ip: string | null) {
  return db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable("api_tokens")
      .set({ revoked_at: new Date().toISOString() })
      .where("id", "=", tokenId)
      .where("user_id", "=", user.id)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    const revoked = Number(result.numUpdatedRows) === 1;
    if (revoked) await recordAudit(trx, { actor: user, action: "api_token.revoked", subjectType: "api_token", subjectId: tokenId, ip });
    return revoked;
  });
}

/** The user a bearer token belongs to, if the token is live. */
export async function userForApiToken(db: DB, token: string) {
  if (!token || token.length > 200) return null;
  const row = await db
    .selectFrom("api_tokens")
    .innerJoin("users", "users.id", "api_tokens.user_id")
    .select(["api_tokens.id as token_id", "users.id", "users.email", "users.name", "users.role", "users.organisation_id"])
    .where("api_tokens.token_hash", "=", hashSecret(token))
    .where("api_tokens.revoked_at", "is", null)
    .executeTakeFirst();
  if (!row) return null;
  await db.updateTable("api_tokens").set({ last_used_at: new Date().toISOString() }).where("id", "=", row.token_id).execute();
  const { token_id: _id, ...user } = row;
  return user;
}
