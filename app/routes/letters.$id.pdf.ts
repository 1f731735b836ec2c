// GET /letters/:id/pdf: the browser's download of a saved letter as PDF. Never renders
// here (see app/models/letter-pdf-job.server.ts): a ready PDF of the letter's current
// fingerprint is sent as an attachment; otherwise the PDF is queued if need be and a
// small page says it is being prepared, reloading itself every few seconds until the
// download starts. A failed render shows its error, with a link to try again.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireLetter } from "~/models/letter.server";
import { letterPdfFilename, letterPdfFor } from "~/models/letter-pdf-job.server";
import { getDb } from "~/platform/db.server";
import { downloadHeaders } from "~/web/download.server";
import { requireUser } from "~/web/guards.server";
import { answering } from "~/web/respond.server";

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function page(status: number, title: string, body: string, refreshTo?: string) {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)} · Demarche</title>${
    refreshTo ? `<meta http-equiv="refresh" content="3; url=${escape(refreshTo)}">` : ""
  }<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5}</style></head><body>${body}</body></html>`;
  return new Response(html, { status, headers: { "Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": PAGE_POLICY, "Cache-Control": "private, no-store" } });
}

export const loader = /* @__PURE__ */ answering(async ({ request, params }: LoaderFunctionArgs) => {
  const db = getDb();
  const user = await requireUser(request, db);
  const letter = await requireLetter(db, user, params.id);
  const retry = new URL(request.url).searchParams.get("retry") === "1";
  const pdf = await letterPdfFor(db, letter, { retry });
  const self = `/letters/${letter.id}/pdf`;
  const back = `<p><a href="/letters/${letter.id}">Back to the letter</a></p>`;
  if (pdf.status === "ready" && pdf.pdf) {
    return new Response(new Uint8Array(pdf.pdf), { headers: downloadHeaders(letterPdfFilename(letter), "application/pdf", pdf.pdf.byteLength) });
  }
  if (pdf.status === "failed") {
    return page(409, "The PDF could not be made", `<h1>The PDF could not be made</h1><p>${escape(pdf.error ?? "Rendering failed.")}</p><p><a href="${self}?retry=1">Try again</a></p>${back}`);
  }
  return page(202, "The PDF is being prepared", `<h1>The PDF is being prepared…</h1><p role="status">This page reloads every few seconds; the download starts when the PDF is ready.</p><p><a href="${self}">Reload now</a></p>${back}`, self);
});
