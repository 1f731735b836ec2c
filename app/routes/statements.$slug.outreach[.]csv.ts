// /statements/:slug/outreach.csv: the board as a spreadsheet, with the board's filters.
// Everyone signed in sees the board, so everyone signed in may download it; never cached.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { outreachCsv, outreachCsvFilename } from "~/models/outreach-export.server";
import { boardFiltersFrom, outreachBoard, requireOutreachStatement } from "~/models/outreach.server";
import { getDb } from "~/platform/db.server";
import { downloadHeaders } from "~/web/download.server";
import { requireUser } from "~/web/guards.server";
import { answering } from "~/web/respond.server";

export const loader = /* @__PURE__ */ answering(async ({ request, params }: LoaderFunctionArgs) => {
  const db = getDb();
  const user = await requireUser(request, db);
  const statement = await requireOutreachStatement(db, user, params.slug);
  const board = await outreachBoard(db, statement, boardFiltersFrom(new URL(request.url).searchParams));
  return new Response(outreachCsv(board), { headers: downloadHeaders(outreachCsvFilename(board), "text/csv; charset=utf-8") });
});
