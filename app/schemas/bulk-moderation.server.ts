// The bulk moderation forms: which sign-ons (ticked ids, or "all matching" a filter)
// and what to do with them. One reason covers every rejection of a batch, so it is the
// same bounded single line as a single rejection's.
import { z } from "zod";
import { line } from "./common.server";

/** A batch stays within what one page can list and one request can carry. */
export const BULK_LIMIT = 2000;

const ids = z.preprocess(
  (v) => (v === undefined || v === null || v === "" ? [] : Array.isArray(v) ? v : [v]),
  z.array(z.coerce.number().int().positive(), { error: "Choose sign-ons from the queue." }).max(BULK_LIMIT, `At most ${BULK_LIMIT} sign-ons at once.`),
);
const decision = z.enum(["approve", "reject"], { error: "Choose to approve or reject." });

/** The confirmation page's query: ticked ids or a filter, and the decision. */
export const bulkSelectionSchema = z.object({
  ids: ids.catch([]),
  select: z.enum(["no-duplicates"]).nullable().catch(null).default(null),
  decision: decision.catch("approve"),
});

/** The confirmed batch: the ids the confirmation listed. */
export const bulkDecisionSchema = z.discriminatedUnion("decision", [
  z.object({ decision: z.literal("approve"), ids: ids.pipe(z.array(z.number()).min(1, "Choose sign-ons from the queue.")) }),
  z.object({ decision: z.literal("reject"), ids: ids.pipe(z.array(z.number()).min(1, "Choose sign-ons from the queue.")), reason: line("Reason", 1000) }),
]);
