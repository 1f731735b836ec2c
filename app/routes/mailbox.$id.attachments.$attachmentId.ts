import type { LoaderFunctionArgs } from "@remix-run/node";
import { findMailboxAttachment } from "~/models/outbox/mailbox.server";
import { getDb } from "~/platform/db.server";
import { assertCanReadMailboxMessage } from "~/models/outbox/mailbox-access.server";
import { storedFileHeaders } from "~/web/download.server";
import { requireUser } from "~/web/guards.server";
import { answering } from "~/web/respond.server";

// Always a download, never shown inline: an attachment is content we did not vet.
export const loader = /* @__PURE__ */ answering(async ({ request, params }: LoaderFunctionArgs) => {
  const db = getDb();
  const user = await requireUser(request, db);
  const messageId = Number(params.id);
  const attachmentId = Number(params.attachmentId);
  const valid = [messageId, attachmentId].every((n) => Number.isSafeInteger(n) && n > 0);
  if (valid) await assertCanReadMailboxMessage(db, user, messageId);
  const attachment = valid ? await findMailboxAttachment(db, messageId, attachmentId) : undefined;
  if (!attachment) throw new Response("There is no such attachment.", { status: 404 });
  const { filename, content_type, content } = attachment;
  return new Response(new Uint8Array(content), { headers: storedFileHeaders(filename, content_type, content.length) });
});
