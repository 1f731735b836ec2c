import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ErrorList, Field } from "~/components/forms";
import { OrganisationFields } from "~/components/organisation-fields";
import { changeContext } from "~/models/audit.server";
import { countryOptions, createOrganisation, newOrganisationSchema } from "~/models/organisation.server";
import { getDb } from "~/platform/db.server";
import { parseForm } from "~/schemas/form.server";
import { invalid } from "~/web/forms.server";
import { clientIp } from "~/platform/session.server";
import { requireCoordinator } from "~/web/guards.server";
import { failure } from "~/web/respond.server";

export const meta: MetaFunction = () => [{ title: "New organisation · Demarche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const db = getDb();
  await requireCoordinator(request, db);
  return { countries: await countryOptions(db) };
}

export async function action({ request }: ActionFunctionArgs) {
  const db = getDb();
  const user = await requireCoordinator(request, db);
  const form = await request.formData();
  const parsed = parseForm(newOrganisationSchema, form);
  if (!parsed.ok) return invalid(parsed);
  const { signer_name, signer_title, ...organisation } = parsed.data;
  const firstSigner = signer_name && signer_title ? { name: signer_name, title: signer_title } : null;
  try {
    const id = await createOrganisation(db, changeContext(user, clientIp(request)), organisation, firstSigner);
    return redirect(`/organisations/${id}?created=1`);
  } catch (error) {
    return failure(error, form);
  }
}

export default function NewOrganisation() {
  const { countries } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = actionData?.errors ?? {};
  const values = actionData?.values ?? {};
  const text = (name: string, label: string, extra: { type?: string; required?: boolean; hint?: string; autoComplete?: string } = {}) => (
    <Field
      label={label}
      hint={extra.hint}
      errors={errors[name]}
      inputProps={{ name, type: extra.type ?? "text", defaultValue: values[name], required: extra.required, autoComplete: extra.autoComplete }}
    />
  );
  return (
    <section>
      <p className="breadcrumbs"><Link to="/">Home</Link> / <Link to="/organisations">Organisations</Link> / New</p>
      <h1>New organisation</h1>
      <Form method="post" className="stack" noValidate>
        <ErrorList errors={actionData?.formErrors} />
        <OrganisationFields values={values} errors={errors} countries={countries} />

        <fieldset>
          <legend>First signer (optional)</legend>
          <p className="hint muted">The person who signs letters for the organisation. You can add more later.</p>
          {text("signer_name", "Signer's name")}
          {text("signer_title", "Signer's title", { hint: "e.g. Secretary-General" })}
        </fieldset>

        <p className="toolbar">
          <button type="submit" disabled={busy}>{busy ? "Saving…" : "Create organisation"}</button>
          <Link to="/organisations">Cancel</Link>
        </p>
      </Form>
    </section>
  );
}
