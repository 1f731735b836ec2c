import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listMailboxFor } from "~/models/outbox/mailbox-access.server";
import { formatCapturedAt, parsePage } from "~/models/outbox/mailbox.server";
import { getDb } from "~/platform/db.server";
import { loadEnv } from "~/platform/env.server";
import { requireUser } from "~/web/guards.server";
import { isCoordinator } from "~/models/permissions.server";

export const meta: MetaFunction = () => [{ title: "Mailbox · Demarche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const db = getDb();
  // Members see their own organisation's letters and tests here; coordinators, everything.
  const user = await requireUser(request, db);
  const page = parsePage(new URL(request.url).searchParams.get("page"));
  const mailbox = await listMailboxFor(db, user, { page });
  const messages = mailbox.messages.map((m) => ({ ...m, when: formatCapturedAt(m.captured_at) }));
  return { ...mailbox, messages, mailMode: loadEnv().mailMode, ownOnly: !isCoordinator(user) };
}

export default function Mailbox() {
  const { messages, total, page, pageCount, mailMode, ownOnly } = useLoaderData<typeof loader>();
  return (
    <section>
      <p className="breadcrumbs"><Link to="/">Home</Link> / Mailbox</p>
      <h1>Mailbox</h1>
      {ownOnly ? <p className="muted">The messages your organisation's letters and tests produced. Other mail of the platform is visible to coordinators only.</p> : null}
      {mailMode === "sandbox" ? (
        <p className="flash" data-testid="mailbox-mode">
          <strong>Sandbox mode.</strong> No SMTP server is configured, so every email the app sends is captured here
          and never leaves this machine.
        </p>
      ) : (
        <p className="flash warn" data-testid="mailbox-mode">
          <strong>SMTP mode.</strong> Email is being delivered for real. The Mailbox only holds mail captured while the
          app ran in sandbox mode; messages sent now do not appear here.
        </p>
      )}
      {total === 0 ? (
        <p className="empty">
          Nothing has been sent yet. While no SMTP server is configured, every email the app sends is captured here and
          never leaves this machine.
        </p>
      ) : (
        <>
          <p className="muted">{total === 1 ? "1 message" : `${total} messages`}, newest first.</p>
          <table>
            <thead>
              <tr><th scope="col">When</th><th scope="col">From</th><th scope="col">To</th><th scope="col">Subject</th><th scope="col">Attachments</th></tr>
            </thead>
            <tbody>
              {messages.map((m) => (
                <tr key={m.id}>
                  <td><time dateTime={m.captured_at}>{m.when}</time></td>
                  <td>{m.from_address}</td>
                  <td>{m.to_addresses}</td>
                  <td><Link to={`/mailbox/${m.id}`}>{m.subject || "(no subject)"}</Link></td>
                  <td>{m.attachment_count || ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {pageCount > 1 ? (
            <nav className="toolbar" aria-label="Pages">
              {page > 1 ? <Link to={`?page=${page - 1}`}>Newer</Link> : null}
              <span className="muted">Page {page} of {pageCount}</span>
              {page < pageCount ? <Link to={`?page=${page + 1}`}>Older</Link> : null}
            </nav>
          ) : null}
        </>
      )}
    </section>
  );
}
