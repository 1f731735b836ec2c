// Putting a recipient's fallback in its place in one letter (issue 12), and putting the
// recipient back. Offered when the recipient's address bounces; the letter is then built
// again (a new fingerprint: an approval lapses, the PDF is made again), so what is read,
// printed and sent still match. The country's list is not changed: other letters, and
// this recipient's entry, are the list's business (its edit page).
import type { Letter } from "../../db/schema";
import { atomically, type DB } from "~/platform/db.server";
import { Refused } from "~/platform/errors.server";
import type { SessionUser } from "~/platform/session.server";
import type { ChangeContext } from "./audit.server";
import { letterInput, requireLetter, updateLetter } from "./letter.server";
import { applySwaps, fallbackUnusable, swapsOf } from "./letter-recipients.server";
import { listRecipients } from "./recipient.server";

/** Puts the fallback of `recipientId` in its place in the letter. Refused when it names none, or one that cannot stand in. */
export async function useFallback(db: DB, user: SessionUser, ctx: ChangeContext, letterId: number, recipientId: number): Promise<void> {
  await atomically(db, async (trx) => {
    const letter = await requireLetter(trx, user, letterId);
    const list = await listRecipients(trx, letter.country_code);
    const swaps = swapsOf(letter);
    const replaced = applySwaps(list, swaps).find((r) => r.id === recipientId);
    if (!replaced) throw new Refused("That recipient is no longer in this letter: the page was out of date. Look at it again.");
    const fallback = list.find((r) => r.id === replaced.fallback_recipient_id && r.id !== replaced.id);
    if (!fallback) throw new Refused(`${replaced.name} names no fallback. Name one (such as the embassy) on their entry in ${letter.country_name}'s recipient list.`);
    const unusable = fallbackUnusable(replaced, fallback);
    if (unusable) throw new Refused(unusable);
    const detail = { replaced: { id: replaced.id, name: replaced.name }, by: { id: fallback.id, name: fallback.name } };
    await updateLetter(trx, user, ctx, letter.id, { ...letterInput(letter), swaps: [...swaps, { replaced: replaced.id, by: fallback.id }] }, "letter.fallback_used", detail);
  });
}

/** Undoes the swap that put someone in `recipientId`'s place in the letter. */
export async function restoreRecipient(db: DB, user: SessionUser, ctx: ChangeContext, letterId: number, recipientId: number): Promise<void> {
  await atomically(db, async (trx) => {
    const letter = await requireLetter(trx, user, letterId);
    const swaps = swapsOf(letter);
    if (!swaps.some((s) => s.replaced === recipientId)) throw new Refused("Nobody takes that recipient's place in this letter: the page was out of date. Look at it again.");
    await updateLetter(trx, user, ctx, letter.id, { ...letterInput(letter), swaps: swaps.filter((s) => s.replaced !== recipientId) }, "letter.fallback_undone", { restored: recipientId });
  });
}

/** The swaps that hold in the letter now ("X in Y's place"), for the page to show with a way back. */
export async function swapsInLetter(db: DB, letter: Pick<Letter, "country_code" | "recipient_swaps">) {
  const list = await listRecipients(db, letter.country_code);
  const person = (id: number) => list.find((r) => r.id === id);
  return swapsOf(letter).flatMap((s) => {
    const replaced = person(s.replaced);
    const by = person(s.by);
    return replaced && by ? [{ replaced: { id: replaced.id, name: replaced.name, title: replaced.title }, by: { id: by.id, name: by.name, title: by.title } }] : [];
  });
}
