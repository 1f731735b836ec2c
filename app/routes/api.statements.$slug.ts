// GET /api/statements/:slug: one statement as coalition websites embed it: text,
// points, footnotes and the approved signatories in display order. Drafts and unknown
// slugs are 404; a closed statement is still served (status "closed"), so an embed
// does not go blank between the end of signing and publication. Cached per statement
// version like the public page (app/workflows/statement-page.server.ts).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { publicStatementJson } from "~/models/public-statement.server";
import { getDb } from "~/platform/db.server";
import { statementReply, toResponse, type Renderer } from "~/workflows/statement-page.server";

const CORS = { "Access-Control-Allow-Origin": "*" };
const JSON_RENDERER: Renderer = { kind: "json", render: (statement, now) => JSON.stringify(publicStatementJson(statement, now)) };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const reply = await statementReply(getDb(), params.slug ?? "", (name) => request.headers.get(name), JSON_RENDERER);
  if (reply.status === 404) {
    return Response.json({ error: "There is no public statement at this address." }, { status: 404, headers: { ...CORS, "Cache-Control": "no-store" } });
  }
  return toResponse(reply, CORS);
}
