// Organisations: the NGOs of a coalition, with what a letterhead needs. Every change
// is written together with its audit entry in one transaction, so the log never
// claims a change that was rolled back, nor misses one that was kept.
import { sql } from "kysely";
import type { Organisation } from "../../db/schema";
import { atomically, type DB } from "~/platform/db.server";
import { FieldInputError, Forbidden, NotFound, Refused } from "~/platform/errors.server";
import type { SessionUser } from "~/platform/session.server";
import type { OrganisationInput, SignerInput } from "~/schemas/organisation.server";
import { recordAudit, type ChangeContext } from "./audit.server";
import { canActForOrganisation } from "./permissions.server";
import { addSigner } from "./signer.server";

// Routes take their Zod schemas from here rather than from ~/schemas directly: a
// .server module is left out of the browser bundle, and zod with it (STACK-NOTES).
export { moveSchema, newOrganisationSchema, organisationFilterSchema, organisationSchema, signerIdSchema, signerSchema } from "~/schemas/organisation.server";

/** A refusal to delete, with a message for the person who asked: others still depend on it (409). */
export class OrganisationInUseError extends Refused {
  name = "OrganisationInUseError";
  readonly status = 409;
}

const FIELDS = ["name", "acronym", "country_code", "website", "contact_email", "postal_address", "city"] as const;

export async function listOrganisations(db: DB, { q = "", country = "" }: { q?: string; country?: string } = {}) {
  let query = db
    .selectFrom("organisations")
    .leftJoin("countries", "countries.code", "organisations.country_code")
    .select(["organisations.id", "organisations.name", "organisations.acronym", "organisations.country_code", "organisations.city", "countries.name as country_name"])
    .select((eb) => eb.selectFrom("signers").whereRef("signers.organisation_id", "=", "organisations.id").select(eb.fn.countAll<number>().as("n")).as("signer_count"))
    // nocase: "StoptheDrugWar.org" sorts among the S's, not after every capital.
    .orderBy(sql`organisations.name collate nocase`);
  if (q) {
    // LIKE wildcards typed by the user are matched literally.
    const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where(sql<boolean>`(organisations.name like ${pattern} escape '\\' or organisations.acronym like ${pattern} escape '\\')`);
  }
  if (country) query = query.where("organisations.country_code", "=", country);
  return query.execute();
}

export async function getOrganisation(db: DB, id: number) {
  return db
    .selectFrom("organisations")
    .leftJoin("countries", "countries.code", "organisations.country_code")
    .selectAll("organisations")
    .select("countries.name as country_name")
    .where("organisations.id", "=", id)
    .executeTakeFirst();
}

const noSuchOrganisation = () => new NotFound("There is no such organisation.");

/** The organisation named by a URL parameter; NotFound otherwise. */
export async function organisationOr404(db: DB, idParam: string | undefined) {
  const id = Number(idParam);
  const org = Number.isSafeInteger(id) && id > 0 ? await getOrganisation(db, id) : undefined;
  if (!org) throw noSuchOrganisation();
  return org;
}

/** As organisationOr404, and Forbidden unless `user` may change it (coordinators: any; members: their own). */
export async function editableOrganisation(db: DB, user: SessionUser, idParam: string | undefined) {
  const org = await organisationOr404(db, idParam);
  if (!canActForOrganisation(user, org.id)) throw new Forbidden("Members can change only their own organisation.");
  return org;
}

/** Countries for the select, and for the list's filter. */
export async function countryOptions(db: DB) {
  return db.selectFrom("countries").select(["code", "name"]).orderBy("name").execute();
}

async function assertCountryExists(db: DB, code: string | null): Promise<void> {
  if (code === null) return;
  const found = await db.selectFrom("countries").select("code").where("code", "=", code).executeTakeFirst();
  if (!found) throw new FieldInputError({ country_code: [`There is no country with the code ${code}. Choose one from the list.`] });
}

/** Creates an organisation, and its first signer if given, all or nothing. Returns the new id. */
export async function createOrganisation(db: DB, ctx: ChangeContext, input: OrganisationInput, firstSigner: SignerInput | null = null): Promise<number> {
  return atomically(db, async (trx) => {
    await assertCountryExists(trx, input.country_code);
    const { id } = await trx.insertInto("organisations").values(pick(input)).returning("id").executeTakeFirstOrThrow();
    await recordAudit(trx, { actor: ctx.actor, ip: ctx.ip, action: "organisation.created", subjectType: "organisation", subjectId: id, detail: { name: input.name } });
    if (firstSigner) await addSigner(trx, ctx, id, firstSigner);
    return id;
  });
}

/** Saves the form's values; returns the names of the fields that changed (none: nothing written). */
export async function updateOrganisation(db: DB, ctx: ChangeContext, id: number, input: OrganisationInput): Promise<string[]> {
  return atomically(db, async (trx) => {
    const before = await trx.selectFrom("organisations").selectAll().where("id", "=", id).executeTakeFirst();
    if (!before) throw noSuchOrganisation();
    const changed = FIELDS.filter((f) => before[f] !== input[f]);
    if (changed.length === 0) return changed;
    if (changed.includes("country_code")) await assertCountryExists(trx, input.country_code);
    await trx
      .updateTable("organisations")
      .set({ ...pick(input), updated_at: new Date().toISOString() })
      .where("id", "=", id)
      .execute();
    await recordAudit(trx, { actor: ctx.actor, ip: ctx.ip, action: "organisation.updated", subjectType: "organisation", subjectId: id, detail: { changed } });
    return changed;
  });
}

/** People whose account belongs to the organisation: while there are any, it stays. */
export async function countMembers(db: DB, id: number): Promise<number> {
  const row = await db.selectFrom("users").select((eb) => eb.fn.countAll<number>().as("n")).where("organisation_id", "=", id).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Deletes an organisation and its signers; refused while users belong to it. */
export async function deleteOrganisation(db: DB, ctx: ChangeContext, id: number): Promise<void> {
  try {
    await atomically(db, async (trx) => {
      const org = await trx.selectFrom("organisations").select(["id", "name"]).where("id", "=", id).executeTakeFirst();
      if (!org) throw noSuchOrganisation();
      const members = await countMembers(trx, id);
      if (members > 0) {
        throw new OrganisationInUseError(
          `${org.name} cannot be deleted: ${members} ${members === 1 ? "person's account belongs" : "people's accounts belong"} to it. Move or remove those accounts first.`,
        );
      }
      await trx.deleteFrom("organisations").where("id", "=", id).execute();
      await recordAudit(trx, { actor: ctx.actor, ip: ctx.ip, action: "organisation.deleted", subjectType: "organisation", subjectId: id, detail: { name: org.name } });
    });
  } catch (error) {
    // Tables added later (signatures, letters) may point here without cascading;
    // the database then refuses, and the person deserves a sentence, not a 500.
    if (error instanceof Error && /FOREIGN KEY constraint failed/i.test(error.message)) {
      throw new OrganisationInUseError("This organisation cannot be deleted: other records (such as signatures) still refer to it.");
    }
    throw error;
  }
}

function pick(input: OrganisationInput): Pick<Organisation, (typeof FIELDS)[number]> {
  return Object.fromEntries(FIELDS.map((f) => [f, input[f]])) as Pick<Organisation, (typeof FIELDS)[number]>;
}
