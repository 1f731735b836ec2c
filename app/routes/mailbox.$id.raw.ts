import type { LoaderFunctionArgs } from "@remix-run/node";
import { findMailboxRaw } from "~/models/outbox/mailbox.server";
import { getDb } from "~/platform/db.server";
import { assertCanReadMailboxMessage } from "~/models/outbox/mailbox-access.server";
import { storedFileHeaders } from "~/web/download.server";
import { requireUser } from "~/web/guards.server";
import { answering } from "~/web/respond.server";

// The captured message exactly as nodemailer built it, for a mail client to open.
// Members: only their organisation's (mailbox-access.server.ts).
export const loader = /* @__PURE__ */ answering(async ({ request, params }: LoaderFunctionArgs) => {
  const db = getDb();
  const user = await requireUser(request, db);
  const id = Number(params.id);
  if (Number.isSafeInteger(id) && id > 0) await assertCanReadMailboxMessage(db, user, id);
  const row = Number.isSafeInteger(id) && id > 0 ? await findMailboxRaw(db, id) : undefined;
  if (!row) throw new Response("There is no such message in the Mailbox.", { status: 404 });
  return new Response(new Uint8Array(row.raw), { headers: storedFileHeaders(`message-${row.id}.eml`, "message/rfc822", row.raw.length) });
});
