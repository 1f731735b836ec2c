// GET /letters/bulk/:id/zip: the batch's ready PDFs as one ZIP, streamed with archiver
// (never rendered here: letters whose PDF is not ready are left out, and the batch page
// says which). Access: the batch's creator (still of its organisation) or coordinators.
import { Readable } from "node:stream";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { batchFor, batchProgress, batchZipStream } from "~/models/letter-batch.server";
import { getDb } from "~/platform/db.server";
import { forbidden, requireUser } from "~/platform/session.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const user = await requireUser(request, db);
  const batch = await batchFor(db, user, params.id);
  if (batch === 404) throw new Response("There is no such batch of letters.", { status: 404, statusText: "Not Found" });
  if (batch === 403) throw forbidden("Only the person who generated these letters and coordinators can download them.");
  const progress = await batchProgress(db, batch);
  const ready = progress.letters.filter((l) => l.state === "ready");
  if (!ready.length) {
    return new Response("None of these letters' PDFs is ready yet.", { status: 409, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "private, no-store" } });
  }
  const body = Readable.toWeb(batchZipStream(db, ready)) as unknown as ReadableStream<Uint8Array>;
  return new Response(body, {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="letters-batch-${batch.id}.zip"`,
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "private, no-store",
      // How many PDFs are in it, out of how many letters.
      "X-Letters-Included": `${ready.length}/${progress.counts.total}`,
    },
  });
}
