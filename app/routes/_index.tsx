import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getSessionUser } from "~/services/session.server";
import { getDb } from "~/services/db.server";
import { statesPartiesOn } from "~/models/country.server";
import { listPublicStatements } from "~/models/public-statement.server";

export const meta: MetaFunction = () => [{ title: "Demarche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const db = getDb();
  const user = await getSessionUser(request, db);
  const welcome = new URL(request.url).searchParams.has("welcome");
  const today = new Date().toISOString().slice(0, 10);
  const [parties, statements] = await Promise.all([statesPartiesOn(db, today), listPublicStatements(db)]);
  return { user, welcome, today, statesParties: parties.length, statements };
}

export default function Index() {
  const { user, welcome, today, statesParties, statements } = useLoaderData<typeof loader>();
  return (
    <section>
      {welcome && user ? <p className="flash" role="status">Welcome, {user.name}. Your account is ready.</p> : null}
      <h1>Demarche</h1>
      <p className="lead">
        Joint statements, sign-on, cover letters to governments and outreach tracking for coalitions of
        human-rights organisations.
      </p>

      <h2>Joint statements</h2>
      {statements.length === 0 ? (
        <p className="empty">No statement is open for signing or published yet.</p>
      ) : (
        <ul className="cards">
          {statements.map((s) => (
            <li key={s.slug}>
              <Link to={`/s/${s.slug}`} reloadDocument>{s.title}</Link>
              <div className="muted">
                {s.date} · {s.status === "open" ? "open for signatures" : "published"} · {s.signatoryCount} signatories
              </div>
            </li>
          ))}
        </ul>
      )}

      <p>
        The Rome Statute has <strong>{statesParties}</strong> states parties today ({today}).{" "}
        <Link to="/countries">Browse the countries</Link>.
      </p>
      {user ? (
        <ul className="cards">
          <li><Link to="/organisations">Organisations and signers</Link></li>
          {user.role === "coordinator" ? <li><Link to="/statements">Manage statements and sign-ons</Link></li> : null}
          {user.role === "coordinator" ? <li><Link to="/people">People and invitations</Link></li> : null}
          {user.role === "coordinator" ? <li><Link to="/mailbox">Mailbox (captured mail)</Link></li> : null}
          <li><Link to="/account">Your account and API tokens</Link></li>
        </ul>
      ) : (
        <p><Link to="/login">Sign in</Link> to work on a campaign.</p>
      )}
    </section>
  );
}
