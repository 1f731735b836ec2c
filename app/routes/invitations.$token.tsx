import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Field } from "~/components/forms";
import { acceptInvitation, findUsableInvitation } from "~/models/invitation.server";
import { AcceptInvitationSchema } from "~/schemas/auth.server";
import { getDb } from "~/platform/db.server";
import { invalid } from "~/web/forms.server";
import { parseForm } from "~/schemas/form.server";
import { clientIp, startSession } from "~/platform/session.server";

export const meta: MetaFunction = () => [{ title: "Accept invitation · Demarche" }];

const GONE = "This invitation link can no longer be used: it has expired, was already used, or was withdrawn. Ask a coordinator for a new one.";

export async function loader({ params }: LoaderFunctionArgs) {
  const invitation = await findUsableInvitation(getDb(), params.token ?? "");
  if (!invitation) throw new Response(GONE, { status: 410, statusText: "Gone" });
  return { name: invitation.name, email: invitation.email, role: invitation.role, organisation: invitation.organisation_name, expiresAt: invitation.expires_at };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const db = getDb();
  const form = await request.formData();
  const parsed = parseForm(AcceptInvitationSchema, form);
  if (!parsed.ok) return invalid(parsed);
  const user = await acceptInvitation(db, params.token ?? "", parsed.data.newPassword, clientIp(request));
  if (!user) throw new Response(GONE, { status: 410, statusText: "Gone" });
  const setCookie = await startSession(db, request, user.id);
  return redirect("/?welcome=1", { headers: { "Set-Cookie": setCookie } });
}

export default function AcceptInvitation() {
  const invitation = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors ?? {};
  return (
    <section>
      <h1>Welcome to Demarche, {invitation.name}</h1>
      <p>
        You are invited as a <strong>{invitation.role}</strong>
        {invitation.organisation ? <> for <strong>{invitation.organisation}</strong></> : null}. Your sign-in email will be{" "}
        <strong>{invitation.email}</strong>. Choose a password to finish.
      </p>
      <Form method="post" className="stack" noValidate>
        <input type="text" name="username" autoComplete="username" defaultValue={invitation.email} hidden readOnly />
        <Field label="Password" hint="At least 12 characters." errors={errors.newPassword} inputProps={{ name: "newPassword", type: "password", autoComplete: "new-password", autoFocus: true }} />
        <Field label="Repeat password" errors={errors.confirmPassword} inputProps={{ name: "confirmPassword", type: "password", autoComplete: "new-password" }} />
        <button type="submit">Create my account</button>
      </Form>
      <p><Link to="/">Back to the start page</Link></p>
    </section>
  );
}
