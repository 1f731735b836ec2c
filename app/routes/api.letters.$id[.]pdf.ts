// GET /api/letters/:id.pdf: a saved letter as PDF. PDFs are rendered in the background
// (app/models/letter-pdf-job.server.ts), never here: if the PDF of the letter's current
// fingerprint is ready it is sent; otherwise it is queued if need be and the answer is
// 202 {"status": "queued" | "rendering"}: ask again in a few seconds. A failed render
// answers 409 {"status": "failed", "error"}; ?retry=1 queues it again.
// Access as for .txt: token or session, 401/403/404 as JSON.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { letterPdfFilename, letterPdfFor } from "~/models/letter-pdf-job.server";
import { requireApiLetter } from "~/web/api-auth.server";
import { getDb } from "~/platform/db.server";
import { downloadHeaders } from "~/web/download.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const letter = await requireApiLetter(request, params.id, db);
  const retry = new URL(request.url).searchParams.get("retry") === "1";
  const pdf = await letterPdfFor(db, letter, { retry });
  const noStore = { "Cache-Control": "private, no-store" };
  if (pdf.status === "ready" && pdf.pdf) {
    return new Response(new Uint8Array(pdf.pdf), { headers: downloadHeaders(letterPdfFilename(letter), "application/pdf", pdf.pdf.byteLength) });
  }
  if (pdf.status === "failed") return Response.json({ status: "failed", error: pdf.error }, { status: 409, headers: noStore });
  return Response.json({ status: pdf.status }, { status: 202, headers: { "Retry-After": "3", ...noStore } });
}
