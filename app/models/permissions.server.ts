// Who may do what, in one place (ADR 0012). Two roles: a coordinator runs the whole
// coalition and may do everything; a member works for one organisation and acts for it
// alone: its letters, its messages, the countries it covers. Records of no organisation
// (the platform's own notices) are coordinators' only. Models and routes ask these
// predicates and never compare roles themselves; a refusal is a Forbidden (ADR 0013).
import type { Role } from "../../db/schema";
import type { DB } from "~/platform/db.server";
import { Forbidden } from "~/platform/errors.server";
import type { SessionUser } from "~/platform/session.server";

type Person = Pick<SessionUser, "role" | "organisation_id">;

/** Coordinators may do everything. (Anything with a role: a user, an invitation, a change of role.) */
export function isCoordinator(person: { role: Role }): boolean {
  return person.role === "coordinator";
}

/** Throws Forbidden ("Only coordinators can `what`.") unless `user` is a coordinator. */
export function assertCoordinator(user: Person, what: string): void {
  if (!isCoordinator(user)) throw new Forbidden(`Only coordinators can ${what}.`);
}

/** Coordinators act for any organisation; members only for their own. A record of no organisation: coordinators only. */
export function canActForOrganisation(user: Person, organisationId: number | null): boolean {
  return isCoordinator(user) || (organisationId !== null && user.organisation_id === organisationId);
}

/**
 * The organisation whose rows a list shows `user`, for a query filter: null for a
 * coordinator (every row); a member's own organisation, or -1 (no row) for a member
 * who has none.
 */
export function organisationScope(user: Person): number | null {
  return isCoordinator(user) ? null : (user.organisation_id ?? -1);
}

/** Coordinators change every country's recipients; a member only those its organisation covers. */
export async function canEditCountry(db: DB, user: Person, countryCode: string): Promise<boolean> {
  if (isCoordinator(user)) return true;
  if (user.organisation_id === null) return false;
  const row = await db
    .selectFrom("organisation_countries")
    .select("country_code")
    .where("organisation_id", "=", user.organisation_id)
    .where("country_code", "=", countryCode)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Who sees a country's recipients in full (names, email addresses, salutations) and may
 * export them: coordinators, and the members whose organisation covers the country, that
 * is the states it writes to (ADR 0014). Everyone else signed in sees the roles only.
 */
export async function canSeeRecipientDetails(db: DB, user: Person, countryCode: string): Promise<boolean> {
  return canEditCountry(db, user, countryCode);
}

/** The countries whose recipients `user` sees in full: null for a coordinator (all of them). */
export async function countriesWithRecipientDetails(db: DB, user: Person): Promise<Set<string> | null> {
  if (isCoordinator(user)) return null;
  if (user.organisation_id === null) return new Set();
  const rows = await db.selectFrom("organisation_countries").select("country_code").where("organisation_id", "=", user.organisation_id).execute();
  return new Set(rows.map((r) => r.country_code));
}

/** Coordinators log every state's outreach; a member, the states its organisation covers or writes to for this statement (it has a letter there). */
export async function canLogOutreach(db: DB, user: Person, target: { statementId: number; countryCode: string }): Promise<boolean> {
  if (isCoordinator(user)) return true;
  if (user.organisation_id === null) return false;
  if (await canEditCountry(db, user, target.countryCode)) return true;
  const letter = await db
    .selectFrom("letters")
    .select("id")
    .where("statement_id", "=", target.statementId)
    .where("country_code", "=", target.countryCode)
    .where("organisation_id", "=", user.organisation_id)
    .executeTakeFirst();
  return letter !== undefined;
}

/** A batch of letters is its creator's, while still of its organisation, and the coordinators'. */
export function canSeeLetterBatch(user: Pick<SessionUser, "id" | "role" | "organisation_id">, batch: { created_by: number | null; organisation_id: number }): boolean {
  return isCoordinator(user) || (batch.created_by === user.id && canActForOrganisation(user, batch.organisation_id));
}

/**
 * Coordinators read every Mailbox message (invitations, sign-on confirmations, every
 * letter); a member only what its organisation's letters and tests produced.
 */
export async function canReadMailboxMessage(db: DB, user: Person, id: number): Promise<boolean> {
  if (isCoordinator(user)) return true;
  if (user.organisation_id === null) return false;
  const row = await db.selectFrom("dispatches").select("id").where("organisation_id", "=", user.organisation_id).where("mailbox_id", "=", id).executeTakeFirst();
  return Boolean(row);
}

/**
 * Mail that came back: a reply or automatic answer on a (statement, state) is read by
 * everyone signed in, as the state's page is; anything else (bounces, which name people's
 * addresses, and mail not yet attached or discarded) by coordinators only.
 */
export function canReadInboundMessage(user: Person, message: { kind: string; statement_id: number | null; resolution: string | null }): boolean {
  if (isCoordinator(user)) return true;
  return (message.kind === "reply" || message.kind === "auto-reply" || message.resolution === "attached") && message.statement_id !== null && message.resolution !== "discarded";
}

