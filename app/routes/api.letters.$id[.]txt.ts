// GET /api/letters/:id.txt: a saved letter's text version, as generated.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { letterFor } from "~/models/letter.server";
import { jsonError, requireApiUser } from "~/web/api-auth.server";
import { getDb } from "~/platform/db.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const user = await requireApiUser(request, db);
  const letter = await letterFor(db, user, params.id);
  if (letter === 404) return jsonError(404, "There is no such letter.");
  if (letter === 403) return jsonError(403, "Members may read only their own organisation's letters.");
  return new Response(letter.rendered_text, { headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "private, no-store" } });
}
