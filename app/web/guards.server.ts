// Who may open a page at all: signed in, for some pages a coordinator, for an
// organisation's pages one who may change it. The session itself (cookies, ids) is
// ~/platform/session.server; who may do what is ~/models/permissions.server. A refusal
// here is already the page: a redirect to the login form, 404 or 403.
import { redirect } from "@remix-run/node";
import { editableOrganisation } from "~/models/organisation.server";
import { isCoordinator } from "~/models/permissions.server";
import { getDb, type DB } from "~/platform/db.server";
import { Forbidden } from "~/platform/errors.server";
import { getSessionUser, type SessionUser } from "~/platform/session.server";
import { answering, failure } from "./respond.server";

/** The signed-in user, or a redirect to the login page that returns here afterwards. */
export async function requireUser(request: Request, db: DB = getDb()): Promise<SessionUser> {
  const user = await getSessionUser(request, db);
  if (!user) {
    const url = new URL(request.url);
    throw redirect(`/login?${new URLSearchParams({ redirectTo: url.pathname + url.search })}`);
  }
  return user;
}

/** The signed-in user if they are a coordinator; 403 otherwise. */
export async function requireCoordinator(request: Request, db: DB = getDb()): Promise<SessionUser> {
  const user = await requireUser(request, db);
  if (!isCoordinator(user)) failure(new Forbidden("Only coordinators can do this."));
  return user;
}

/** The organisation of the URL if `user` may change it (coordinators: any; members: their own); the 404 or 403 page otherwise. */
export const editableOrganisationOr403 = answering(editableOrganisation);
