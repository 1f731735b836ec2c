// Editing an organisation's details. The file name's `$id_` keeps this page out of
// the detail page's layout: /organisations/:id/edit renders on its own.
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ErrorList } from "~/components/forms";
import { OrganisationFields } from "~/components/organisation-fields";
import { changeContext } from "~/models/audit.server";
import { countryOptions, organisationSchema, updateOrganisation } from "~/models/organisation.server";
import { getDb } from "~/platform/db.server";
import { parseForm } from "~/schemas/form.server";
import { invalid } from "~/web/forms.server";
import { clientIp } from "~/platform/session.server";
import { editableOrganisationOr403, requireUser } from "~/web/guards.server";
import { answering, failure } from "~/web/respond.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Edit ${data?.organisation.name ?? "organisation"} · Demarche` }];

export const loader = /* @__PURE__ */ answering(async ({ request, params }: LoaderFunctionArgs) => {
  const db = getDb();
  const user = await requireUser(request, db);
  const organisation = await editableOrganisationOr403(db, user, params.id);
  return { organisation, countries: await countryOptions(db) };
});

export const action = /* @__PURE__ */ answering(async ({ request, params }: ActionFunctionArgs) => {
  const db = getDb();
  const user = await requireUser(request, db);
  const org = await editableOrganisationOr403(db, user, params.id);
  const form = await request.formData();
  const parsed = parseForm(organisationSchema, form);
  if (!parsed.ok) return invalid(parsed);
  try {
    await updateOrganisation(db, changeContext(user, clientIp(request)), org.id, parsed.data);
    return redirect(`/organisations/${org.id}?saved=1`);
  } catch (error) {
    return failure(error, form);
  }
});

export default function EditOrganisation() {
  const { organisation: o, countries } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = actionData?.errors ?? {};
  // After a refused save, show what was typed; before, what is stored.
  const values = actionData ? actionData.values : o;
  return (
    <section>
      <p className="breadcrumbs">
        <Link to="/">Home</Link> / <Link to="/organisations">Organisations</Link> / <Link to={`/organisations/${o.id}`}>{o.name}</Link> / Edit
      </p>
      <h1>Edit {o.name}</h1>
      <Form method="post" className="stack" noValidate>
        <ErrorList errors={actionData?.formErrors} />
        <OrganisationFields values={values} errors={errors} countries={countries} />
        <p className="toolbar">
          <button type="submit" disabled={busy}>{busy ? "Saving…" : "Save changes"}</button>
          <Link to={`/organisations/${o.id}`}>Cancel</Link>
        </p>
      </Form>
    </section>
  );
}
