// GET /letters/bulk/:id/zip: the batch's ready PDFs as one ZIP, streamed with archiver
// (never rendered here: letters whose PDF is not ready are left out, and the batch page
// says which). Access: the batch's creator (still of its organisation) or coordinators.
import { Readable } from "node:stream";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { batchProgress, batchZipStream, requireBatch } from "~/models/letter-batch.server";
import { getDb } from "~/platform/db.server";
import { downloadHeaders } from "~/web/download.server";
import { requireUser } from "~/web/guards.server";
import { answering } from "~/web/respond.server";

export const loader = /* @__PURE__ */ answering(async ({ request, params }: LoaderFunctionArgs) => {
  const db = getDb();
  const user = await requireUser(request, db);
  const batch = await requireBatch(db, user, params.id, "Only the person who generated these letters and coordinators can download them.");
  const progress = await batchProgress(db, batch);
  const ready = progress.letters.filter((l) => l.state === "ready");
  if (!ready.length) {
    return new Response("None of these letters' PDFs is ready yet.", { status: 409, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "private, no-store" } });
  }
  const body = Readable.toWeb(batchZipStream(db, ready)) as unknown as ReadableStream<Uint8Array>;
  const headers = downloadHeaders(`letters-batch-${batch.id}.zip`, "application/zip");
  // How many PDFs are in it, out of how many letters.
  headers.set("X-Letters-Included", `${ready.length}/${progress.counts.total}`);
  return new Response(body, { headers });
});
