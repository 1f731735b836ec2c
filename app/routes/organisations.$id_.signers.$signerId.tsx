// Editing one signer's name and title. Adding, reordering and removing happen on
// the organisation's page; this page exists so errors sit beside the right fields.
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorList, Field } from "~/components/forms";
import { changeContext } from "~/models/audit.server";
import { signerSchema } from "~/models/organisation.server";
import { signerOr404, updateSigner } from "~/models/signer.server";
import { getDb } from "~/platform/db.server";
import { invalid } from "~/web/forms.server";
import { parseForm } from "~/schemas/form.server";
import { clientIp } from "~/platform/session.server";
import { editableOrganisationOr403, requireUser } from "~/web/guards.server";
import { answering } from "~/web/respond.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Edit ${data?.signer.name ?? "signer"} · Demarche` }];

export const loader = /* @__PURE__ */ answering(async ({ request, params }: LoaderFunctionArgs) => {
  const db = getDb();
  const user = await requireUser(request, db);
  const organisation = await editableOrganisationOr403(db, user, params.id);
  const signer = await signerOr404(db, organisation.id, params.signerId);
  return { organisation, signer };
});

export const action = /* @__PURE__ */ answering(async ({ request, params }: ActionFunctionArgs) => {
  const db = getDb();
  const user = await requireUser(request, db);
  const org = await editableOrganisationOr403(db, user, params.id);
  const signer = await signerOr404(db, org.id, params.signerId);
  const parsed = parseForm(signerSchema, await request.formData());
  if (!parsed.ok) return invalid(parsed);
  await updateSigner(db, changeContext(user, clientIp(request)), org.id, signer.id, parsed.data);
  return redirect(`/organisations/${org.id}?signer=updated`);
});

export default function EditSigner() {
  const { organisation: o, signer } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors ?? {};
  const values = actionData?.values ?? { name: signer.name, title: signer.title };
  return (
    <section>
      <p className="breadcrumbs">
        <Link to="/">Home</Link> / <Link to="/organisations">Organisations</Link> / <Link to={`/organisations/${o.id}`}>{o.name}</Link> / {signer.name}
      </p>
      <h1>Edit signer</h1>
      <Form method="post" className="stack" noValidate>
        <ErrorList errors={actionData?.formErrors} />
        <Field label="Name" errors={errors.name} inputProps={{ name: "name", defaultValue: values.name, required: true }} />
        <Field label="Title" hint="e.g. Secretary-General" errors={errors.title} inputProps={{ name: "title", defaultValue: values.title, required: true }} />
        <p className="toolbar">
          <button type="submit">Save signer</button>
          <Link to={`/organisations/${o.id}`}>Cancel</Link>
        </p>
      </Form>
    </section>
  );
}
