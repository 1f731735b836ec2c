// A reply's uploaded file (.eml or .pdf): always a download, never shown inline, since
// it is content we did not write (storedFileHeaders: attachment, its checked type,
// nosniff, a sandbox CSP). Everyone signed in reads the board's events, so its files too.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { countryOr404 } from "~/models/recipient.server";
import { eventAttachment } from "~/models/outreach-events.server";
import { requireOutreachStatement } from "~/models/outreach.server";
import { getDb } from "~/platform/db.server";
import { storedFileHeaders } from "~/web/download.server";
import { requireUser } from "~/web/guards.server";
import { answering } from "~/web/respond.server";

export const loader = /* @__PURE__ */ answering(async ({ request, params }: LoaderFunctionArgs) => {
  const db = getDb();
  const user = await requireUser(request, db);
  const statement = await requireOutreachStatement(db, user, params.slug);
  const country = await countryOr404(db, params.code);
  const id = Number(params.eventId);
  const file = Number.isSafeInteger(id) && id > 0 ? await eventAttachment(db, { statementId: statement.id, countryCode: country.code }, id) : undefined;
  if (!file) throw new Response("There is no such file.", { status: 404, statusText: "Not Found" });
  return new Response(new Uint8Array(file.content), { headers: storedFileHeaders(file.filename, file.type, file.content.length) });
});
