import { type ActionFunctionArgs, data, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { findUsableSignInLink, SIGN_IN_LINK_MINUTES } from "~/models/sign-in-link.server";
import { getDb } from "~/platform/db.server";
import { clientIp } from "~/platform/session.server";
import { signInWithLink } from "~/workflows/sign-in-link.server";

// The token is in the URL; the site-wide Referrer-Policy (same-origin) already keeps it
// from other sites. "no-referrer" here would make browsers send "Origin: null" with the
// form's POST, which the cross-site check rightly refuses.
export const meta: MetaFunction = () => [{ title: "Sign in by link · Demarche" }];

// The page names the account: no cache keeps it.
const NO_STORE = { "Cache-Control": "no-store" };
export const headers: HeadersFunction = () => NO_STORE;

const gone = () => data({ usable: false as const, email: null, minutes: SIGN_IN_LINK_MINUTES }, { status: 410 });

// Opening the link only shows a button: mail scanners that fetch every link in a
// message must not use it up before its owner does.
export async function loader({ params }: LoaderFunctionArgs) {
  const link = await findUsableSignInLink(getDb(), params.token ?? "");
  if (!link) return gone();
  return { usable: true as const, email: link.email, minutes: SIGN_IN_LINK_MINUTES };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const result = await signInWithLink(getDb(), request, params.token ?? "", clientIp(request));
  if (!result.ok) return gone();
  return redirect("/", { headers: { "Set-Cookie": result.setCookie } });
}

export default function SignInByLink() {
  const loaded = useLoaderData<typeof loader>();
  const acted = useActionData<typeof action>();
  if (!loaded.usable || acted?.usable === false) {
    return (
      <section>
        <h1>This sign-in link cannot be used</h1>
        <p>It has expired or it was already used: each link signs you in once, within {loaded.minutes} minutes of being sent.</p>
        <p><Link to="/login">Back to sign in</Link>, where you can ask for a new link.</p>
      </section>
    );
  }
  return (
    <section>
      <h1>Sign in to Demarche</h1>
      <p>You are signing in as <strong>{loaded.email}</strong>.</p>
      <Form method="post">
        <button type="submit" autoFocus>Sign in</button>
      </Form>
      <p className="muted">Not you, or did not ask for this link? Close this page: nothing happens unless you press the button.</p>
    </section>
  );
}
