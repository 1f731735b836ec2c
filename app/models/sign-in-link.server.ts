// One-time sign-in links: a way in by email that does not depend on the password form,
// so a guesser slowing that form down cannot keep the owner out. A link is random,
// stored only as its SHA-256, works once and for a quarter of an hour. Opening it
// shows a button; only the POST uses it, so mail scanners that fetch links do not.
import type { DB } from "~/platform/db.server";
import { hashSecret, newSecret } from "~/platform/tokens.server";

export const SIGN_IN_LINK_MINUTES = 15;

/** Stores a new link for `userId` and returns its token (shown once, in the email). */
export async function createSignInLink(db: DB, userId: number, ip: string | null, now = new Date()): Promise<{ token: string; expiresAt: string }> {
  const token = newSecret();
  const expiresAt = new Date(now.getTime() + SIGN_IN_LINK_MINUTES * 60_000).toISOString();
  // Links a day past their expiry are of no use to anyone, not even the audit log.
  await db.deleteFrom("sign_in_links").where("expires_at", "<", new Date(now.getTime() - 86400_000).toISOString()).execute();
  await db.insertInto("sign_in_links").values({ user_id: userId, token_hash: hashSecret(token), expires_at: expiresAt, requested_ip: ip }).execute();
  return { token, expiresAt };
}

/** Whose link this is, if it can still be used (looking does not use it). */
export async function findUsableSignInLink(db: DB, token: string, now = new Date()) {
  if (!token || token.length > 200) return null;
  return (
    (await db
      .selectFrom("sign_in_links")
      .innerJoin("users", "users.id", "sign_in_links.user_id")
      .select(["users.id as userId", "users.email"])
      .where("sign_in_links.token_hash", "=", hashSecret(token))
      .where("sign_in_links.used_at", "is", null)
      .where("sign_in_links.expires_at", ">", now.toISOString())
      .executeTakeFirst()) ?? null
  );
}

/**
 * Uses the link: one guarded UPDATE marks it used only if it is unused and unexpired,
 * so two submissions at once cannot both succeed. Returns the user, or null.
 */
export async function consumeSignInLink(db: DB, token: string, now = new Date()) {
  if (!token || token.length > 200) return null;
  const used = await db
    .updateTable("sign_in_links")
    .set({ used_at: now.toISOString() })
    .where("token_hash", "=", hashSecret(token))
    .where("used_at", "is", null)
    .where("expires_at", ">", now.toISOString())
    .returning(["id", "user_id"])
    .executeTakeFirst();
  if (!used) return null;
  const user = await db.selectFrom("users").select(["id", "email", "name"]).where("id", "=", used.user_id).executeTakeFirst();
  return user ? { ...user, linkId: used.id } : null;
}
