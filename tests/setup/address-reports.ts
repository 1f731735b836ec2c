// Reports about one address, for the recipient-status tests (issue 12): tests/setup/inbound-mail.ts's
// delivery status report, about the address given (or about none), as a hard bounce, a soft
// one or a delivery; and a sent message to chosen addresses for them to be about.
import type { StoredAddress } from "../../db/schema";
import type { DB } from "~/platform/db.server";
import { recordInbound } from "~/models/inbound/record.server";
import { tokenOfMessageId } from "~/models/outbox/envelope.server";
import { insertDispatches } from "~/models/outbox/queue.server";
import { bounceFor, noticeDispatch } from "./inbound-mail";

let n = 0;

/** The report, naming `address` as its Final-Recipient, or no address at all (null). */
function about(raw: Buffer, address: string | null): Buffer {
  const text = raw.toString("utf8");
  return Buffer.from(address === null ? text.replace(/^Final-Recipient:.*\r\n/m, "") : text.replace("minister@mfa.example", address));
}

export type ReportKind = "hard" | "soft" | "delivered";

/** The report's bytes: a 5.1.1 refusal, a 4.4.7 temporary failure, or a 2.0.0 delivery. */
export function reportBytes(kind: ReportKind, token: string, address: string | null, messageId = `<report.${++n}.${Date.now()}@relay.example>`): Buffer {
  const raw = bounceFor(token, kind === "hard" ? "5.1.1" : kind === "soft" ? "4.4.7" : "2.0.0", messageId);
  const text = about(raw, address).toString("utf8");
  // A soft bounce is a failure with a temporary status (a 4.x.x "delayed" is only a delay).
  if (kind === "soft") return Buffer.from(text.replace("Action: delayed", "Action: failed"));
  return kind === "delivered" ? Buffer.from(text.replace("Action: failed", "Action: delivered").replace(/Diagnostic-Code:.*\r\n/, "")) : Buffer.from(text);
}

/** A sent message to `to` (and `cc`), as reports would be about. */
export async function sentTo(db: DB, to: string[], cc: string[] = []) {
  const key = `address-reports:${++n}:${Date.now()}`;
  const notice = await noticeDispatch(db, insertDispatches, key);
  const list = (a: string[]): StoredAddress[] => a.map((address) => ({ name: "Ministry", address }));
  await db.updateTable("dispatches").set({ to_json: JSON.stringify(list(to)), cc_json: JSON.stringify(list(cc)) }).where("id", "=", notice.id).execute();
  return { id: notice.id, token: tokenOfMessageId(notice.message_id)! };
}

/** Records a report of `kind` about `address` (null: naming none) for the message `token` names. */
export async function report(db: DB, kind: ReportKind, token: string, address: string | null) {
  const recorded = await recordInbound(db, reportBytes(kind, token, address), { mailbox: "INBOX", uidValidity: null, uid: null });
  if (recorded.duplicate || recorded.dispatchId === null) throw new Error(`the ${kind} report was not matched to its message: ${JSON.stringify(recorded)}`);
  return recorded;
}
