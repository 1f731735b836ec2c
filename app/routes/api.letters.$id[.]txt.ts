// GET /api/letters/:id.txt: a saved letter's text version, as generated.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiLetter } from "~/web/api-auth.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const letter = await requireApiLetter(request, params.id);
  return new Response(letter.rendered_text, { headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "private, no-store" } });
}
