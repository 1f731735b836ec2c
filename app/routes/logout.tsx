import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { recordAudit } from "~/models/audit.server";
import { getDb } from "~/platform/db.server";
import { clientIp, endSession, getSessionUser } from "~/platform/session.server";

export async function action({ request }: ActionFunctionArgs) {
  const db = getDb();
  const user = await getSessionUser(request, db);
  const setCookie = await endSession(db, request);
  if (user) await recordAudit(db, { actor: user, action: "user.signed_out", subjectType: "user", subjectId: user.id, ip: clientIp(request) });
  return redirect("/", { headers: { "Set-Cookie": setCookie } });
}

// Signing out changes state, so it is a POST from the header's button; a GET here
// (a typed URL, a prefetch) does nothing but go home.
export const loader = () => redirect("/");
