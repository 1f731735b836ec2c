// Coverage: every state party on a chosen date, by ICC regional group, with its
// recipients, the organisations that cover it, and the gaps that would stop or spoil
// a letter. A GET form, so "gaps on 2025-01-14" is a link someone can share.
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Field, SelectField } from "~/components/forms";
import { type FieldErrors } from "~/lib/field-errors";
import { REGIONAL_GROUPS, regionalGroupLabel } from "~/lib/regional-groups";
import { todayUtc } from "~/models/country.server";
import { coverageOn, coverageQuerySchema, type Coverage, type CoverageRow, type Gap } from "~/models/coverage.server";
import { parseQuery } from "~/schemas/country.server";
import { getDb } from "~/platform/db.server";
import { dayInWords } from "~/lib/time-in-words";
import { requireUser } from "~/web/guards.server";
import { countriesWithRecipientDetails } from "~/models/permissions.server";

export const meta: MetaFunction = () => [{ title: "Coverage · Demarche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const db = getDb();
  const user = await requireUser(request, db);
  const today = todayUtc();
  const parsed = parseQuery(coverageQuerySchema, new URL(request.url).searchParams);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values, coverage: null as Coverage | null, gapsOnly: false }, { status: 400 });
  const { on, gaps, group } = parsed.data;
  const coverage = await coverageOn(db, on ?? today, today, { gapsOnly: gaps, group, namesShownFor: await countriesWithRecipientDetails(db, user) });
  return data({ errors: {} as FieldErrors, values: parsed.values, coverage, gapsOnly: gaps }, { status: 200 });
}

const groupOptions = [{ value: "", label: "All regional groups" }, ...REGIONAL_GROUPS.map((g) => ({ value: g, label: regionalGroupLabel(g) }))];

export default function CoveragePage() {
  const { errors, values, coverage, gapsOnly } = useLoaderData<typeof loader>();
  return (
    <section>
      <h1>Coverage of the states parties</h1>
      <p className="lead">Who writes to each state party, whom they write to, and what is missing before a letter can go.</p>

      <Form method="get" action="/coverage" className="toolbar" role="search" aria-label="Choose the date and filters" key={JSON.stringify(values)}>
        <Field
          label="States parties on"
          errors={errors.on}
          // A browser blanks a date input holding an impossible date; as text the user sees what they sent.
          inputProps={{ name: "on", type: errors.on ? "text" : "date", defaultValue: values.on ?? coverage?.on ?? "", placeholder: "YYYY-MM-DD" }}
        />
        <SelectField label="Regional group" name="group" defaultValue={values.group ?? ""} options={groupOptions} errors={errors.group} />
        <div className="field">
          <label><input type="checkbox" name="gaps" value="1" defaultChecked={gapsOnly} /> Only states with gaps</label>
        </div>
        <button type="submit">Show</button>
        <Link to="/coverage">Today, all states</Link>
      </Form>

      {!coverage ? (
        <p className="muted">Correct the field marked above to see the coverage.</p>
      ) : coverage.parties === 0 ? (
        <p className="empty" role="status">
          {`No state was a party to the Rome Statute on ${coverage.on}${values.group ? " in this regional group" : ""}. The Statute entered into force on 1 July 2002.`}
        </p>
      ) : (
        <>
          <p role="status" data-testid="summary">
            <strong>{coverage.parties}</strong> {coverage.parties === 1 ? "state party" : "states parties"} on {coverage.on}; <strong>{coverage.withGaps}</strong> with gaps.
            {coverage.on !== coverage.today ? ` Recipient lists are as they stand today (${coverage.today}); entries count as stale if not checked for six months before today.` : null}
          </p>
          {coverage.groups.map((g) => (
            <div key={g.group ?? "none"}>
              <h2 id={g.group ?? "none"}>
                {g.label} <span className="muted">({g.parties} {g.parties === 1 ? "state party" : "states parties"}, {g.withGaps} with gaps)</span>
              </h2>
              {g.rows.length === 0 ? (
                <p className="empty">{gapsOnly ? "No gaps in this group." : "No state party in this group on that date."}</p>
              ) : (
                <CoverageTable rows={g.rows} />
              )}
            </div>
          ))}
        </>
      )}
    </section>
  );
}

function CoverageTable({ rows }: { rows: CoverageRow[] }) {
  return (
    <table>
      <thead>
        <tr><th scope="col">State party</th><th scope="col">Recipients</th><th scope="col">Organisations</th><th scope="col">Gaps</th></tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.code} data-country={r.code}>
            <td><Link to={`/countries/${r.code}/recipients`}>{r.name}</Link></td>
            <td>{r.recipients === 0 ? <span className="muted">none</span> : <>{r.recipients} <span className="muted">({r.addressees} addressed, {r.copies} copied)</span></>}</td>
            <td>{r.organisations.length === 0 ? <span className="muted">none assigned</span> : r.organisations.map((o, i) => (
              <span key={o.id}>{i > 0 ? ", " : null}<Link to={`/organisations/${o.id}`}>{o.acronym ?? o.name}</Link></span>
            ))}</td>
            <td>{r.gaps.length === 0 ? <span className="badge ok">ready</span> : <ul className="errors">{r.gaps.map((gap) => <li key={gap.kind}>{gapText(gap)}</li>)}</ul>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function gapText(gap: Gap): string {
  switch (gap.kind) {
    case "no-addressee":
      return "No addressee";
    case "addressee-without-email":
      return gap.names.length ? `Addressee without email: ${gap.names.join(", ")}` : `${gap.count === 1 ? "An addressee" : `${gap.count} addressees`} without email`;
    case "stale":
      return `${gap.count === 1 ? "1 entry" : `${gap.count} entries`} not checked for six months (${gap.count === 1 ? "" : "the oldest "}since ${dayInWords(gap.oldest)}); ministers change`;
    case "bouncing":
      return `Stale address: ${gap.recipients.map((r) => `mail to ${r.who} bounces (last on ${dayInWords(r.at)})`).join("; ")}`;
  }
}
