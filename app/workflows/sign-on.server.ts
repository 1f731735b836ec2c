// Signing on, end to end: throttling (per client address and per email, with the
// platform's in-memory throttle), storing the sign-on, and the emails that follow each
// step. Each email is written in the same transaction as what it is about (a
// transactional outbox, ADR 0009): a crash at any instant leaves both or neither, and
// the worker sends it after commit, so a slow relay never holds the database. An email
// that cannot be built (a bad address) takes its sign-on or decision back with it.
import type { DecisionNotice } from "~/models/signature-moderation.server";
import { approveSignature, rejectSignature, type ModerationOutcome } from "~/models/signature-moderation.server";
import { submitSignature, VERIFY_HOURS, type SignOnInput } from "~/models/signature.server";
import type { ChangeContext } from "~/models/audit.server";
import { atomically, type DB } from "~/platform/db.server";
import { loadEnv } from "~/platform/env.server";
import { throttle } from "~/platform/rate-limit.server";
import { isUnsendable, sendMail } from "~/models/outbox/notices.server";
import { renderEmail } from "~/platform/templates.server";

const APP_NAME = "Demarche";
const IP_WINDOW_SECONDS = 10 * 60;
const EMAIL_WINDOW_SECONDS = 60 * 60;

/** Default limits: stored sign-ons per client address per 10 minutes, and per email per hour. */
export const SIGN_ON_LIMITS = { perIp: 10, perEmail: 3 } as const;

// A benchmark (many sign-ons from one address) raises these through the environment
// of the server it starts; read once at start-up, like the rest of the configuration.
function limitFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name} must be a whole number of at least 1, got "${raw}".`);
  return n;
}

let limiters = makeLimiters({
  perIp: limitFromEnv("SIGNON_RATE_LIMIT_PER_IP", SIGN_ON_LIMITS.perIp),
  perEmail: limitFromEnv("SIGNON_RATE_LIMIT_PER_EMAIL", SIGN_ON_LIMITS.perEmail),
});

function makeLimiters({ perIp, perEmail }: { perIp: number; perEmail: number }) {
  return {
    byIp: throttle("signon-ip", perIp, IP_WINDOW_SECONDS),
    byEmail: throttle("signon-email", perEmail, EMAIL_WINDOW_SECONDS),
  };
}

/** Replaces the limits (and forgets what was counted). For tests and benchmarks. */
export function configureSignOnLimits(limits: Partial<{ perIp: number; perEmail: number }> = {}): void {
  limiters = makeLimiters({ perIp: limits.perIp ?? SIGN_ON_LIMITS.perIp, perEmail: limits.perEmail ?? SIGN_ON_LIMITS.perEmail });
}

export function currentSignOnLimits(): { perIp: number; perEmail: number } {
  return { perIp: limiters.byIp.points, perEmail: limiters.byEmail.points };
}

/**
 * Counts one sign-on against the address and the email. Returns the seconds to wait
 * when either is over its limit (nothing else happens then), or 0.
 */
async function consumeSignOn(ip: string | null, email: string): Promise<number> {
  const results = await Promise.all([ip ? limiters.byIp.take(ip) : 0, limiters.byEmail.take(email)]);
  return Math.max(...results);
}

export type SignOnOutcome =
  | { ok: true }
  | { ok: false; status: 409 | 429 | 502; message: string };

/**
 * Throttles, stores the sign-on and emails its contact the verification and
 * withdraw links. Field problems (unknown country, an approved duplicate) are thrown
 * as FieldInputError by the model, for the form to show beside the fields.
 */
export async function signOn(db: DB, statement: { id: number; title: string }, input: SignOnInput, ip: string | null): Promise<SignOnOutcome> {
  const wait = await consumeSignOn(ip, input.email);
  if (wait > 0) {
    const minutes = Math.ceil(wait / 60);
    return { ok: false, status: 429, message: `Too many sign-ons from here in a short time. Please try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.` };
  }
  const { baseUrl } = loadEnv();
  try {
    return await atomically(db, async (trx): Promise<SignOnOutcome> => {
      const stored = await submitSignature(trx, statement.id, input, ip);
      if (!stored.ok) return { ok: false, status: 409, message: stored.message };
      const message = renderEmail("signature-verify", {
        appName: APP_NAME,
        contactName: input.contact_name,
        organisationName: input.name,
        statementTitle: statement.title,
        verifyUrl: `${baseUrl}/signatures/verify/${stored.verifyToken}`,
        withdrawUrl: `${baseUrl}/signatures/withdraw/${stored.withdrawToken}`,
        expiresAt: formatWhen(stored.expiresAt),
        hours: VERIFY_HOURS,
      });
      await sendMail(trx, { to: [{ name: input.contact_name, address: input.email }], ...message });
      return { ok: true };
    });
  } catch (error) {
    if (!isUnsendable(error)) throw error;
    console.error("sign-on verification email failed:", error);
    return { ok: false, status: 502, message: "We could not send the verification email, so the signature was not recorded. Please check the email address and try again later." };
  }
}

export type DecisionOutcome = ModerationOutcome<{ mailProblem: string | null }>;

/**
 * Approves or rejects a pending sign-on and queues the email telling its contact, in one
 * transaction. An email that cannot be built does not undo the decision: the coordinator
 * is told instead (mailProblem), and can reach the organisation another way.
 */
export async function decideSignature(db: DB, ctx: ChangeContext, statementId: number, signatureId: number, decision: { approve: true } | { approve: false; reason: string }): Promise<DecisionOutcome> {
  return atomically(db, async (trx) => {
    const result = decision.approve
      ? await approveSignature(trx, ctx, statementId, signatureId)
      : await rejectSignature(trx, ctx, statementId, signatureId, decision.reason);
    if (!result.ok) return result;
    return { ok: true as const, mailProblem: await notifyDecision(trx, result.notice) };
  });
}

/**
 * Tells an organisation that its sign-on was approved or rejected. Returns null when
 * sent (or there is no one to tell), else why not: the decision itself stands.
 */
async function notifyDecision(db: DB, notice: DecisionNotice & { reason?: string }): Promise<string | null> {
  if (!notice.contact) return null;
  const { baseUrl } = loadEnv();
  const common = {
    appName: APP_NAME,
    contactName: notice.contact.name,
    organisationName: notice.organisationName,
    statementTitle: notice.statementTitle,
    withdrawUrl: `${baseUrl}/signatures/withdraw/${notice.withdrawToken}`,
  };
  try {
    const message = notice.reason === undefined
      ? renderEmail("signature-approved", { ...common, shownName: notice.shownName, statementUrl: `${baseUrl}/s/${notice.slug}` })
      : renderEmail("signature-rejected", { ...common, reason: notice.reason });
    await sendMail(db, { to: [notice.contact], ...message });
    return null;
  } catch (error) {
    if (!isUnsendable(error)) throw error; // the database: the decision is rolled back with it
    return error instanceof Error ? error.message : String(error);
  }
}

// Built once: constructing an Intl formatter costs more than the rest of a sign-on.
const WHEN = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeStyle: "short", timeZone: "UTC" });

function formatWhen(iso: string): string {
  return `${WHEN.format(new Date(iso))} UTC`;
}
