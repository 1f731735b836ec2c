// /statements/:slug/outreach/map.svg: the board's states on a world map, coloured by
// status, with the board's filters. Drawn on the server (app/web/world-map.server.ts)
// so it works without JavaScript; the board embeds it with <object>.
//
// Every response carries X-Frame-Options: DENY (server.ts), which would keep the map
// out of our own <object>; a CSP frame-ancestors directive takes precedence over it in
// browsers, so 'self' lets the board embed the map and no other site. The SVG's links
// target _top, so no sandbox (it would block them); scripts are refused by the CSP.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { boardFiltersFrom, outreachBoard, requireOutreachStatement } from "~/models/outreach.server";
import { getDb } from "~/platform/db.server";
import { renderOutreachMapSvg } from "~/web/world-map.server";
import { letterStatesInWords } from "~/lib/letter-states";
import { requireUser } from "~/web/guards.server";
import { answering } from "~/web/respond.server";

const letterWords = (r: { letterStates: Partial<Record<string, number>>; autoReplies: number }) => {
  const words = letterStatesInWords(r.letterStates, r.autoReplies);
  return words ? ` (letters: ${words})` : "";
};

export const loader = /* @__PURE__ */ answering(async ({ request, params }: LoaderFunctionArgs) => {
  const db = getDb();
  const user = await requireUser(request, db);
  const statement = await requireOutreachStatement(db, user, params.slug);
  const board = await outreachBoard(db, statement, boardFiltersFrom(new URL(request.url).searchParams));
  const entries = board.rows.map((r) => ({
    code: r.code,
    name: r.name,
    status: r.status,
    href: `/statements/${statement.slug}/outreach/${r.code}`,
    title: `${r.name}: ${r.statusLabel}${r.sentBy ? `, sent by ${r.sentBy} on ${r.sentAt}` : ""}${r.followUpDue ? `, follow-up due ${r.followUpDue}` : ""}${letterWords(r)}`,
  }));
  const svg = renderOutreachMapSvg(entries, { label: `Outreach for “${statement.title}”: states parties on ${board.partiesOn} by status` });
  return new Response(svg, {
    headers: {
      "Content-Type": "image/svg+xml; charset=utf-8",
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'",
    },
  });
});
