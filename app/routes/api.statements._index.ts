// GET /api/statements: the open and published statements, for coalition websites.
// Public (no token), readable from any origin.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { createHash } from "node:crypto";
import { listPublicStatements } from "~/models/public-statement.server";
import { getDb } from "~/platform/db.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const statements = await listPublicStatements(getDb());
  const body = JSON.stringify(statements);
  const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 16)}"`;
  const headers = {
    "Content-Type": "application/json; charset=utf-8",
    "Cache-Control": "public, max-age=60",
    "Access-Control-Allow-Origin": "*",
    ETag: etag,
  };
  const match = request.headers.get("If-None-Match")?.split(",").some((t) => t.trim().replace(/^W\//, "") === etag);
  return new Response(match ? null : body, { status: match ? 304 : 200, headers });
}
