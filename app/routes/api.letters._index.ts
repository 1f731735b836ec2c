// GET /api/letters: the letters the caller may see (members: their organisation's;
// coordinators: all), newest first. Session or Bearer token; JSON errors.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { listLetters } from "~/models/letter.server";
import { requireApiUser } from "~/web/api-auth.server";
import { getDb } from "~/platform/db.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const db = getDb();
  const user = await requireApiUser(request, db);
  const letters = await listLetters(db, user);
  return Response.json(
    letters.map((l) => ({
      id: l.id,
      statement: { id: l.statement_id, slug: l.statement_slug, title: l.statement_title },
      country: { code: l.country_code, name: l.country_name },
      sender: { id: l.organisation_id, name: l.sender_name },
      date: l.letter_date,
      language: l.language,
      status: l.status,
      outOfDate: l.freshness.outOfDate,
    })),
    { headers: { "Cache-Control": "private, no-store" } },
  );
}
