// Editing an organisation's details. The file name's `$id_` keeps this page out of
// the detail page's layout: /organisations/:id/edit renders on its own.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ErrorList, Field, SelectField, TextAreaField } from "~/components/forms";
import { changeContext, countryOptions, editableOrganisationOr403, FieldInputError, organisationSchema, updateOrganisation } from "~/models/organisation.server";
import { getDb } from "~/services/db.server";
import { formValues, invalid, parseForm } from "~/services/forms.server";
import { clientIp, requireUser } from "~/services/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Edit ${data?.organisation.name ?? "organisation"} · Demarche` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const user = await requireUser(request, db);
  const organisation = await editableOrganisationOr403(db, user, params.id);
  return { organisation, countries: await countryOptions(db) };
}

export async function action({ request, params }: ActionFunctionArgs) {
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
    if (error instanceof FieldInputError) return invalid({ errors: error.errors, formErrors: [], values: formValues(form) });
    throw error;
  }
}

export default function EditOrganisation() {
  const { organisation: o, countries } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = actionData?.errors ?? {};
  // After a refused save, show what was typed; before, what is stored.
  const value = (name: keyof typeof o) => (actionData ? actionData.values[name] : o[name]) ?? "";
  const text = (name: keyof typeof o, label: string, extra: { type?: string; required?: boolean; hint?: string } = {}) => (
    <Field label={label} hint={extra.hint} errors={errors[name]} inputProps={{ name, type: extra.type ?? "text", defaultValue: String(value(name)), required: extra.required }} />
  );
  return (
    <section>
      <p className="breadcrumbs">
        <Link to="/">Home</Link> / <Link to="/organisations">Organisations</Link> / <Link to={`/organisations/${o.id}`}>{o.name}</Link> / Edit
      </p>
      <h1>Edit {o.name}</h1>
      <Form method="post" className="stack" noValidate>
        <ErrorList errors={actionData?.formErrors} />
        {text("name", "Name", { required: true })}
        {text("acronym", "Acronym")}
        <SelectField
          label="Country"
          name="country_code"
          errors={errors.country_code}
          defaultValue={String(value("country_code"))}
          options={[{ value: "", label: "— not set —" }, ...countries.map((c) => ({ value: c.code, label: c.name }))]}
        />
        {text("website", "Website", { type: "url", hint: "Starting with https://" })}
        {text("contact_email", "Contact email", { type: "email" })}
        <TextAreaField
          label="Postal address"
          hint="As it should appear on a letterhead, one line per line."
          errors={errors.postal_address}
          textareaProps={{ name: "postal_address", defaultValue: String(value("postal_address")), rows: 4 }}
        />
        {text("city", "City", { hint: "Printed beside the date on letters, e.g. Oslo." })}
        <p className="toolbar">
          <button type="submit" disabled={busy}>{busy ? "Saving…" : "Save changes"}</button>
          <Link to={`/organisations/${o.id}`}>Cancel</Link>
        </p>
      </Form>
    </section>
  );
}
