// GET /api/letters/:id.html: a saved letter's printable HTML, as generated, under the
// same no-script policy as the preview page.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { LETTER_DOCUMENT_POLICY, letterFor } from "~/models/letter.server";
import { jsonError, requireApiUser } from "~/web/api-auth.server";
import { getDb } from "~/platform/db.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const user = await requireApiUser(request, db);
  const letter = await letterFor(db, user, params.id);
  if (letter === 404) return jsonError(404, "There is no such letter.");
  if (letter === 403) return jsonError(403, "Members may read only their own organisation's letters.");
  return new Response(letter.rendered_html, {
    headers: { "Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": LETTER_DOCUMENT_POLICY, "Cache-Control": "private, no-store" },
  });
}
