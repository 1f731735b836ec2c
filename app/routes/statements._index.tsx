import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { StatusBadge } from "~/components/statement-form";
import { listStatements } from "~/models/statement.server";
import { closeExpiredStatements, isListed } from "~/models/statement-lifecycle.server";
import { getDb } from "~/platform/db.server";
import { requireCoordinator } from "~/web/guards.server";

export const meta: MetaFunction = () => [{ title: "Statements · Demarche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const db = getDb();
  await requireCoordinator(request, db);
  // So the list never calls a statement "open" after its deadline, timer or not.
  await closeExpiredStatements(db);
  // The public page is linked where the public index lists the statement.
  return { statements: (await listStatements(db)).map((s) => ({ ...s, listed: isListed(s.status) })) };
}

export default function Statements() {
  const { statements } = useLoaderData<typeof loader>();
  return (
    <section>
      <p className="breadcrumbs"><Link to="/">Home</Link> / Statements</p>
      <h1>Statements</h1>
      {statements.length === 0 ? (
        <p className="empty">
          No statements yet. <Link to="/statements/new">Create the first statement</Link>.
        </p>
      ) : (
        <>
          <p><Link className="button" to="/statements/new">New statement</Link></p>
          <table>
            <thead>
              <tr><th>Title</th><th>Date</th><th>Status</th><th>Approved</th><th>Awaiting approval</th><th>Public page</th></tr>
            </thead>
            <tbody>
              {statements.map((s) => (
                <tr key={s.id}>
                  <td><Link to={`/statements/${s.slug}`}>{s.title}</Link>{s.author_name ? <div className="muted">{s.author_name}</div> : null}</td>
                  <td>{s.statement_date}</td>
                  <td><StatusBadge status={s.status} /></td>
                  <td>{s.approved}</td>
                  <td>{s.pending}</td>
                  <td>
                    {s.listed ? (
                      <a href={`/s/${s.slug}`} aria-label={`Public page of ${s.title}`}>/s/{s.slug}</a>
                    ) : (
                      <span className="muted">not public</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
