// A country's recipient list: the people its letters are addressed to (address block,
// salutation) and copied to (the CC list). Addressees come first, then copies, each
// in their own order; positions are kept dense (0, 1, 2, ...) per kind, so "move up"
// is a swap with the neighbour. Coordinators edit every country, a member only the
// countries its organisation covers (organisation_countries). Every change is written
// with its audit entry in one transaction. Every query names the country too: a
// recipient id of another country, typed into a form, is simply not found.
import { sql } from "kysely";
import type { Recipient, RecipientKind } from "../../db/schema";
import { atomically, type DB } from "~/platform/db.server";
import { FieldInputError, Forbidden, NotFound } from "~/platform/errors.server";
import type { SessionUser } from "~/platform/session.server";
import { countryCode } from "~/schemas/common.server";
import type { FallbackChoice, RecipientInput } from "~/schemas/recipient.server";
import { type ChangeContext, recordAudit } from "./audit.server";
import { getCountry, todayUtc } from "./country.server";
import { canEditCountry, canSeeRecipientDetails } from "./permissions.server";
import { type AddressStatus, recipientStatuses, withoutDiagnostic } from "./recipient-address-status.server";

// Routes take their Zod schemas from here: a .server module keeps zod out of the browser.
export { languageName, moveRecipientSchema, organisationIdSchema, recipientEditSchema, recipientIdSchema, recipientSchema, RECIPIENT_KINDS } from "~/schemas/recipient.server";

/** Ministers change: an entry not confirmed for this many calendar months is flagged. */
export const STALE_AFTER_MONTHS = 6;

/**
 * The first day an entry checked on `checkedOn` counts as stale: the same day of the
 * month six calendar months later, or that month's last day when it is shorter
 * (checked 2025-08-31 -> stale from 2026-02-28). Calendar months rather than 182 days,
 * because that is how people say it: "checked in January, due again in July".
 */
export function staleFrom(checkedOn: string): string {
  const [y, m, d] = checkedOn.split("-").map(Number);
  const month = m - 1 + STALE_AFTER_MONTHS;
  const lastDay = new Date(Date.UTC(y, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, month, Math.min(d, lastDay))).toISOString().slice(0, 10);
}

/** Not checked for six calendar months on `today` (the boundary day itself is stale). */
export function isStale(checkedOn: string, today: string): boolean {
  return today >= staleFrom(checkedOn);
}

/** Addressees first, then copies, each by position (then id, should two share one). */
export async function listRecipients(db: DB, countryCode: string): Promise<Recipient[]> {
  return db
    .selectFrom("recipients")
    .selectAll()
    .where("country_code", "=", countryCode)
    .orderBy(sql`case kind when 'addressee' then 0 else 1 end`)
    .orderBy("position")
    .orderBy("id")
    .execute();
}

/**
 * A recipient as someone without access to the country's details sees it: the role, not the
 * person (ADR 0014). `status`: what came back about its address (null: it has none), without
 * the bounce's diagnostic for them, which often quotes the address; `fallback`: whom a letter
 * goes to instead when it bounces.
 */
export type RecipientSeen = Omit<Recipient, "name" | "email" | "salutation"> & {
  name: string | null; email: string | null; salutation: string | null; hidden: boolean;
  status: AddressStatus | null; fallback: { name: string | null; title: string } | null;
};

/** The country's list as `user` may see it: in full, or with names, addresses and salutations left out. */
export async function recipientsSeenBy(db: DB, user: SessionUser, countryCode: string): Promise<{ recipients: RecipientSeen[]; details: boolean }> {
  const [list, details] = await Promise.all([listRecipients(db, countryCode), canSeeRecipientDetails(db, user, countryCode)]);
  const statuses = await recipientStatuses(db, list);
  const recipients = list.map((r): RecipientSeen => {
    const status = statuses.get(r.id) ?? null;
    const f = list.find((x) => x.id === r.fallback_recipient_id);
    const fallback = f ? { name: details ? f.name : null, title: f.title } : null;
    return details
      ? { ...r, hidden: false, status, fallback }
      : { ...r, name: null, email: null, salutation: null, hidden: true, status: status && withoutDiagnostic(status), fallback };
  });
  return { recipients, details };
}

