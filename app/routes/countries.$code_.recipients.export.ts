// /countries/:code/recipients/export: the country's recipient list as CSV, with the
// import's columns so an edited copy can be imported back. Only those who see the list in
// full (coordinators, the organisations writing to the country: ADR 0014) may download
// it; never cached (contact details).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportRecipients } from "~/models/recipient-import.server";
import { assertSeesRecipientDetails, countryOr404 } from "~/models/recipient.server";
import { getDb } from "~/platform/db.server";
import { downloadHeaders } from "~/web/download.server";
import { requireUser } from "~/web/guards.server";
import { answering } from "~/web/respond.server";

export const loader = /* @__PURE__ */ answering(async ({ request, params }: LoaderFunctionArgs) => {
  const db = getDb();
  const user = await requireUser(request, db);
  const country = await countryOr404(db, params.code);
  await assertSeesRecipientDetails(db, user, country.code);
  const file = await exportRecipients(db, country.code);
  return new Response(file.body, { headers: downloadHeaders(file.filename, file.contentType) });
});
