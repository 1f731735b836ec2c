import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { Field, ErrorList } from "~/components/forms";
import { LoginSchema } from "~/schemas/auth.server";
import { getDb } from "~/platform/db.server";
import { formError, invalid } from "~/web/forms.server";
import { parseForm } from "~/schemas/form.server";
import { logIn, safeRedirect } from "~/workflows/login.server";
import { clientIp, getSessionUser } from "~/platform/session.server";

export const meta: MetaFunction = () => [{ title: "Sign in · Demarche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getSessionUser(request)) throw redirect("/");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const parsed = parseForm(LoginSchema, form);
  if (!parsed.ok) return invalid(parsed);
  const result = await logIn(getDb(), request, parsed.data.email, parsed.data.password, clientIp(request));
  if (!result.ok) return formError(form, result.message, result.status);
  return redirect(safeRedirect(parsed.data.redirectTo), { headers: { "Set-Cookie": result.setCookie } });
}

export default function Login() {
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const errors = actionData?.errors ?? {};
  return (
    <section>
      <h1>Sign in</h1>
      <Form method="post" className="stack" noValidate>
        <ErrorList errors={actionData?.formErrors} />
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/"} />
        <Field label="Email" errors={errors.email} inputProps={{ name: "email", type: "email", autoComplete: "username", required: true, autoFocus: true, defaultValue: actionData?.values?.email }} />
        <Field label="Password" errors={errors.password} inputProps={{ name: "password", type: "password", autoComplete: "current-password", required: true }} />
        <button type="submit" disabled={busy}>{busy ? "Signing in…" : "Sign in"}</button>
      </Form>
      <p className="muted">Accounts are by invitation from a coalition coordinator. <Link to="/">Back to the start page</Link></p>
    </section>
  );
}
