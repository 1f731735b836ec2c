// Sign-in as one step: throttle, check the password, rotate the session, audit.
// Every failure says the same thing for known and unknown addresses, so the form does
// not reveal who has an account; a throttled one says how long to wait and points to
// the emailed sign-in link (app/workflows/sign-in-link.server.ts).
import { durationInWords } from "~/lib/time-in-words";
import { recordAudit } from "~/models/audit.server";
import { authenticate } from "~/models/user.server";
import type { DB } from "~/platform/db.server";
import { startSession } from "~/platform/session.server";
import { signInThrottle, type SignInRefusal } from "~/platform/sign-in-throttle.server";

export type LoginResult = { ok: true; setCookie: string } | { ok: false; status: number; message: string };

export async function logIn(db: DB, request: Request, email: string, password: string, ip: string | null): Promise<LoginResult> {
  // Counted before the password is checked, so guesses sent in parallel cannot all pass.
  const refusal = await signInThrottle.admitPassword(email, ip);
  // Not audited: refused attempts cost a guesser nothing, so each must cost us nothing.
  if (refusal) return { ok: false, status: 429, message: passwordRefusal(refusal) };
  const user = await authenticate(db, email, password);
  if (!user) {
    await recordAudit(db, { action: "user.sign_in_failed", detail: { email }, ip });
    return { ok: false, status: 400, message: "The email or password is not correct." };
  }
  await signInThrottle.passwordAccepted(email, ip);
  const setCookie = await startSession(db, request, user.id);
  await recordAudit(db, { actor: user, action: "user.signed_in", subjectType: "user", subjectId: user.id, detail: { method: "password" }, ip });
  return { ok: true, setCookie };
}

function passwordRefusal({ reason, waitSeconds }: SignInRefusal): string {
  const wait = durationInWords(waitSeconds);
  if (reason === "account") {
    return `Too many sign-in attempts for this account. Password sign-in for it is paused for ${wait}; use "Email me a sign-in link" below to sign in now.`;
  }
  const from = reason === "pair" ? "for this account from your network" : "from your network";
  return `Too many sign-in attempts ${from}. Please wait ${wait} and try again, or use "Email me a sign-in link" below.`;
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
