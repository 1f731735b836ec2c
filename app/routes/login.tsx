import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useEffect } from "react";
import { Field, ErrorList } from "~/components/forms";
import { SIGN_IN_LINK_MINUTES } from "~/models/sign-in-link.server";
import { LoginSchema, SignInLinkRequestSchema } from "~/schemas/auth.server";
import { getDb } from "~/platform/db.server";
import { formError, invalid } from "~/web/forms.server";
import { parseForm } from "~/schemas/form.server";
import { logIn, safeRedirect } from "~/workflows/login.server";
import { requestSignInLink } from "~/workflows/sign-in-link.server";
import { clientIp, getSessionUser } from "~/platform/session.server";

export const meta: MetaFunction = () => [{ title: "Sign in · Demarche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getSessionUser(request)) throw redirect("/");
  return { linkMinutes: SIGN_IN_LINK_MINUTES };
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  if (form.get("intent") === "link") return askForLink(form, clientIp(request));
  const parsed = parseForm(LoginSchema, form);
  if (!parsed.ok) return invalid(parsed);
  const result = await logIn(getDb(), request, parsed.data.email, parsed.data.password, clientIp(request));
  if (!result.ok) return formError(form, result.message, result.status);
  return redirect(safeRedirect(parsed.data.redirectTo), { headers: { "Set-Cookie": result.setCookie } });
}

/** The second form: the same answer whether or not the address has an account. */
async function askForLink(form: FormData, ip: string | null) {
  const parsed = parseForm(SignInLinkRequestSchema, form);
  if (!parsed.ok) return invalid(parsed);
  const result = await requestSignInLink(getDb(), parsed.data.email, ip);
  if (!result.ok) return formError(form, result.message, result.status);
  // Answered in place, not redirected, so the address stays out of URLs and logs.
  return data({ ok: true as const, linkSent: result.message, values: { intent: "link", email: parsed.data.email } });
}

const EMAIL_ID = "sign-in-email";
const LINK_EMAIL_ID = "sign-in-link-email";

export default function Login() {
  const { linkMinutes } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" ? (navigation.formData?.get("intent") === "link" ? "link" : "password") : null;
  // Which of the two forms the answer belongs to.
  const forLink = actionData?.values?.intent === "link";
  const failure = actionData && !actionData.ok ? actionData : null;
  const linkSent = actionData?.ok ? actionData.linkSent : null;
  // One address for both forms, so asking for a link keeps what was typed above. The
  // fields stay uncontrolled: what was typed before the page's script loaded is kept
  // (a controlled field would be reset to its state when the script takes over), and
  // each copies itself into the other as the person types.
  const mirror = (otherId: string) => (e: { currentTarget: HTMLInputElement }) => {
    const other = document.getElementById(otherId) as HTMLInputElement | null;
    if (other) other.value = e.currentTarget.value;
  };
  useEffect(() => {
    const main = document.getElementById(EMAIL_ID) as HTMLInputElement | null;
    const link = document.getElementById(LINK_EMAIL_ID) as HTMLInputElement | null;
    if (main && link && main.value && !link.value) link.value = main.value;
  }, []);
  const emailProps = { name: "email", type: "email", required: true, defaultValue: actionData?.values?.email ?? "" };
  return (
    <section>
      <h1>Sign in</h1>
      <Form method="post" className="stack" noValidate>
        <ErrorList errors={forLink ? null : failure?.formErrors} />
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/"} />
        <Field label="Email" errors={forLink ? undefined : failure?.errors.email} inputProps={{ ...emailProps, id: EMAIL_ID, onChange: mirror(LINK_EMAIL_ID), autoComplete: "username", autoFocus: true }} />
        <Field label="Password" errors={forLink ? undefined : failure?.errors.password} inputProps={{ name: "password", type: "password", autoComplete: "current-password", required: true }} />
        <button type="submit" disabled={busy === "password"}>{busy === "password" ? "Signing in…" : "Sign in"}</button>
      </Form>
      <section aria-labelledby="sign-in-link-heading">
        <h2 id="sign-in-link-heading">Or sign in with a one-time link</h2>
        <p className="muted">Forgot your password, or is sign-in paused? We email you a link that signs you in once, within {linkMinutes} minutes.</p>
        {linkSent ? <p className="flash" role="status">{linkSent}</p> : null}
        <Form method="post" className="stack" noValidate>
          <ErrorList errors={forLink ? failure?.formErrors : null} />
          <input type="hidden" name="intent" value="link" />
          <Field label="Send the link to" errors={forLink ? failure?.errors.email : undefined} inputProps={{ ...emailProps, id: LINK_EMAIL_ID, onChange: mirror(EMAIL_ID), autoComplete: "email" }} />
          <button type="submit" disabled={busy === "link"}>{busy === "link" ? "Sending…" : "Email me a sign-in link"}</button>
        </Form>
      </section>
      <p className="muted">Accounts are by invitation from a coalition coordinator. <Link to="/">Back to the start page</Link></p>
    </section>
  );
}
