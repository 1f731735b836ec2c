// The covering email's HTML part, exactly as it will be sent, for the confirmation page
// to link to. Same policy as the printable letter: its own inline styles, nothing else
// (no scripts, requests, forms or framing), so a name with markup cannot act here.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { LETTER_DOCUMENT_POLICY, requireLetter } from "~/models/letter.server";
import { getDb } from "~/platform/db.server";
import { requireUser } from "~/web/guards.server";
import { answering } from "~/web/respond.server";

export const loader = /* @__PURE__ */ answering(async ({ request, params }: LoaderFunctionArgs) => {
  const db = getDb();
  const user = await requireUser(request, db);
  const letter = await requireLetter(db, user, params.id);
  return new Response(letter.rendered_email_html, {
    headers: { "Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": LETTER_DOCUMENT_POLICY, "Cache-Control": "private, no-store" },
  });
});
