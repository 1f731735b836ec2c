// GET /api/statements/:slug/outreach: the outreach board as JSON, per country, with
// the board's filters (?status=&group=&organisation=). Signed-in callers only (session
// or API token); JSON errors, never a redirect to the login page.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { outreachJson } from "~/models/outreach-export.server";
import { boardFiltersFrom, outreachBoard, outreachStatementFor } from "~/models/outreach.server";
import { jsonError, requireApiUser } from "~/web/api-auth.server";
import { getDb } from "~/platform/db.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const user = await requireApiUser(request, db);
  const statement = await outreachStatementFor(db, user, params.slug);
  if (!statement) return jsonError(404, "There is no statement at this address.");
  const board = await outreachBoard(db, statement, boardFiltersFrom(new URL(request.url).searchParams));
  return Response.json(outreachJson(board), { headers: { "Cache-Control": "private, no-store" } });
}
