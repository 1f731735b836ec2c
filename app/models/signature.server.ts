// Organisations signing a statement through the public form: who may sign, what is
// stored, and the two links the contact receives. The rule for who may sign lives
// here; moderation (approve, reject, edit, remove) is in signature-moderation.server.ts.
//
// - Signing is possible only while the statement accepts signatures (the life-cycle
//   table: open, and its deadline not passed).
// - An exact duplicate of an APPROVED signature is refused naming it: that list is
//   public anyway. A duplicate of one not yet approved is stored like any other (the
//   moderator sees it flagged), so the form never tells anyone who else has signed.
// - Both links are random secrets stored only as hashes. The verification link is
//   single-use and expires; the withdraw link works until the signature is withdrawn
//   or removed, and is replaced whenever we email a new one.
import { sql } from "kysely";
import type { Signature } from "../../db/schema";
import { atomically, type DB } from "~/platform/db.server";
import { hashSecret, newSecret } from "~/platform/tokens.server";
import type { SignOnInput } from "~/schemas/signature.server";
import { recordAudit } from "./audit.server";
import { nameKey, organisationEmailDomain } from "./name-matching.server";
import { FieldInputError } from "~/platform/errors.server";
import { touchStatement } from "./signatory-list.server";
import { acceptsSignatures, acceptsSignaturesAt, effectiveStatus, refusalReason } from "./statement-lifecycle.server";

// Routes take their schemas from here: a .server module keeps zod out of the browser.
export { HONEYPOT_FIELD, moderationFilterSchema, moderationSchema, signOnSchema, type ModerationInput, type SignOnInput } from "~/schemas/signature.server";

export const VERIFY_HOURS = 48;

/** Statuses a withdraw link can still act on. */
const WITHDRAWABLE = ["unverified", "pending", "approved", "rejected"] as const;

export type SubmitOutcome =
  | { ok: true; signatureId: number; verifyToken: string; withdrawToken: string; expiresAt: string }
  | { ok: false; message: string };

/** The shown name of a signature: the coordinators' display name, else the name typed. */
export function shownName(s: Pick<Signature, "display_name" | "organisation_name">): string {
  return s.display_name ?? s.organisation_name;
}

/**
 * Stores a sign-on as 'unverified' with fresh verification and withdraw secrets.
 * Throws FieldInputError (nothing written) for an unknown country or an exact
 * duplicate of an approved signature; returns ok: false when signing is closed.
 */
export async function submitSignature(db: DB, statementId: number, input: SignOnInput, ip: string | null, now = new Date()): Promise<SubmitOutcome> {
  const key = nameKey(input.name);
  if (key === "") throw new FieldInputError({ name: ["Organisation name must contain letters or digits."] });
  const at = now.toISOString();
  const verifyToken = newSecret();
  const withdrawToken = newSecret();
  const expiresAt = new Date(now.getTime() + VERIFY_HOURS * 3600_000).toISOString();
  const values = {
    statement_id: statementId,
    organisation_name: input.name,
    acronym: input.acronym,
    country_code: input.country,
    website: input.website,
    contact_name: input.contact_name,
    contact_title: input.contact_title,
    contact_email: input.email,
    note: input.note,
    name_key: key,
    email_domain: organisationEmailDomain(input.email),
    status: "unverified",
    source: "form",
    consent_at: at,
    verify_token_hash: hashSecret(verifyToken),
    verify_expires_at: expiresAt,
    withdraw_token_hash: hashSecret(withdrawToken),
    ip,
    created_at: at,
    updated_at: at,
  } as const;
  const columns = Object.keys(values) as (keyof typeof values)[];

  // One INSERT … SELECT that writes only when every rule holds (statement open and
  // before its deadline, country known, no approved twin): atomic without a
  // transaction and a single round trip, so a burst of sign-ons stays cheap. The
  // statement test is the life cycle's, in SQL. When nothing was written, say why.
  const row = await db
    .insertInto("signatures")
    .columns(columns)
    .expression((eb) =>
      eb
        .selectFrom("statements as s")
        .select(columns.map((c) => eb.val(values[c]).as(c)))
        .where("s.id", "=", statementId)
        .where((w) => acceptsSignaturesAt(w, at))
        .where((w) => w.exists(w.selectFrom("countries as c").select("c.code").where("c.code", "=", input.country)))
        .where((w) =>
          w.not(
            w.exists(
              w
                .selectFrom("signatures as a")
                .select("a.id")
                .whereRef("a.statement_id", "=", "s.id")
                // A literal, not a parameter: only then can SQLite use the partial unique index.
                .where("a.status", "=", sql.lit("approved"))
                .where("a.name_key", "=", key),
            ),
          ),
        ),
    )
    .returning("id")
    .executeTakeFirst();
  if (row) return { ok: true, signatureId: row.id, verifyToken, withdrawToken, expiresAt };
  return whyNotStored(db, statementId, input.country, key, now);
}

