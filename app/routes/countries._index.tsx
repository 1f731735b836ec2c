// Public list of every state with its Rome Statute dates, filtered by a GET form so
// a filtered view is a link someone can share ("states parties on 2025-01-01").
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Field, SelectField } from "~/components/forms";
import { type FieldErrors } from "~/lib/field-errors";
import { REGIONAL_GROUPS, regionalGroupLabel } from "~/lib/regional-groups";
import { getCountriesDataset, listCountries, todayUtc, type CountryListing } from "~/models/country.server";
import { CountryFiltersSchema, parseQuery } from "~/schemas/country.server";
import { getDb } from "~/platform/db.server";
import type { RegionalGroup } from "../../db/schema";

export const meta: MetaFunction = () => [{ title: "Countries and the Rome Statute · Demarche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const db = getDb();
  const parsed = parseQuery(CountryFiltersSchema, new URL(request.url).searchParams);
  const today = todayUtc();
  const dataset = (await getCountriesDataset(db)) ?? null;
  if (!parsed.ok) {
    return data({ errors: parsed.errors, values: parsed.values, filters: null, countries: [] as CountryListing[], today, dataset }, { status: 400 });
  }
  const { on, group, q } = parsed.data;
  const countries = await listCountries(db, { partiesOn: on, regionalGroup: group, q });
  const filters = { on: on ?? null, group: group ?? null, q: q ?? null };
  return data({ errors: {} as FieldErrors, values: parsed.values, filters, countries, today, dataset }, { status: 200 });
}

const groupOptions = [{ value: "", label: "All regional groups" }, ...REGIONAL_GROUPS.map((g) => ({ value: g, label: regionalGroupLabel(g) }))];

export default function Countries() {
  const { errors, values, filters, countries, today, dataset } = useLoaderData<typeof loader>();
  return (
    <section>
      <h1>Countries and the Rome Statute</h1>
      <p className="lead">
        Every UN member state, the two UN observer states and the Cook Islands, with the dates on which each
        joined or left the International Criminal Court.
      </p>

      {/* Keyed on the query so "Clear" and back/forward reset what the fields show. */}
      <Form method="get" action="/countries" className="toolbar" role="search" aria-label="Filter countries" key={JSON.stringify(values)}>
        <Field
          label="States parties on"
          errors={errors.on}
          inputProps={{
            name: "on",
            // A browser blanks a date input holding an impossible date such as
            // 2025-02-30; as text the user can still see and correct what they sent.
            type: errors.on ? "text" : "date",
            defaultValue: values.on ?? "",
            placeholder: "YYYY-MM-DD",
          }}
        />
        <SelectField label="Regional group" name="group" defaultValue={values.group ?? ""} options={groupOptions} errors={errors.group} />
        <Field label="Search" errors={errors.q} inputProps={{ name: "q", type: "search", defaultValue: values.q ?? "", placeholder: "Name or code" }} />
        <button type="submit">Show</button>
        <Link to="/countries">Clear</Link>
      </Form>

      {!filters ? (
        <p className="muted">Correct the field marked above to see the list.</p>
      ) : countries.length === 0 ? (
        <p className="empty" role="status">
          {filters.on ? `No state was a party on ${filters.on} with these filters.` : "No state matches these filters."}{" "}
          <Link to="/countries">Show every state</Link>.
        </p>
      ) : (
        <>
          <Summary filters={filters} countries={countries} today={today} />
          <CountryTable countries={countries} statusOn={filters.on ?? today} />
        </>
      )}

      <p className="muted">
        {dataset ? <>Source: {dataset.source} Data as of {dataset.as_of}.</> : <>The country data has not been loaded.</>}
      </p>
    </section>
  );
}

type Filters = { on: string | null; group: RegionalGroup | null; q: string | null };

function Summary({ filters, countries, today }: { filters: Filters; countries: CountryListing[]; today: string }) {
  const where = [
    filters.group ? ` in the ${regionalGroupLabel(filters.group)} group` : "",
    filters.q ? ` matching “${filters.q}”` : "",
  ].join("");
  if (filters.on) {
    const n = countries.length;
    return (
      <p role="status" data-testid="count">
        <strong>{n}</strong> {n === 1 ? "state party" : "states parties"} on {filters.on}
        {where}.
      </p>
    );
  }
  const parties = countries.filter((c) => c.is_party).length;
  return (
    <p role="status" data-testid="count">
      <strong>{countries.length}</strong> {countries.length === 1 ? "state" : "states"}
      {where}; {parties} of them {parties === 1 ? "is a state party" : "are states parties"} today ({today}).
    </p>
  );
}

function CountryTable({ countries, statusOn }: { countries: CountryListing[]; statusOn: string }) {
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Code</th>
          <th scope="col">Name</th>
          <th scope="col">Regional group</th>
          <th scope="col">Deposited</th>
          <th scope="col">Entry into force</th>
          <th scope="col">Withdrawal effective</th>
          <th scope="col">On {statusOn}</th>
        </tr>
      </thead>
      <tbody>
        {countries.map((c) => (
          <tr key={c.code}>
            <td>{c.code}</td>
            <td><Link to={`/countries/${c.code}`}>{c.name}</Link></td>
            <td>{regionalGroupLabel(c.regional_group)}</td>
            <td>{c.rs_deposited ?? "—"}</td>
            <td>{c.rs_entry_into_force ?? "—"}</td>
            <td>{c.rs_withdrawal_effective ?? "—"}</td>
            <td>{c.is_party ? <span className="badge ok">Party</span> : <span className="badge">Not a party</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
