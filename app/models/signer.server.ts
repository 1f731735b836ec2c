// The people who sign letters for an organisation, in the order their names appear
// under a letter. Positions are kept dense (0, 1, 2, ...) so "move up" is a swap with
// the neighbour and the order survives any number of removals.
// Every signer query names the organisation too: a signer id from another
// organisation, typed into a form, is simply not found.
import { atomically, type DB } from "~/platform/db.server";
import type { SignerInput } from "~/schemas/organisation.server";
import { NotFound } from "~/platform/errors.server";
import { type ChangeContext, recordAudit } from "./audit.server";

const notFound = () => new NotFound("There is no such signer for this organisation.");

export async function listSigners(db: DB, organisationId: number) {
  return db.selectFrom("signers").selectAll().where("organisation_id", "=", organisationId).orderBy("position").orderBy("id").execute();
}

export async function getSigner(db: DB, organisationId: number, signerId: number) {
  return db.selectFrom("signers").selectAll().where("organisation_id", "=", organisationId).where("id", "=", signerId).executeTakeFirst();
}

/** The signer named by a URL parameter, within the organisation; NotFound otherwise. */
export async function signerOr404(db: DB, organisationId: number, idParam: string | undefined) {
  const id = Number(idParam);
  const signer = Number.isSafeInteger(id) && id > 0 ? await getSigner(db, organisationId, id) : undefined;
  if (!signer) throw notFound();
  return signer;
}

/** Adds a signer at the end of the list. Returns the new id. */
export async function addSigner(db: DB, ctx: ChangeContext, organisationId: number, input: SignerInput): Promise<number> {
  return atomically(db, async (trx) => {
    const last = await trx
      .selectFrom("signers")
      .select((eb) => eb.fn.max("position").as("max"))
      .where("organisation_id", "=", organisationId)
      .executeTakeFirst();
    const position = last?.max === null || last?.max === undefined ? 0 : Number(last.max) + 1;
    const { id } = await trx
      .insertInto("signers")
      .values({ organisation_id: organisationId, name: input.name, title: input.title, position })
      .returning("id")
      .executeTakeFirstOrThrow();
    await audit(trx, ctx, "signer.added", id, { organisationId, name: input.name, title: input.title });
    return id;
  });
}

/** Saves a signer's name and title; returns the fields that changed (none: nothing written). */
export async function updateSigner(db: DB, ctx: ChangeContext, organisationId: number, signerId: number, input: SignerInput): Promise<string[]> {
  return atomically(db, async (trx) => {
    const before = await getSigner(trx, organisationId, signerId);
    if (!before) throw notFound();
    const changed = (["name", "title"] as const).filter((f) => before[f] !== input[f]);
    if (changed.length === 0) return changed;
    await trx.updateTable("signers").set({ name: input.name, title: input.title }).where("id", "=", signerId).execute();
    await audit(trx, ctx, "signer.updated", signerId, { organisationId, changed });
    return changed;
  });
}

/** Removes a signer and closes the gap in the order. */
export async function removeSigner(db: DB, ctx: ChangeContext, organisationId: number, signerId: number): Promise<void> {
  await atomically(db, async (trx) => {
    const signer = await getSigner(trx, organisationId, signerId);
    if (!signer) throw notFound();
    await trx.deleteFrom("signers").where("id", "=", signerId).execute();
    await renumber(trx, organisationId);
    await audit(trx, ctx, "signer.removed", signerId, { organisationId, name: signer.name, title: signer.title });
  });
}

/** Swaps a signer with its neighbour. Moving the first up (or the last down) changes nothing. */
export async function moveSigner(db: DB, ctx: ChangeContext, organisationId: number, signerId: number, direction: "up" | "down"): Promise<boolean> {
  return atomically(db, async (trx) => {
    const signers = await listSigners(trx, organisationId);
    const from = signers.findIndex((s) => s.id === signerId);
    if (from === -1) throw notFound();
    const to = direction === "up" ? from - 1 : from + 1;
    if (to < 0 || to >= signers.length) return false;
    [signers[from], signers[to]] = [signers[to], signers[from]];
    await writeOrder(trx, signers);
    await audit(trx, ctx, "signer.updated", signerId, { organisationId, changed: ["position"], moved: direction, position: to });
    return true;
  });
}

async function renumber(db: DB, organisationId: number): Promise<void> {
  await writeOrder(db, await listSigners(db, organisationId));
}

// Rewrites only the rows whose position differs: lists are a handful of people long.
async function writeOrder(db: DB, ordered: { id: number; position: number }[]): Promise<void> {
  for (const [position, s] of ordered.entries()) {
    if (s.position !== position) await db.updateTable("signers").set({ position }).where("id", "=", s.id).execute();
  }
}

function audit(db: DB, ctx: ChangeContext, action: string, signerId: number, detail: Record<string, unknown>) {
  return recordAudit(db, { actor: ctx.actor, ip: ctx.ip, action, subjectType: "signer", subjectId: signerId, detail });
}