/** The refusal for a sign-on the insert did not write: closed, unknown country, or an approved twin. */
async function whyNotStored(db: DB, statementId: number, country: string, key: string, now: Date): Promise<SubmitOutcome> {
  const statement = await db.selectFrom("statements").select(["id", "status", "signing_deadline"]).where("id", "=", statementId).executeTakeFirst();
  if (!statement) return { ok: false, message: "There is no such statement." };
  if (!acceptsSignatures(statement, now)) return { ok: false, message: refusalReason(effectiveStatus(statement, now), "signatures") };
  const errors: Record<string, string[]> = {};
  const known = await db.selectFrom("countries").select("code").where("code", "=", country).executeTakeFirst();
  if (!known) errors.country = ["Choose the country where the organisation is based from the list."];
  const approved = await db
    .selectFrom("signatures")
    .select(["organisation_name", "display_name"])
    .where("statement_id", "=", statementId)
    .where("status", "=", sql.lit("approved"))
    .where("name_key", "=", key)
    .executeTakeFirst();
  if (approved) errors.name = [`This organisation has already signed this statement as “${shownName(approved)}”.`];
  if (Object.keys(errors).length) throw new FieldInputError(errors);
  // Whatever stopped the insert changed back meanwhile (a reopening, a withdrawal).
  return { ok: false, message: "The signature could not be recorded just now. Please send the form again." };
}

const plausibleToken = (token: string) => token.length > 0 && token.length <= 200;

/** What the verification page shows, if the link is still usable. Used, expired and unknown look the same. */
export async function findVerifiable(db: DB, token: string, now = new Date()) {
  if (!plausibleToken(token)) return null;
  const row = await db
    .selectFrom("signatures as g")
    .innerJoin("statements as s", "s.id", "g.statement_id")
    .select(["g.id", "g.organisation_name", "g.status", "g.verify_expires_at", "s.title as statement_title", "s.slug"])
    .where("g.verify_token_hash", "=", hashSecret(token))
    .executeTakeFirst();
  if (!row || row.status !== "unverified" || !row.verify_expires_at || row.verify_expires_at <= now.toISOString()) return null;
  return row;
}

/**
 * Uses a verification link: the sign-on becomes 'pending' (the moderation queue).
 * Returns the statement's slug, or null when the link is no longer usable. The hash
 * is cleared in the same write, so the link works once even if clicked twice at once.
 */
export async function verifySignature(db: DB, token: string, ip: string | null, now = new Date()): Promise<{ slug: string } | null> {
  return atomically(db, async (trx) => {
    const row = await findVerifiable(trx, token, now);
    if (!row) return null;
    const claimed = await trx
      .updateTable("signatures")
      .set({ status: "pending", verified_at: now.toISOString(), verify_token_hash: null, updated_at: now.toISOString() })
      .where("id", "=", row.id)
      .where("status", "=", "unverified")
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) return null;
    await recordAudit(trx, { action: "signature.verified", subjectType: "signature", subjectId: row.id, detail: { slug: row.slug }, ip });
    return { slug: row.slug };
  });
}

/** What the withdraw page shows, if the signature can still be withdrawn. */
export async function findWithdrawable(db: DB, token: string) {
  if (!plausibleToken(token)) return null;
  const row = await db
    .selectFrom("signatures as g")
    .innerJoin("statements as s", "s.id", "g.statement_id")
    .select(["g.id", "g.statement_id", "g.organisation_name", "g.display_name", "g.status", "s.title as statement_title", "s.slug"])
    .where("g.withdraw_token_hash", "=", hashSecret(token))
    .executeTakeFirst();
  if (!row || !(WITHDRAWABLE as readonly string[]).includes(row.status)) return null;
  return row;
}

/**
 * Withdraws a signature at its contact's request, in any status but withdrawn or
 * removed. An approved one leaves the public list, so the statement is touched.
 */
export async function withdrawSignature(db: DB, token: string, ip: string | null, now = new Date()): Promise<{ slug: string; wasApproved: boolean } | null> {
  return atomically(db, async (trx) => {
    const row = await findWithdrawable(trx, token);
    if (!row) return null;
    const done = await trx
      .updateTable("signatures")
      .set({ status: "withdrawn", withdrawn_at: now.toISOString(), verify_token_hash: null, updated_at: now.toISOString() })
      .where("id", "=", row.id)
      .where("status", "in", WITHDRAWABLE)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) return null;
    const wasApproved = row.status === "approved";
    if (wasApproved) await touchStatement(trx, row.statement_id);
    await recordAudit(trx, {
      action: "signature.withdrawn",
      subjectType: "signature",
      subjectId: row.id,
      detail: { slug: row.slug, name: shownName(row), from: row.status },
      ip,
    });
    return { slug: row.slug, wasApproved };
  });
}
