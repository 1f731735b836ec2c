// Sign-in as one step: throttle, check the password, rotate the session, audit.
// Every failure says the same thing, so the form does not reveal who has an account.
import { recordAudit } from "~/models/audit.server";
import { authenticate } from "~/models/user.server";
import type { DB } from "~/platform/db.server";
import { consumeLoginAttempt, settleSuccessfulLogin } from "~/platform/rate-limit.server";
import { startSession } from "~/platform/session.server";

export type LoginResult = { ok: true; setCookie: string } | { ok: false; status: number; message: string };

export async function logIn(db: DB, request: Request, email: string, password: string, ip: string | null): Promise<LoginResult> {
  const wait = await consumeLoginAttempt(email, ip);
  if (wait > 0) {
    const minutes = Math.max(1, Math.ceil(wait / 60));
    return { ok: false, status: 429, message: `Too many sign-in attempts. Please wait ${minutes} minute${minutes === 1 ? "" : "s"} and try again.` };
  }
  const user = await authenticate(db, email, password);
  if (!user) {
    await recordAudit(db, { action: "user.sign_in_failed", detail: { email }, ip });
    return { ok: false, status: 400, message: "The email or password is not correct." };
  }
  await settleSuccessfulLogin(email, ip);
  const setCookie = await startSession(db, request, user.id);
  await recordAudit(db, { actor: user, action: "user.signed_in", subjectType: "user", subjectId: user.id, ip });
  return { ok: true, setCookie };
}

/**
 * Only paths on this site. Browsers drop tabs and line breaks inside URLs, so
 * "/\t/evil.example" would become "//evil.example": refuse control characters and
 * backslashes, then check that the path resolves to our own origin.
 */
export function safeRedirect(to: string | undefined): string {
  if (!to || /[\u0000-\u001f\u007f\\]/.test(to) || !to.startsWith("/") || to.startsWith("//")) return "/";
  const url = new URL(to, "http://local.invalid");
  return url.origin === "http://local.invalid" ? url.pathname + url.search + url.hash : "/";
}
