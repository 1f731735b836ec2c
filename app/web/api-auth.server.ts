// The JSON API accepts either a personal token (Authorization: Bearer ...) or the
// browser session. Failures are JSON, never a redirect to the login page.
import { userForApiToken } from "~/models/api-token.server";
import { letterFor } from "~/models/letter.server";
import { isCoordinator } from "~/models/permissions.server";
import { getDb, type DB } from "~/platform/db.server";
import { getSessionUser, type SessionUser } from "~/platform/session.server";

export function jsonError(status: number, error: string): Response {
  return Response.json({ error }, { status, headers: status === 401 ? { "WWW-Authenticate": 'Bearer realm="demarche"' } : {} });
}

export async function requireApiUser(request: Request, db: DB = getDb()): Promise<SessionUser> {
  const header = request.headers.get("Authorization");
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const user = match ? await userForApiToken(db, match[1]) : null;
    if (!user) throw jsonError(401, "The API token is missing, malformed or revoked.");
    return user;
  }
  const user = await getSessionUser(request, db);
  if (!user) throw jsonError(401, "Sign in or send an API token: Authorization: Bearer <token>.");
  return user;
}

export async function requireApiCoordinator(request: Request, db: DB = getDb()): Promise<SessionUser> {
  const user = await requireApiUser(request, db);
  if (!isCoordinator(user)) throw jsonError(403, "Only coordinators may use this endpoint.");
  return user;
}

/** A saved letter for the API: 401 without credentials, 404 for an unknown id, 403 for another organisation's letter (JSON). */
export async function requireApiLetter(request: Request, idParam: string | undefined, db: DB = getDb()) {
  const user = await requireApiUser(request, db);
  const letter = await letterFor(db, user, idParam);
  if (letter === 404) throw jsonError(404, "There is no such letter.");
  if (letter === 403) throw jsonError(403, "Members may read only their own organisation's letters.");
  return letter;
}
