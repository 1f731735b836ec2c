import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getSessionUser } from "~/services/session.server";
import { getDb } from "~/services/db.server";
import { statesPartiesOn } from "~/models/country.server";

export const meta: MetaFunction = () => [{ title: "Demarche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getSessionUser(request);
  const welcome = new URL(request.url).searchParams.has("welcome");
  const today = new Date().toISOString().slice(0, 10);
  const parties = await statesPartiesOn(getDb(), today);
  return { user, welcome, today, statesParties: parties.length };
}

export default function Index() {
  const { user, welcome, today, statesParties } = useLoaderData<typeof loader>();
  return (
    <section>
      {welcome && user ? <p className="flash" role="status">Welcome, {user.name}. Your account is ready.</p> : null}
      <h1>Demarche</h1>
      <p className="lead">
        Joint statements, sign-on, cover letters to governments and outreach tracking for coalitions of
        human-rights organisations.
      </p>
      <p>
        The Rome Statute has <strong>{statesParties}</strong> states parties today ({today}).{" "}
        <Link to="/countries">Browse the countries</Link>.
      </p>
      {user ? (
        <ul className="cards">
          <li><Link to="/organisations">Organisations and signers</Link></li>
          {user.role === "coordinator" ? <li><Link to="/people">People and invitations</Link></li> : null}
          {user.role === "coordinator" ? <li><Link to="/mailbox">Mailbox (captured mail)</Link></li> : null}
          <li><Link to="/account">Your account and API tokens</Link></li>
        </ul>
      ) : (
        <p><Link to="/login">Sign in</Link> to work on a campaign.</p>
      )}
      <h2>Coming next</h2>
      <p className="muted">Statements and sign-on, per-country recipient lists and cover letters, sending and outreach tracking.</p>
    </section>
  );
}
