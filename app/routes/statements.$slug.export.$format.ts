// The downloads of /statements/:slug/export: signatories.csv (every signature, every
// field), .txt, .md and .json (the published list). Coordinators only; never cached,
// since the files hold contact details and change with every approval.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportFormatOf, exportSignatories } from "~/models/signatory-export.server";
import { requireStatement } from "~/models/statement.server";
import { getDb } from "~/platform/db.server";
import { downloadHeaders } from "~/web/download.server";
import { requireCoordinator } from "~/web/guards.server";
import { answering } from "~/web/respond.server";

export const loader = /* @__PURE__ */ answering(async ({ request, params }: LoaderFunctionArgs) => {
  const db = getDb();
  await requireCoordinator(request, db);
  const statement = await requireStatement(db, params.slug);
  const format = exportFormatOf(params.format);
  if (!format) throw new Response("There is no such export. Choose one on the export page.", { status: 404, statusText: "Not Found" });
  const file = await exportSignatories(db, statement, format);
  return new Response(file.body, { headers: downloadHeaders(file.filename, file.contentType) });
});
