// Signing in by an emailed one-time link: the way in that a guesser elsewhere cannot
// close, because it needs the account's mailbox rather than its password. Asking for
// a link always gets the same answer, account or not; asking too often is refused
// (per address and per email) so the form cannot be used to flood someone's inbox.
import { durationInWords, timeInWords } from "~/lib/time-in-words";
import { recordAudit } from "~/models/audit.server";
import { sendMail } from "~/models/outbox/notices.server";
import { consumeSignInLink, createSignInLink, SIGN_IN_LINK_MINUTES } from "~/models/sign-in-link.server";
import { findUserByEmail } from "~/models/user.server";
import type { DB } from "~/platform/db.server";
import { loadEnv } from "~/platform/env.server";
import { startSession } from "~/platform/session.server";
import { signInThrottle } from "~/platform/sign-in-throttle.server";
import { renderEmail } from "~/platform/templates.server";

export const LINK_SENT = `If an account exists for that address, we have sent a link to it. The link signs you in once and works for ${SIGN_IN_LINK_MINUTES} minutes.`;

export type LinkRequestResult = { ok: true; message: string } | { ok: false; status: number; message: string };

export async function requestSignInLink(db: DB, email: string, ip: string | null): Promise<LinkRequestResult> {
  const refusal = await signInThrottle.admitLinkRequest(email, ip);
  if (refusal) {
    const wait = durationInWords(refusal.waitSeconds);
    const from = refusal.reason === "address" ? "from your network" : "for this address";
    return { ok: false, status: 429, message: `Too many sign-in links have been requested ${from}. Please wait ${wait} and try again.` };
  }
  const user = await findUserByEmail(db, email);
  if (!user) return { ok: true, message: LINK_SENT };
  // The link and its email together or neither: no stored link nobody was sent, and
  // (with SMTP) the notice row commits with the link it carries.
  await db.transaction().execute(async (trx) => {
    const link = await createSignInLink(trx, user.id, ip);
    const message = renderEmail("sign-in-link", {
      name: user.name,
      email: user.email,
      signInUrl: `${loadEnv().baseUrl}/login/link/${link.token}`,
      expiresAt: timeInWords(link.expiresAt),
      minutes: SIGN_IN_LINK_MINUTES,
      appName: "Demarche",
    });
    await sendMail(trx, { to: [{ name: user.name, address: user.email }], ...message });
    await recordAudit(trx, { actor: user, action: "user.sign_in_link_sent", subjectType: "user", subjectId: user.id, ip });
  });
  return { ok: true, message: LINK_SENT };
}

export type LinkSignInResult = { ok: true; setCookie: string } | { ok: false };

/** Uses the link (once) and starts a session as a password sign-in would. */
export async function signInWithLink(db: DB, request: Request, token: string, ip: string | null): Promise<LinkSignInResult> {
  const user = await consumeSignInLink(db, token);
  if (!user) return { ok: false };
  // The owner proved the mailbox from here: this address starts afresh for the account.
  // The account-wide bound stays: it counts the guesser's attempts, not the owner's.
  await signInThrottle.linkUsed(user.email, ip);
  const setCookie = await startSession(db, request, user.id);
  await recordAudit(db, { actor: user, action: "user.signed_in", subjectType: "user", subjectId: user.id, detail: { method: "link", linkId: user.linkId }, ip });
  return { ok: true, setCookie };
}
