// The saved letter as a standalone printable document: the rendered HTML carries its
// own A4 print stylesheet from the templates. Served under a policy that allows its
// inline styles and nothing else: no scripts, no requests, no forms, no framing.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { LETTER_DOCUMENT_POLICY, requireLetter } from "~/models/letter.server";
import { getDb } from "~/platform/db.server";
import { requireUser } from "~/web/guards.server";
import { answering } from "~/web/respond.server";

export const loader = /* @__PURE__ */ answering(async ({ request, params }: LoaderFunctionArgs) => {
  const db = getDb();
  const user = await requireUser(request, db);
  const letter = await requireLetter(db, user, params.id);
  return new Response(letter.rendered_html, {
    headers: { "Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": LETTER_DOCUMENT_POLICY, "Cache-Control": "private, no-store" },
  });
});
