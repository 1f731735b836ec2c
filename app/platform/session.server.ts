// Server-side sessions: the cookie carries a random id (signed with SESSION_SECRET),
// the database keeps its hash. Logging out deletes the row, so a copied cookie dies
// with it; logging in always issues a fresh id (no session fixation). Who may open a
// page is ~/web/guards.server; who may do what, ~/models/permissions.server.
import { createCookie, type Cookie } from "@remix-run/node";
import type { User } from "../../db/schema";
import { getOrCreateSetting } from "~/platform/settings.server";
import { getDb, type DB } from "./db.server";
import { loadEnv } from "./env.server";
import { hashSecret, newSecret } from "./tokens.server";

const SESSION_DAYS = 14;
export type SessionUser = Pick<User, "id" | "email" | "name" | "role" | "organisation_id">;

const cookies = new Map<boolean, Promise<Cookie>>();

async function sessionCookie(request: Request): Promise<Cookie> {
  const secure = new URL(request.url).protocol === "https:" || loadEnv().baseUrl.startsWith("https:");
  let cookie = cookies.get(secure);
  if (!cookie) {
    cookie = (async () => {
      const secret = loadEnv().SESSION_SECRET ?? (await getOrCreateSetting(getDb(), "session_secret", () => newSecret(48)));
      return createCookie(secure ? "__Host-demarche" : "demarche_session", {
        httpOnly: true,
        sameSite: "lax",
        secure,
        path: "/",
        secrets: [secret],
        maxAge: SESSION_DAYS * 86400,
      });
    })();
    cookies.set(secure, cookie);
    // A failure (the database busy at the first request) is not kept: the next request tries again.
    cookie.catch(() => cookies.delete(secure));
  }
  return cookie;
}

async function readSessionId(request: Request): Promise<string | null> {
  const value = await (await sessionCookie(request)).parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length > 0 ? value : null;
}

/** Starts a session for `userId`, ending any session the request carried. Returns Set-Cookie. */
export async function startSession(db: DB, request: Request, userId: number): Promise<string> {
  const previous = await readSessionId(request);
  const id = newSecret();
  const expires = new Date(Date.now() + SESSION_DAYS * 86400_000).toISOString();
  await db.transaction().execute(async (trx) => {
    if (previous) await trx.deleteFrom("sessions").where("id_hash", "=", hashSecret(previous)).execute();
    await trx.insertInto("sessions").values({ id_hash: hashSecret(id), user_id: userId, expires_at: expires }).execute();
  });
  return (await sessionCookie(request)).serialize(id);
}

/** Ends the request's session server-side. Returns the Set-Cookie that clears it. */
export async function endSession(db: DB, request: Request): Promise<string> {
  const id = await readSessionId(request);
  if (id) await db.deleteFrom("sessions").where("id_hash", "=", hashSecret(id)).execute();
  return (await sessionCookie(request)).serialize("", { maxAge: 0 });
}

/** Ends every session of a user (after a password change, except the current one). */
export async function endOtherSessions(db: DB, request: Request, userId: number): Promise<void> {
  const id = await readSessionId(request);
  let q = db.deleteFrom("sessions").where("user_id", "=", userId);
  if (id) q = q.where("id_hash", "!=", hashSecret(id));
  await q.execute();
}

export async function getSessionUser(request: Request, db: DB = getDb()): Promise<SessionUser | null> {
  const id = await readSessionId(request);
  if (!id) return null;
  const row = await db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .select(["users.id", "users.email", "users.name", "users.role", "users.organisation_id", "sessions.expires_at"])
    .where("sessions.id_hash", "=", hashSecret(id))
    .executeTakeFirst();
  if (!row || row.expires_at < new Date().toISOString()) return null;
  const { expires_at: _expires, ...user } = row;
  return user;
}

export function clientIp(request: Request): string | null {
  return request.headers.get("x-demarche-client-ip");
}
