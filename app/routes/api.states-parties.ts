// GET /api/states-parties?on=YYYY-MM-DD: which states are parties to the Rome Statute
// on a day (today if `on` is left out). Public reference data, so no token needed.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { statesPartiesOn, todayUtc } from "~/models/country.server";
import { StatesPartiesQuerySchema, parseQuery } from "~/schemas/country.server";
import { getDb } from "~/platform/db.server";

// Short: the answer for "today" changes at midnight and when the data is reloaded.
const CACHE = "public, max-age=300";

export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const parsed = parseQuery(StatesPartiesQuerySchema, params);
  if (!parsed.ok) {
    const sent = (params.get("on") ?? "").slice(0, 40);
    const message = parsed.errors.on?.[0] ?? "The query is not valid.";
    return Response.json({ error: `${message} Received "${sent}".` }, { status: 400, headers: { "Cache-Control": "no-store" } });
  }
  const on = parsed.data.on ?? todayUtc();
  const states = await statesPartiesOn(getDb(), on);
  return Response.json(
    {
      on,
      count: states.length,
      states: states.map((s) => ({
        code: s.code,
        name: s.name,
        regionalGroup: s.regional_group,
        deposited: s.rs_deposited,
        entryIntoForce: s.rs_entry_into_force,
      })),
    },
    { headers: { "Cache-Control": CACHE } },
  );
}
