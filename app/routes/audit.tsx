import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listAudit } from "~/models/audit.server";
import { getDb } from "~/platform/db.server";
import { requireCoordinator } from "~/web/guards.server";

export const meta: MetaFunction = () => [{ title: "Audit log · Demarche" }];
const PAGE = 100;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireCoordinator(request);
  const before = Number(new URL(request.url).searchParams.get("before")) || undefined;
  const entries = await listAudit(getDb(), { limit: PAGE, before });
  return { entries, next: entries.length === PAGE ? entries[entries.length - 1].id : null };
}

export default function Audit() {
  const { entries, next } = useLoaderData<typeof loader>();
  return (
    <section>
      <p className="breadcrumbs"><Link to="/">Home</Link> / Audit log</p>
      <h1>Audit log</h1>
      <p className="muted">Who did what, newest first. Entries cannot be edited.</p>
      {entries.length === 0 ? (
        <p className="empty">Nothing recorded yet.</p>
      ) : (
        // Focusable: on a phone this table scrolls sideways and holds no link to reach it by.
        <table tabIndex={0} aria-label="Audit log entries">
          <thead><tr><th>When (UTC)</th><th>Who</th><th>What</th><th>Subject</th><th>Details</th><th>From</th></tr></thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id}>
                <td>{e.at.slice(0, 19).replace("T", " ")}</td>
                <td>{e.actor_email ?? <span className="muted">system / anonymous</span>}</td>
                <td><code>{e.action}</code></td>
                <td>{e.subject_type ? `${e.subject_type} ${e.subject_id ?? ""}` : ""}</td>
                <td><code className="wrap">{e.detail}</code></td>
                <td>{e.ip}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next ? <p><Link to={`/audit?before=${next}`}>Older entries</Link></p> : null}
    </section>
  );
}
