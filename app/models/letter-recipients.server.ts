// Whom one letter is written to: its country's recipient list as it stands, with the
// fallbacks the sender put in place of bouncing recipients in this letter alone
// (letters.recipient_swaps). Everything that reads a letter's recipients reads them here
// (building and fingerprinting it, its PDF, its message), so the printed letter, the PDF
// and the email always name the same people.
// A fallback takes the place of the one it replaces: its slot in the order and its kind
// (an embassy in place of the Foreign Minister becomes the addressee), and it is not listed
// a second time where it stood. A swap whose recipient or fallback has left the list lapses.
import type { Letter, Recipient, RecipientSwap } from "../../db/schema";
import type { DB } from "~/platform/db.server";
import { listRecipients } from "./recipient.server";
import { type AddressStatus, recipientStatuses } from "./recipient-address-status.server";

export type { RecipientSwap } from "../../db/schema";

/** The letter's swaps, in the order they were made. */
export function swapsOf(letter: Pick<Letter, "recipient_swaps">): RecipientSwap[] {
  const parsed = JSON.parse(letter.recipient_swaps || "[]") as RecipientSwap[];
  return Array.isArray(parsed) ? parsed.filter((s) => Number.isInteger(s?.replaced) && Number.isInteger(s?.by)) : [];
}

/** `list` (the country's, in order) with each swap applied in turn. */
export function applySwaps(list: Recipient[], swaps: RecipientSwap[]): Recipient[] {
  let out = [...list];
  for (const swap of swaps) {
    const at = out.findIndex((r) => r.id === swap.replaced);
    const fallback = list.find((r) => r.id === swap.by);
    if (at < 0 || !fallback || swap.by === swap.replaced) continue;
    const slot = out[at];
    out = out.map((r, i) => (i === at ? { ...fallback, kind: slot.kind, position: slot.position } : r)).filter((r, i) => i === at || r.id !== fallback.id);
  }
  return out;
}

/** The people `letter` goes to now: its country's list with its swaps applied. */
export async function letterRecipients(db: DB, letter: Pick<Letter, "country_code" | "recipient_swaps">): Promise<Recipient[]> {
  return applySwaps(await listRecipients(db, letter.country_code), swapsOf(letter));
}

/** A recipient as the letter context takes it. */
export const asLetterRecipient = (r: Recipient) => ({ kind: r.kind, name: r.name, title: r.title, institution: r.institution, email: r.email, salutation: r.salutation });

/** A recipient of a letter whose address is bouncing, and what could take its place. */
export interface BouncingRecipient {
  recipientId: number;
  name: string;
  title: string;
  address: string;
  status: Extract<AddressStatus, { state: "bouncing" }>;
  /** The fallback the recipient names, or null when it names none. */
  fallback: {
    id: number;
    name: string;
    title: string;
    email: string | null;
    status: AddressStatus | null;
    /** Why it cannot take the place in this letter, or null when it can. */
    unusable: string | null;
  } | null;
}

/** Why `fallback` cannot take `replaced`'s place in a letter, or null when it can. */
export function fallbackUnusable(replaced: Pick<Recipient, "kind" | "name">, fallback: Pick<Recipient, "name" | "email" | "salutation">): string | null {
  if (!fallback.email?.trim()) return `${fallback.name} has no email address on the list either.`;
  // The first addressee's salutation opens the letter: a fallback addressed in its place needs one.
  if (replaced.kind === "addressee" && !fallback.salutation?.trim()) return `${fallback.name} has no salutation, which the letter needs to be addressed to them in ${replaced.name}'s place. Add one (such as “Excellency,”) on their entry.`;
  return null;
}

/** The letter's recipients whose address is bouncing, in the letter's order, each with its fallback. */
export async function bouncingIn(db: DB, letter: Pick<Letter, "country_code" | "recipient_swaps">, recipients?: Recipient[]): Promise<BouncingRecipient[]> {
  const list = await listRecipients(db, letter.country_code);
  const inLetter = recipients ?? applySwaps(list, swapsOf(letter));
  const fallbacks = inLetter.flatMap((r) => list.filter((f) => f.id === r.fallback_recipient_id && f.id !== r.id));
  const statuses = await recipientStatuses(db, [...inLetter, ...fallbacks]);
  return inLetter.flatMap((r) => {
    const status = statuses.get(r.id);
    if (status?.state !== "bouncing") return [];
    const f = fallbacks.find((x) => x.id === r.fallback_recipient_id);
    return [{
      recipientId: r.id, name: r.name, title: r.title, address: r.email!.trim(), status,
      fallback: f ? { id: f.id, name: f.name, title: f.title, email: f.email, status: statuses.get(f.id) ?? null, unusable: fallbackUnusable(r, f) } : null,
    }];
  });
}
