// The outreach board of a statement: every state party on the statement's date with
// its status, who sent and when, the last event and any follow-up due. The filters are
// a GET form (bookmarkable, works without JavaScript); the map, the CSV and the API
// take the same query string. The map is an image: the table is its accessible twin.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { SelectField } from "~/components/forms";
import { LetterStates, OutreachBadge, OutreachLegend } from "~/components/outreach";
import { dayInWords } from "~/lib/time-in-words";
import { OUTREACH_STATUS_LABELS, OUTREACH_STATUSES } from "~/lib/outreach-status";
import { REGIONAL_GROUPS, regionalGroupLabel } from "~/lib/regional-groups";
import { boardFiltersFrom, outreachBoard, requireOutreachStatement } from "~/models/outreach.server";
import { getDb } from "~/platform/db.server";
import { outreachMapViewBox } from "~/web/world-map.server";
import { requireUser } from "~/web/guards.server";
import { answering } from "~/web/respond.server";
import { isCoordinator } from "~/models/permissions.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Outreach · ${data?.board.statement.title ?? "Statement"} · Demarche` }];

export const loader = /* @__PURE__ */ answering(async ({ request, params }: LoaderFunctionArgs) => {
  const db = getDb();
  const user = await requireUser(request, db);
  const statement = await requireOutreachStatement(db, user, params.slug);
  const board = await outreachBoard(db, statement, boardFiltersFrom(new URL(request.url).searchParams));
  const f = board.filters;
  const query = new URLSearchParams(Object.entries({ status: f.status, group: f.group, organisation: f.organisation }).filter(([, v]) => v !== null).map(([k, v]) => [k, String(v)])).toString();
  const { width, height } = outreachMapViewBox();
  return { board, query, coordinator: isCoordinator(user), mapAspect: `${width} / ${height}` };
});

export default function OutreachBoardPage() {
  const { board, query, coordinator, mapAspect } = useLoaderData<typeof loader>();
  const { statement: s, filters: f } = board;
  const base = `/statements/${s.slug}/outreach`;
  const suffix = query ? `?${query}` : "";
  const filtered = query !== "";
  return (
    <section>
      <p className="breadcrumbs">
        <Link to="/">Home</Link> / {coordinator ? <><Link to="/statements">Statements</Link> / <Link to={`/statements/${s.slug}`}>{s.title}</Link></> : s.title} / Outreach
      </p>
      <h1>Outreach: {s.title}</h1>
      <p className="lead">
        Every state party on {dayInWords(board.partiesOn)}, the statement's date ({board.partiesOn}), and any other state with a letter or logged event for it.
        Statuses come from the letters, the messages sent and the events logged; follow-ups are due on or before today ({board.today}).
      </p>

      <Form method="get" className="toolbar" aria-label="Filter the board">
        <SelectField label="Status" name="status" id="filter-status" defaultValue={f.status ?? ""} options={[{ value: "", label: "All statuses" }, ...OUTREACH_STATUSES.map((v) => ({ value: v, label: OUTREACH_STATUS_LABELS[v] }))]} />
        <SelectField label="Regional group" name="group" id="filter-group" defaultValue={f.group ?? ""} options={[{ value: "", label: "All groups" }, ...REGIONAL_GROUPS.map((g) => ({ value: g, label: regionalGroupLabel(g) }))]} />
        <SelectField label="Organisation" name="organisation" id="filter-organisation" defaultValue={f.organisation ? String(f.organisation) : ""} options={[{ value: "", label: "All organisations" }, ...board.organisations.map((o) => ({ value: String(o.id), label: o.name }))]} />
        <button type="submit">Filter</button>
        {filtered ? <Link to={base}>Clear filters</Link> : null}
      </Form>

      <p className="toolbar">
        <a href={`/statements/${s.slug}/outreach.csv${suffix}`}>Download CSV{filtered ? " (filtered)" : ""}</a>
        <a href={`/api/statements/${s.slug}/outreach${suffix}`}>JSON (API)</a>
      </p>

      <h2 id="map">Map</h2>
      <OutreachLegend counts={board.counts} shown={f.status} />
      <object className="outreach-map" type="image/svg+xml" data={`${base}/map.svg${suffix}`} aria-label={`World map of the states coloured by outreach status. The table below lists the same states.`} style={{ width: "100%", maxWidth: "60rem", aspectRatio: mapAspect }}>
        <p className="muted">The map cannot be shown here. The table below lists every state with its status.</p>
      </object>

      <h2 id="groups">By regional group</h2>
      {board.byGroup.length === 0 ? <p className="empty">No state on the board for these filters.</p> : (
        // Focusable: on a phone this table scrolls sideways and holds no link to reach it by.
        <table tabIndex={0} aria-labelledby="groups">
          <thead><tr><th scope="col">Regional group</th>{OUTREACH_STATUSES.map((st) => <th scope="col" key={st}>{OUTREACH_STATUS_LABELS[st]}</th>)}<th scope="col">States</th></tr></thead>
          <tbody>
            {board.byGroup.map((g) => (
              <tr key={g.group ?? "none"}><th scope="row">{g.label}</th>{OUTREACH_STATUSES.map((st) => <td key={st}>{g.counts[st]}</td>)}<td>{g.total}</td></tr>
            ))}
          </tbody>
        </table>
      )}

      <h2 id="states">States ({board.rows.length}{filtered ? ` of ${board.total}` : ""})</h2>
      {board.total === 0 ? (
        <p className="empty">No state was a party to the Rome Statute on {board.partiesOn}, and no state has a letter or event for this statement yet.</p>
      ) : board.rows.length === 0 ? (
        <p className="empty">No state matches these filters. <Link to={base}>Show all states</Link>.</p>
      ) : (
        <table>
          <thead><tr><th scope="col">State</th><th scope="col">Regional group</th><th scope="col">Status</th><th scope="col">Sent by</th><th scope="col">Last event</th><th scope="col">Follow-up due</th></tr></thead>
          <tbody>
            {board.rows.map((r) => (
              <tr key={r.code} data-code={r.code} data-status={r.status}>
                <td><Link to={`${base}/${r.code}`}>{r.name}</Link>{r.isParty ? null : <span className="muted"> (not a state party on {board.partiesOn})</span>}</td>
                <td>{r.groupLabel}</td>
                <td><OutreachBadge status={r.status} /><LetterStates states={r.letterStates} autoReplies={r.autoReplies} /></td>
                <td>{r.sentBy ? <>{r.sentBy}<div className="muted">{dayInWords(r.sentAt!)}</div></> : <span className="muted">—</span>}</td>
                <td>{r.lastEvent ? <><bdi>{r.lastEvent.text}</bdi><div className="muted">{dayInWords(r.lastEvent.on)}</div></> : <span className="muted">—</span>}</td>
                <td>{r.followUpDue ? (r.followUpDueNow ? <span className="badge bad" data-due="now">{`due ${dayInWords(r.followUpDue)}`}</span> : dayInWords(r.followUpDue)) : <span className="muted">—</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
