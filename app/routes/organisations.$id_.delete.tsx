// Deleting an organisation takes two steps: this page says what will go (its signers)
// and what stops it (people's accounts), and only its button deletes. A page rather
// than a JavaScript confirm(), so it works with the keyboard, a screen reader, no JS.
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorList } from "~/components/forms";
import { changeContext } from "~/models/audit.server";
import { countMembers, deleteOrganisation, organisationOr404 } from "~/models/organisation.server";
import { listSigners } from "~/models/signer.server";
import { getDb } from "~/platform/db.server";
import { clientIp } from "~/platform/session.server";
import { requireCoordinator } from "~/web/guards.server";
import { answering, failure } from "~/web/respond.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Delete ${data?.organisation.name ?? "organisation"} · Demarche` }];

export const loader = /* @__PURE__ */ answering(async ({ request, params }: LoaderFunctionArgs) => {
  const db = getDb();
  await requireCoordinator(request, db);
  const organisation = await organisationOr404(db, params.id);
  const [signers, members] = await Promise.all([listSigners(db, organisation.id), countMembers(db, organisation.id)]);
  return { organisation, signerCount: signers.length, members };
});

export const action = /* @__PURE__ */ answering(async ({ request, params }: ActionFunctionArgs) => {
  const db = getDb();
  const user = await requireCoordinator(request, db);
  const org = await organisationOr404(db, params.id);
  const form = await request.formData();
  try {
    await deleteOrganisation(db, changeContext(user, clientIp(request)), org.id);
  } catch (error) {
    return failure(error, form);
  }
  return redirect("/organisations?deleted=1");
});

export default function DeleteOrganisation() {
  const { organisation: o, signerCount, members } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <section>
      <p className="breadcrumbs">
        <Link to="/">Home</Link> / <Link to="/organisations">Organisations</Link> / <Link to={`/organisations/${o.id}`}>{o.name}</Link> / Delete
      </p>
      <h1>Delete {o.name}?</h1>
      <ErrorList errors={actionData?.formErrors} />
      {members > 0 ? (
        <p className="flash warn" role="status">
          {members === 1 ? "One person's account belongs" : `${members} people's accounts belong`} to this organisation, so it cannot be
          deleted. Move those accounts to another organisation on the <Link to="/people">People</Link> page first.
        </p>
      ) : (
        <>
          <p>
            This removes the organisation
            {signerCount > 0 ? ` and its ${signerCount} ${signerCount === 1 ? "signer" : "signers"}` : ""}. It cannot be undone.
          </p>
          <Form method="post" className="toolbar">
            <button type="submit" className="danger">Delete {o.name}</button>
            <Link to={`/organisations/${o.id}`}>Cancel, keep it</Link>
          </Form>
        </>
      )}
    </section>
  );
}