/** Throws Forbidden unless `user` may read (and so export) the country's recipients in full. */
export async function assertSeesRecipientDetails(db: DB, user: SessionUser, countryCode: string): Promise<void> {
  if (!(await canSeeRecipientDetails(db, user, countryCode))) {
    throw new Forbidden("Recipients' names and addresses are shown to coordinators and to the organisations that write to this country.");
  }
}

export async function getRecipient(db: DB, countryCode: string, id: number) {
  return db.selectFrom("recipients").selectAll().where("country_code", "=", countryCode).where("id", "=", id).executeTakeFirst();
}

/** The country named by a URL parameter (NO or no); NotFound otherwise. */
export async function countryOr404(db: DB, codeParam: string | undefined, today = todayUtc()) {
  const code = countryCode.safeParse(codeParam);
  const country = code.success ? await getCountry(db, code.data, today) : undefined;
  if (!country) throw new NotFound("There is no country with that code. Country codes are two letters (ISO 3166-1), like NO for Norway.");
  return country;
}

/** As countryOr404, and Forbidden unless `user` may change the country's recipients. */
export async function editableCountryOr403(db: DB, user: SessionUser, codeParam: string | undefined) {
  const country = await countryOr404(db, codeParam);
  if (!(await canEditCountry(db, user, country.code))) {
    throw new Forbidden(`Only coordinators and members of an organisation that covers ${country.name} can change its recipients.`);
  }
  return country;
}

/** The recipient named by a URL parameter, within the country; NotFound otherwise. */
export async function recipientOr404(db: DB, countryCode: string, idParam: string | number | undefined) {
  const id = Number(idParam);
  const recipient = Number.isSafeInteger(id) && id > 0 ? await getRecipient(db, countryCode, id) : undefined;
  if (!recipient) throw new NotFound("There is no such recipient for this country.");
  return recipient;
}

async function nextPosition(db: DB, countryCode: string, kind: RecipientKind): Promise<number> {
  const row = await db
    .selectFrom("recipients")
    .select((eb) => eb.fn.max("position").as("max"))
    .where("country_code", "=", countryCode)
    .where("kind", "=", kind)
    .executeTakeFirst();
  return row?.max === null || row?.max === undefined ? 0 : Number(row.max) + 1;
}

const FIELDS = ["name", "title", "institution", "email", "salutation", "language", "kind", "checked_on"] as const;
const pick = (input: RecipientInput) => Object.fromEntries(FIELDS.map((f) => [f, input[f]])) as Pick<Recipient, (typeof FIELDS)[number]>;

/** Adds a recipient at the end of its kind (addressees or copies). Returns the new id. */
export async function addRecipient(db: DB, ctx: ChangeContext, countryCode: string, input: RecipientInput): Promise<number> {
  return atomically(db, async (trx) => {
    const position = await nextPosition(trx, countryCode, input.kind);
    const { id } = await trx
      .insertInto("recipients")
      .values({ ...pick(input), country_code: countryCode, position })
      .returning("id")
      .executeTakeFirstOrThrow();
    await audit(trx, ctx, "recipient.added", id, { country: countryCode, name: input.name, title: input.title, kind: input.kind });
    return id;
  });
}

/** The recipients `id` may name as its fallback: the country's others, for the edit form's select. */
export async function fallbackChoices(db: DB, countryCode: string, id: number): Promise<(FallbackChoice & { title: string })[]> {
  return (await listRecipients(db, countryCode)).filter((r) => r.id !== id).map((r) => ({ id: r.id, name: r.name, title: r.title, email: r.email }));
}

/**
 * Saves the form's values; returns the fields that changed (none: nothing written). A new
 * kind puts the entry at the end of that kind. `fallback_recipient_id` absent (the add form,
 * an import) leaves the fallback as it was. A change of fallback alone leaves updated_at as
 * it was: letters' fingerprints hash the rows, and no letter says who the fallback is.
 */
