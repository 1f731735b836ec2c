import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { ErrorList, Field } from "~/components/forms";
import { IntentButton } from "~/components/intent-button";
import { changeContext } from "~/models/audit.server";
import { moveSchema, organisationOr404, signerIdSchema, signerSchema } from "~/models/organisation.server";
import { addSigner, listSigners, moveSigner, removeSigner } from "~/models/signer.server";
import { getDb } from "~/platform/db.server";
import { invalid } from "~/web/forms.server";
import { parseForm } from "~/schemas/form.server";
import { clientIp } from "~/platform/session.server";
import { acronymToAdd } from "~/lib/organisation-name";
import { editableOrganisationOr403, requireUser } from "~/web/guards.server";
import { canActForOrganisation, isCoordinator } from "~/models/permissions.server";
import { answering, tamperedForm } from "~/web/respond.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.organisation.name ?? "Organisation"} · Demarche` }];

export const loader = /* @__PURE__ */ answering(async ({ request, params }: LoaderFunctionArgs) => {
  const db = getDb();
  const user = await requireUser(request, db);
  const organisation = await organisationOr404(db, params.id);
  const signers = await listSigners(db, organisation.id);
  return { organisation, signers, canEdit: canActForOrganisation(user, organisation.id), canDelete: isCoordinator(user) };
});

export const action = /* @__PURE__ */ answering(async ({ request, params }: ActionFunctionArgs) => {
  const db = getDb();
  const user = await requireUser(request, db);
  const org = await editableOrganisationOr403(db, user, params.id);
  const ctx = changeContext(user, clientIp(request));
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "add-signer") {
    const parsed = parseForm(signerSchema, form);
    if (!parsed.ok) return invalid(parsed);
    await addSigner(db, ctx, org.id, parsed.data);
    return redirect(`/organisations/${org.id}?signer=added`);
  }
  if (intent === "move-signer") {
    const parsed = parseForm(moveSchema, form);
    if (!parsed.ok) throw tamperedForm();
    await moveSigner(db, ctx, org.id, parsed.data.signerId, parsed.data.direction);
    return redirect(`/organisations/${org.id}?signer=moved`);
  }
  if (intent === "remove-signer") {
    const parsed = parseForm(signerIdSchema, form);
    if (!parsed.ok) throw tamperedForm();
    await removeSigner(db, ctx, org.id, parsed.data.signerId);
    return redirect(`/organisations/${org.id}?signer=removed`);
  }
  throw tamperedForm();
});

const FLASH: Record<string, string> = {
  created: "Organisation created.",
  saved: "Changes saved.",
  added: "Signer added.",
  updated: "Signer saved.",
  moved: "Order of signers saved.",
  removed: "Signer removed.",
};

export default function OrganisationPage() {
  const { organisation: o, signers, canEdit, canDelete } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const flash = params.get("created") ? FLASH.created : params.get("saved") ? FLASH.saved : FLASH[params.get("signer") ?? ""];
  const errors = actionData?.errors ?? {};
  const values = actionData?.values ?? {};
  return (
    <section>
      <p className="breadcrumbs"><Link to="/">Home</Link> / <Link to="/organisations">Organisations</Link> / {o.name}</p>
      <h1>{o.name}{acronymToAdd(o.name, o.acronym) ? <span className="muted"> ({o.acronym})</span> : null}</h1>
      {flash ? <p className="flash" role="status">{flash}</p> : null}
      {canEdit || canDelete ? (
        <p className="toolbar">
          {canEdit ? <Link className="button secondary" to={`/organisations/${o.id}/edit`}>Edit details</Link> : null}
          {canDelete ? <Link to={`/organisations/${o.id}/delete`}>Delete organisation…</Link> : null}
        </p>
      ) : null}

      <dl className="facts">
        <dt>Country</dt><dd>{o.country_name ?? o.country_code ?? <span className="muted">not set</span>}</dd>
        <dt>City</dt><dd>{o.city ?? <span className="muted">not set</span>}</dd>
        <dt>Postal address</dt><dd style={{ whiteSpace: "pre-line" }}>{o.postal_address ?? <span className="muted">not set</span>}</dd>
        <dt>Website</dt><dd>{o.website ? <WebsiteLink url={o.website} /> : <span className="muted">not set</span>}</dd>
        <dt>Contact email</dt><dd>{o.contact_email ? <a href={`mailto:${o.contact_email}`}>{o.contact_email}</a> : <span className="muted">not set</span>}</dd>
      </dl>

      <h2 id="signers">People who sign letters</h2>
      {signers.length === 0 ? (
        <p className="empty">{canEdit ? "No signers yet — add the people who sign letters below." : "No signers yet."}</p>
      ) : (
        <table>
          <thead>
            <tr><th>#</th><th>Name</th><th>Title</th>{canEdit ? <th><span className="visually-hidden">Actions</span></th> : null}</tr>
          </thead>
          <tbody>
            {signers.map((s, i) => (
              <tr key={s.id}>
                <td>{i + 1}</td>
                <td>{s.name}</td>
                <td>{s.title}</td>
                {canEdit ? (
                  <td>
                    <div className="row-actions">
                    <Link to={`/organisations/${o.id}/signers/${s.id}`} aria-label={`Edit ${s.name}`}>Edit</Link>
                    <IntentButton intent="move-signer" fields={{ signerId: s.id, direction: "up" }} disabled={i === 0} label={`Move ${s.name} up`} className="secondary">↑ Up</IntentButton>
                    <IntentButton intent="move-signer" fields={{ signerId: s.id, direction: "down" }} disabled={i === signers.length - 1} label={`Move ${s.name} down`} className="secondary">↓ Down</IntentButton>
                    <IntentButton intent="remove-signer" fields={{ signerId: s.id }} label={`Remove ${s.name}`} className="secondary">Remove</IntentButton>
                    </div>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {canEdit ? (
        <>
          <h2 id="add-signer">Add a signer</h2>
          <Form method="post" className="stack" noValidate>
            <input type="hidden" name="intent" value="add-signer" />
            <ErrorList errors={actionData?.formErrors} />
            <Field label="Name" errors={errors.name} inputProps={{ name: "name", defaultValue: values.name, required: true }} />
            <Field label="Title" hint="e.g. Secretary-General" errors={errors.title} inputProps={{ name: "title", defaultValue: values.title, required: true }} />
            <button type="submit">Add signer</button>
          </Form>
        </>
      ) : null}
    </section>
  );
}

// Only http(s) becomes a link: an address that slipped past the form (a "javascript:"
// written by some other path) is shown as text, never made clickable.
function WebsiteLink({ url }: { url: string }) {
  return /^https?:\/\//i.test(url) ? <a href={url} rel="noopener noreferrer">{url}</a> : <>{url}</>;
}
