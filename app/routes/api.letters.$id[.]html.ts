// GET /api/letters/:id.html: a saved letter's printable HTML, as generated, under the
// same no-script policy as the preview page.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { LETTER_DOCUMENT_POLICY } from "~/models/letter.server";
import { requireApiLetter } from "~/web/api-auth.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const letter = await requireApiLetter(request, params.id);
  return new Response(letter.rendered_html, {
    headers: { "Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": LETTER_DOCUMENT_POLICY, "Cache-Control": "private, no-store" },
  });
}
