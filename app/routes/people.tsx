import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { ErrorList, Field, SelectField } from "~/components/forms";
import { listOpenInvitations, revokeInvitation } from "~/models/invitation.server";
import { changeRole, listUsers } from "~/models/user.server";
import { InviteSchema, RoleChangeSchema } from "~/schemas/auth.server";
import { getDb } from "~/platform/db.server";
import { formError, invalid } from "~/web/forms.server";
import { parseForm } from "~/schemas/form.server";
import { inviteAndNotify } from "~/workflows/invite.server";
import { clientIp } from "~/platform/session.server";
import { requireCoordinator } from "~/web/guards.server";
import { tamperedForm } from "~/web/respond.server";

export const meta: MetaFunction = () => [{ title: "People · Demarche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireCoordinator(request);
  const db = getDb();
  const [users, invitations, organisations] = await Promise.all([
    listUsers(db),
    listOpenInvitations(db),
    db.selectFrom("organisations").select(["id", "name"]).orderBy("name").execute(),
  ]);
  return { users, invitations, organisations };
}

export async function action({ request }: ActionFunctionArgs) {
  const db = getDb();
  const actor = await requireCoordinator(request, db);
  const form = await request.formData();
  const ip = clientIp(request);
  switch (form.get("intent")) {
    case "invite": {
      const parsed = parseForm(InviteSchema, form);
      if (!parsed.ok) return invalid(parsed);
      const result = await inviteAndNotify(db, actor, parsed.data, ip);
      if (!result.ok) {
        return result.field
          ? invalid({ errors: { [result.field]: [result.message] }, formErrors: [], values: Object.fromEntries([...form].map(([k, v]) => [k, String(v)])) })
          : formError(form, result.message, 502);
      }
      return redirect(`/people?invited=${encodeURIComponent(result.email)}`);
    }
    case "change-role": {
      const parsed = parseForm(RoleChangeSchema, form);
      // The role form sits in a table row; its message goes above the table.
      if (!parsed.ok) return formError(form, Object.values(parsed.errors).flat()[0] ?? parsed.formErrors[0] ?? "Check the role and organisation.");
      const result = await changeRole(db, actor, parsed.data, ip);
      if (!result.ok) return formError(form, result.message);
      return redirect("/people?role=changed");
    }
    case "revoke-invitation":
      await revokeInvitation(db, actor, Number(form.get("invitationId")), ip);
      return redirect("/people?invitation=revoked");
    default:
      throw tamperedForm();
  }
}

export default function People() {
  const { users, invitations, organisations } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const errors = actionData?.errors ?? {};
  const values = actionData?.values ?? {};
  const inviting = values.intent === "invite" || values.intent === undefined;
  const orgOptions = [{ value: "", label: "— none —" }, ...organisations.map((o) => ({ value: String(o.id), label: o.name }))];
  return (
    <section>
      <p className="breadcrumbs"><Link to="/">Home</Link> / People</p>
      <h1>People</h1>
      {params.get("invited") ? <p className="flash" role="status">Invitation sent to {params.get("invited")}.</p> : null}
      {params.get("role") ? <p className="flash" role="status">Role changed.</p> : null}
      {params.get("invitation") ? <p className="flash" role="status">Invitation withdrawn.</p> : null}
      {!inviting ? <ErrorList errors={actionData?.formErrors} /> : null}

      <table>
        <thead><tr><th>Name</th><th>Email</th><th>Organisation</th><th>Role</th></tr></thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id}>
              <td>{u.name}</td>
              <td>{u.email}</td>
              <td>{u.organisation_name ?? <span className="muted">—</span>}</td>
              <td>
                <Form method="post" className="toolbar">
                  <input type="hidden" name="intent" value="change-role" />
                  <input type="hidden" name="userId" value={u.id} />
                  <SelectField label={<span className="visually-hidden">Role of {u.name}</span>} name="role" defaultValue={u.role} options={[{ value: "coordinator", label: "Coordinator" }, { value: "member", label: "Member" }]} />
                  <SelectField label={<span className="visually-hidden">Organisation of {u.name}</span>} name="organisationId" defaultValue={u.organisation_id ? String(u.organisation_id) : ""} options={orgOptions} />
                  <button type="submit" className="secondary">Save</button>
                </Form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2 id="invite">Invite a colleague</h2>
      <p className="muted">Coordinators (the coalition secretariat) can do everything. Members are staff of one organisation: they work on its letters and recipient lists and can read the rest.</p>
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="intent" value="invite" />
        {inviting ? <ErrorList errors={actionData?.formErrors} /> : null}
        <Field label="Name" errors={inviting ? errors.name : undefined} inputProps={{ name: "name", defaultValue: inviting ? values.name : undefined, required: true }} />
        <Field label="Email" errors={inviting ? errors.email : undefined} inputProps={{ name: "email", type: "email", defaultValue: inviting ? values.email : undefined, required: true }} />
        <SelectField label="Role" name="role" errors={inviting ? errors.role : undefined} defaultValue={(inviting && values.role) || "member"} options={[{ value: "member", label: "Member (one organisation)" }, { value: "coordinator", label: "Coordinator (everything)" }]} />
        <SelectField label="Organisation" name="organisationId" errors={inviting ? errors.organisationId : undefined} defaultValue={inviting ? values.organisationId : ""} options={orgOptions} />
        <button type="submit" disabled={busy}>{busy ? "Sending…" : "Send invitation"}</button>
      </Form>

      <h2>Open invitations</h2>
      {invitations.length === 0 ? (
        <p className="empty">No open invitations.</p>
      ) : (
        <table>
          <thead><tr><th>Name</th><th>Email</th><th>Role</th><th>Organisation</th><th>Expires</th><th><span className="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {invitations.map((i) => (
              <tr key={i.id}>
                <td>{i.name}</td><td>{i.email}</td><td>{i.role}</td><td>{i.organisation_name ?? "—"}</td>
                <td>{i.expires_at.slice(0, 16).replace("T", " ")} UTC</td>
                <td>
                  <Form method="post">
                    <input type="hidden" name="intent" value="revoke-invitation" />
                    <input type="hidden" name="invitationId" value={i.id} />
                    <button type="submit" className="secondary" aria-label={`Withdraw invitation for ${i.email}`}>Withdraw</button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
