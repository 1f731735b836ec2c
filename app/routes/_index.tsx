import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getSessionUser } from "~/platform/session.server";
import { getDb } from "~/platform/db.server";
import { statesPartiesOn } from "~/models/country.server";
import { overdueFollowUps } from "~/models/outreach.server";
import { listDispatches } from "~/models/outbox/messages.server";
import { listPublicStatements } from "~/models/public-statement.server";
import { isCoordinator } from "~/models/permissions.server";

export const meta: MetaFunction = () => [{ title: "Demarche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const db = getDb();
  const user = await getSessionUser(request, db);
  const welcome = new URL(request.url).searchParams.has("welcome");
  const today = new Date().toISOString().slice(0, 10);
  const coordinator = user !== null && isCoordinator(user);
  const [parties, statements, followUps, uncertain, failed] = await Promise.all([
    statesPartiesOn(db, today),
    listPublicStatements(db),
    // Coordinators follow up everything; a member, what their organisation logged.
    coordinator ? overdueFollowUps(db, today)
      : user?.organisation_id ? overdueFollowUps(db, today, 100, user.organisation_id) : Promise.resolve(null),
    // Letters that need a person: the worker will not decide these alone (ADR 0009).
    user ? listDispatches(db, user, { status: "uncertain", kind: "letter", limit: 20 }) : Promise.resolve([]),
    user ? listDispatches(db, user, { status: "failed", kind: "letter", limit: 20 }) : Promise.resolve([]),
  ]);
  const needYou = [...uncertain, ...failed].map((d) => ({
    id: d.id, letterId: d.letter_id, country: d.country_name, organisation: d.organisation_name, status: d.status, reason: d.last_error ?? "",
  }));
  return { user, coordinator, welcome, today, statesParties: parties.length, statements, followUps, needYou };
}

export default function Index() {
  const { user, coordinator, welcome, today, statesParties, statements, followUps, needYou } = useLoaderData<typeof loader>();
  return (
    <section>
      {welcome && user ? <p className="flash" role="status">Welcome, {user.name}. Your account is ready.</p> : null}
      <h1>Demarche</h1>
      <p className="lead">
        Joint statements, sign-on, cover letters to governments and outreach tracking for coalitions of
        human-rights organisations.
      </p>

      {needYou.length > 0 ? (
        <>
          <h2 id="messages-need-you">Letters that need you</h2>
          <ul className="cards">
            {needYou.map((m) => (
              <li key={m.id} data-dispatch={m.id}>
                <span className={m.status === "failed" ? "badge bad" : "badge warn"}>{m.status}</span>{" "}
                {m.letterId ? <Link to={`/letters/${m.letterId}`}>Letter to {m.country}</Link> : <>Letter to {m.country}</>}
                <span className="muted"> · {m.organisation}</span>
                <div className="muted"><bdi>{m.reason}</bdi></div>
              </li>
            ))}
          </ul>
          <p><Link to="/outbox">Open the outbox</Link></p>
        </>
      ) : null}

      {followUps ? (
        <>
          <h2 id="follow-ups">{coordinator ? "Follow-ups due" : "Your organisation's follow-ups due"}</h2>
          {followUps.length === 0 ? (
            <p className="empty">No follow-up is due. Follow-ups added on a state's outreach page appear here on their due date.</p>
          ) : (
            <table>
              <thead><tr><th scope="col">Due</th><th scope="col">State</th><th scope="col">Statement</th><th scope="col">What to do</th></tr></thead>
              <tbody>
                {followUps.map((f) => (
                  <tr key={f.id} data-follow-up={f.id}>
                    <td><span className="badge bad">{f.dueOn}</span></td>
                    <td><Link to={`/statements/${f.statementSlug}/outreach/${f.countryCode}`}>{f.countryName}</Link></td>
                    <td><Link to={`/statements/${f.statementSlug}/outreach`}>{f.statementTitle}</Link></td>
                    <td><bdi>{f.summary}</bdi>{f.organisation ? <div className="muted">{f.organisation}</div> : null}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      ) : null}

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
              {user ? <Link to={`/statements/${s.slug}/outreach`}>Outreach board</Link> : null}
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
          {coordinator ? <li><Link to="/statements">Manage statements and sign-ons</Link></li> : null}
          {coordinator ? <li><Link to="/people">People and invitations</Link></li> : null}
          {coordinator ? <li><Link to="/mailbox">Mailbox (captured mail)</Link></li> : null}
          <li><Link to="/account">Your account and API tokens</Link></li>
        </ul>
      ) : (
        <p><Link to="/login">Sign in</Link> to work on a campaign.</p>
      )}
    </section>
  );
}
