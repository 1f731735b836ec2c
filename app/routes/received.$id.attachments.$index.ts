import type { LoaderFunctionArgs } from "@remix-run/node";
import { inboundAttachment } from "~/models/inbound/messages.server";
import { getDb } from "~/platform/db.server";
import { storedFileHeaders } from "~/web/download.server";
import { requireUser } from "~/web/guards.server";
import { answering } from "~/web/respond.server";

// Always a download, never shown inline, sandboxed: the bytes come from anyone's mail.
export const loader = /* @__PURE__ */ answering(async ({ request, params }: LoaderFunctionArgs) => {
  const db = getDb();
  const user = await requireUser(request, db);
  const id = Number(params.id);
  const index = Number(params.index);
  if (!Number.isSafeInteger(id) || id <= 0 || !Number.isSafeInteger(index) || index < 0) throw new Response("There is no such attachment.", { status: 404 });
  const a = await inboundAttachment(db, user, id, index);
  return new Response(new Uint8Array(a.content), { headers: storedFileHeaders(a.filename, a.contentType, a.content.length) });
});
