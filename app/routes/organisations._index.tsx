import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { Field, SelectField } from "~/components/forms";
import { countryOptions, listOrganisations, organisationFilterSchema } from "~/models/organisation.server";
import { getDb } from "~/platform/db.server";
import { requireUser } from "~/web/guards.server";
import { isCoordinator } from "~/models/permissions.server";

export const meta: MetaFunction = () => [{ title: "Organisations · Demarche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const db = getDb();
  const user = await requireUser(request, db);
  const url = new URL(request.url);
  const filter = organisationFilterSchema.parse(Object.fromEntries(url.searchParams));
  const [organisations, countries] = await Promise.all([listOrganisations(db, filter), countryOptions(db)]);
  return { organisations, countries, filter, canCreate: isCoordinator(user) };
}

export default function Organisations() {
  const { organisations, countries, filter, canCreate } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const filtered = Boolean(filter.q || filter.country);
  return (
    <section>
      <p className="breadcrumbs"><Link to="/">Home</Link> / Organisations</p>
      <h1>Organisations</h1>
      {params.get("deleted") ? <p className="flash" role="status">Organisation deleted.</p> : null}
      {canCreate ? <p><Link className="button" to="/organisations/new">New organisation</Link></p> : null}

      <Form method="get" className="toolbar" role="search">
        <Field label="Name or acronym" inputProps={{ name: "q", type: "search", defaultValue: filter.q }} />
        <SelectField
          label="Country"
          name="country"
          defaultValue={filter.country}
          options={[{ value: "", label: "All countries" }, ...countries.map((c) => ({ value: c.code, label: c.name }))]}
        />
        <button type="submit">Search</button>
        {filtered ? <Link to="/organisations">Clear</Link> : null}
      </Form>

      <p aria-live="polite">
        {organisations.length} {organisations.length === 1 ? "organisation" : "organisations"}
        {filtered ? " match" : ""}
      </p>
      {organisations.length === 0 ? (
        <p className="empty">
          {filtered ? "No organisation matches. Try another name, or all countries." : "No organisations yet."}
          {canCreate && !filtered ? <> <Link to="/organisations/new">Add the first one</Link>.</> : null}
        </p>
      ) : (
        <table>
          <thead>
            <tr><th>Name</th><th>Acronym</th><th>Country</th><th>City</th><th>Signers</th></tr>
          </thead>
          <tbody>
            {organisations.map((o) => (
              <tr key={o.id}>
                <td><Link to={`/organisations/${o.id}`}>{o.name}</Link></td>
                <td>{o.acronym ?? ""}</td>
                <td>{o.country_name ?? o.country_code ?? ""}</td>
                <td>{o.city ?? ""}</td>
                <td>{o.signer_count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
