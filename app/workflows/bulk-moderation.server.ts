// Deciding on many sign-ons at once (issue #11: "approving 450 sign-ons takes 450
// clicks"). Two steps, like every irreversible action here: `bulkSelection` reads what
// would be decided and writes nothing (the confirmation page), `decideMany` decides.
// Each sign-on is decided in a transaction of its own through decideSignature, so it
// gets its audit entry, its directory link and its email exactly as a single click
// would, and one refusal (an approved twin, a sign-on withdrawn meanwhile) leaves the
// others decided; the outcome says which failed and why.
import type { ChangeContext } from "~/models/audit.server";
import { moderationQueue } from "~/models/signature-moderation.server";
import type { DB } from "~/platform/db.server";
import { decideSignature } from "./sign-on.server";

/** Filters a coordinator can select "all matching" by. */
export const BULK_FILTERS = {
  "no-duplicates": "with no possible duplicate",
} as const;
export type BulkFilter = keyof typeof BULK_FILTERS;

type QueueItem = Awaited<ReturnType<typeof moderationQueue>>[number];

/** Whether a queued sign-on has nothing that might make it someone already known. */
export function hasNoPossibleDuplicate(item: Pick<QueueItem, "duplicates" | "directory">): boolean {
  return item.duplicates.length === 0 && item.directory.similar.length === 0;
}

export interface BulkItem {
  id: number;
  name: string;
  country: string | null;
  link: QueueItem["directory"]["link"];
}

/**
 * The queued sign-ons a bulk decision would cover: those of `ids`, or every one
 * matching `filter`, in queue order. Ids no longer in the queue are left out. Reads only.
 */
export async function bulkSelection(db: DB, statementId: number, selection: { ids: number[]; filter: BulkFilter | null }): Promise<{ items: BulkItem[]; missing: number }> {
  const queue = await moderationQueue(db, statementId);
  const wanted = new Set(selection.ids);
  const chosen = selection.filter === "no-duplicates" ? queue.filter(hasNoPossibleDuplicate) : queue.filter((g) => wanted.has(g.id));
  const items = chosen.map((g) => ({ id: g.id, name: g.display_name ?? g.organisation_name, country: g.country_code, link: g.directory.link }));
  return { items, missing: selection.filter ? 0 : wanted.size - items.length };
}

export interface BulkOutcome {
  decided: { id: number; name: string; mailProblem: string | null }[];
  failed: { id: number; name: string; message: string }[];
}

/** Approves or rejects each of `ids` (one reason for all rejections), each on its own. */
export async function decideMany(db: DB, ctx: ChangeContext, statementId: number, ids: number[], decision: { approve: true } | { approve: false; reason: string }): Promise<BulkOutcome> {
  const names = new Map(
    (await db.selectFrom("signatures").select(["id", "organisation_name", "display_name"]).where("statement_id", "=", statementId).where("id", "in", ids.length ? ids : [0]).execute())
      .map((r) => [r.id, r.display_name ?? r.organisation_name]),
  );
  const outcome: BulkOutcome = { decided: [], failed: [] };
  for (const id of new Set(ids)) {
    const name = names.get(id) ?? `Signature ${id}`;
    const result = await decideSignature(db, ctx, statementId, id, decision);
    if (result.ok) outcome.decided.push({ id, name, mailProblem: result.mailProblem });
    else outcome.failed.push({ id, name, message: result.message });
  }
  return outcome;
}