export async function updateRecipient(db: DB, ctx: ChangeContext, countryCode: string, id: number, input: RecipientInput & { fallback_recipient_id?: number | null }): Promise<string[]> {
  return atomically(db, async (trx) => {
    const before = await recipientOr404(trx, countryCode, id);
    const fallback = input.fallback_recipient_id;
    const changed: string[] = FIELDS.filter((f) => before[f] !== input[f]);
    if (fallback !== undefined && fallback !== before.fallback_recipient_id) {
      // The form checked the list it showed; the list may have changed since.
      if (fallback === id || (fallback !== null && !(await getRecipient(trx, countryCode, fallback)))) {
        throw new FieldInputError({ fallback_recipient_id: ["A fallback must be another recipient of the same country. Choose one from the list, or no fallback."] });
      }
      changed.push("fallback_recipient_id");
    }
    if (changed.length === 0) return changed;
    const position = input.kind === before.kind ? before.position : await nextPosition(trx, countryCode, input.kind);
    const inLetters = changed.some((f) => f !== "fallback_recipient_id");
    await trx
      .updateTable("recipients")
      .set({ ...pick(input), position, ...(fallback !== undefined ? { fallback_recipient_id: fallback } : {}), ...(inLetters ? { updated_at: new Date().toISOString() } : {}) })
      .where("id", "=", id)
      .execute();
    if (input.kind !== before.kind) await renumber(trx, countryCode, before.kind);
    await audit(trx, ctx, "recipient.updated", id, { country: countryCode, name: input.name, changed });
    return changed;
  });
}

/** Removes a recipient and closes the gap in its kind's order. */
export async function removeRecipient(db: DB, ctx: ChangeContext, countryCode: string, id: number): Promise<void> {
  await atomically(db, async (trx) => {
    const recipient = await recipientOr404(trx, countryCode, id);
    await trx.deleteFrom("recipients").where("id", "=", id).execute();
    await renumber(trx, countryCode, recipient.kind);
    await audit(trx, ctx, "recipient.removed", id, { country: countryCode, name: recipient.name, title: recipient.title, kind: recipient.kind });
  });
}

/** Swaps a recipient with its neighbour of the same kind. The first up (or the last down) changes nothing. */
export async function moveRecipient(db: DB, ctx: ChangeContext, countryCode: string, id: number, direction: "up" | "down"): Promise<boolean> {
  return atomically(db, async (trx) => {
    const recipient = await recipientOr404(trx, countryCode, id);
    const list = await ofKind(trx, countryCode, recipient.kind);
    const from = list.findIndex((r) => r.id === id);
    const to = direction === "up" ? from - 1 : from + 1;
    if (to < 0 || to >= list.length) return false;
    [list[from], list[to]] = [list[to], list[from]];
    await writeOrder(trx, list);
    await audit(trx, ctx, "recipient.moved", id, { country: countryCode, name: recipient.name, direction, position: to });
    return true;
  });
}

/** Records that the entries were confirmed on `today` (all of the country's when `ids` is "all"). Returns how many changed. */
export async function markRecipientsChecked(db: DB, ctx: ChangeContext, countryCode: string, ids: number[] | "all", today: string): Promise<number> {
  return atomically(db, async (trx) => {
    if (ids !== "all") for (const id of ids) await recipientOr404(trx, countryCode, id);
    let query = trx.selectFrom("recipients").select(["id", "name", "checked_on"]).where("country_code", "=", countryCode).where("checked_on", "!=", today);
    if (ids !== "all") query = query.where("id", "in", ids.length ? ids : [0]);
    const due = await query.execute();
    for (const r of due) {
      await trx.updateTable("recipients").set({ checked_on: today, updated_at: new Date().toISOString() }).where("id", "=", r.id).execute();
      await audit(trx, ctx, "recipient.checked", r.id, { country: countryCode, name: r.name, previously: r.checked_on, checkedOn: today });
    }
    return due.length;
  });
}

function ofKind(db: DB, countryCode: string, kind: RecipientKind) {
  return db.selectFrom("recipients").select(["id", "position"]).where("country_code", "=", countryCode).where("kind", "=", kind).orderBy("position").orderBy("id").execute();
}

/** Makes a kind's positions dense again (0, 1, 2, ...) after a removal or a change of kind. */
export async function renumber(db: DB, countryCode: string, kind: RecipientKind): Promise<void> {
  await writeOrder(db, await ofKind(db, countryCode, kind));
}

// Rewrites only the rows whose position differs: lists are a handful of people long.
async function writeOrder(db: DB, ordered: { id: number; position: number }[]): Promise<void> {
  for (const [position, r] of ordered.entries()) {
    if (r.position !== position) await db.updateTable("recipients").set({ position }).where("id", "=", r.id).execute();
  }
}

function audit(db: DB, ctx: ChangeContext, action: string, recipientId: number, detail: Record<string, unknown>) {
  return recordAudit(db, { actor: ctx.actor, ip: ctx.ip, action, subjectType: "recipient", subjectId: recipientId, detail });
}
