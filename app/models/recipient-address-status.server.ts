// What the mail that came back says about each recipient's address (issue 12). Nobody
// types it: it is read from the bounces and delivery reports stored by
// app/models/inbound/record.server.ts, every time it is asked for, so it can never drift
// from the evidence. The rules, in order of time, per address (compared case-insensitively):
// - a delivery report, or a message to the address marked delivered, clears what came before
//   (the address was fixed, or the relay got through after all): "delivered";
// - after the last delivery, a hard bounce (5.x.x), or SOFT_BOUNCES_TO_BOUNCING soft ones
//   (4.x.x), make it "bouncing"; fewer soft ones, "soft-bouncing";
// - nothing at all: "ok".
// A report names its address (Final-Recipient, or the address a mailer daemon's prose
// quotes). One that names none counts for every To and Cc address of the message it is
// about: the warning it raises may be one too many, which a person can judge; a letter
// sent on to a dead address cannot be called back. Delayed reports say nothing either way.
import type { StoredAddress } from "../../db/schema";
import { type AddressStatus, SOFT_BOUNCES_TO_BOUNCING } from "~/lib/address-status";
import type { DB } from "~/platform/db.server";

export type { AddressStatus } from "~/lib/address-status";

/** How addresses are compared: trimmed, in lower case (mail systems treat them so, whatever RFC 5321 allows). */
export const addressKey = (address: string) => address.trim().toLowerCase();

interface Evidence {
  at: string;
  /** Ties on the same instant keep the order the reports were stored in. */
  seq: number;
  kind: "delivered" | "hard" | "soft";
  diagnostic: string | null;
}

// Bound parameters per query stay well under SQLite's oldest limit (999).
const CHUNK = 400;

const addressesOf = (to: string | null, cc: string | null): string[] =>
  [to, cc].flatMap((json) => (json ? (JSON.parse(json) as StoredAddress[]).map((a) => a.address) : []));

/** The status of each of `addresses`, keyed by addressKey; an address nothing came back about is "ok". */
export async function addressStatuses(db: DB, addresses: string[]): Promise<Map<string, AddressStatus>> {
  const wanted = [...new Set(addresses.map(addressKey).filter(Boolean))];
  const evidence = new Map<string, Evidence[]>(wanted.map((a) => [a, []]));
  const note = (address: string, e: Evidence) => evidence.get(addressKey(address))?.push(e);
  if (wanted.length === 0) return new Map();

  const reports = db
    .selectFrom("inbound_messages as i")
    .leftJoin("dispatches as d", "d.id", "i.dispatch_id")
    .select(["i.id", "i.kind", "i.severity", "i.status_code", "i.diagnostic", "i.recipient", "i.received_at", "d.to_json", "d.cc_json"])
    .where("i.kind", "in", ["bounce", "delivered"]);
  const chunks = Array.from({ length: Math.ceil(wanted.length / CHUNK) }, (_, i) => wanted.slice(i * CHUNK, (i + 1) * CHUNK));
  const [named, unnamed, delivered] = await Promise.all([
    Promise.all(chunks.map((chunk) => reports.where((eb) => eb(eb.fn("lower", ["i.recipient"]), "in", chunk)).execute())).then((r) => r.flat()),
    reports.where("i.recipient", "is", null).where("i.dispatch_id", "is not", null).execute(),
    // A message marked delivered with no delivery report stored for it (the reports
    // themselves are read above, address by address).
    db.selectFrom("dispatches as d")
      .select(["d.id", "d.to_json", "d.cc_json", "d.delivery_at", "d.updated_at"])
      .where("d.delivery", "=", "delivered")
      .where((eb) => eb.not(eb.exists(eb.selectFrom("inbound_messages as i").select("i.id").whereRef("i.dispatch_id", "=", "d.id").where("i.kind", "=", "delivered"))))
      .execute(),
  ]);
  for (const r of [...named, ...unnamed]) {
    const e: Evidence = {
      at: r.received_at,
      seq: r.id,
      kind: r.kind === "delivered" ? "delivered" : r.severity === "soft" ? "soft" : "hard",
      diagnostic: [r.status_code, r.diagnostic].filter(Boolean).join(" ") || null,
    };
    for (const address of r.recipient ? [r.recipient] : addressesOf(r.to_json, r.cc_json)) note(address, e);
  }
  for (const d of delivered) {
    for (const address of addressesOf(d.to_json, d.cc_json)) note(address, { at: d.delivery_at ?? d.updated_at, seq: 0, kind: "delivered", diagnostic: null });
  }
  return new Map([...evidence].map(([address, list]) => [address, statusOf(list)]));
}

/** The rules above, over one address's evidence. */
function statusOf(evidence: Evidence[]): AddressStatus {
  const inOrder = [...evidence].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.seq - b.seq));
  let deliveredAt: string | null = null;
  let since: Evidence[] = [];
  for (const e of inOrder) {
    if (e.kind === "delivered") {
      deliveredAt = e.at;
      since = [];
    } else since.push(e);
  }
  if (since.length === 0) return deliveredAt ? { state: "delivered", at: deliveredAt } : { state: "ok" };
  const soft = since.filter((e) => e.kind === "soft");
  const lastHard = since.filter((e) => e.kind === "hard").pop();
  if (lastHard) return { state: "bouncing", hard: true, count: soft.length, at: lastHard.at, diagnostic: lastHard.diagnostic };
  const last = soft[soft.length - 1];
  if (soft.length >= SOFT_BOUNCES_TO_BOUNCING) return { state: "bouncing", hard: false, count: soft.length, at: last.at, diagnostic: last.diagnostic };
  return { state: "soft-bouncing", count: soft.length, at: last.at, diagnostic: last.diagnostic };
}

/** Each recipient's status by id; recipients without an email address have none. */
export async function recipientStatuses(db: DB, recipients: { id: number; email: string | null }[]): Promise<Map<number, AddressStatus>> {
  const withEmail = recipients.filter((r): r is { id: number; email: string } => Boolean(r.email?.trim()));
  const byAddress = await addressStatuses(db, withEmail.map((r) => r.email));
  return new Map(withEmail.map((r) => [r.id, byAddress.get(addressKey(r.email)) ?? { state: "ok" }]));
}

/** A status as someone who may not see the country's addresses sees it (ADR 0014): a diagnostic often quotes the address. */
export function withoutDiagnostic(status: AddressStatus): AddressStatus {
  return status.state === "soft-bouncing" || status.state === "bouncing" ? { ...status, diagnostic: null } : status;
}
