// /received: mail that came back and matched none of our letters (a stranger's message,
// a reply to a letter sent outside Demarche). A coordinator opens each one and attaches
// it to the (statement, state) it is about, or discards it. Coordinators only: such mail
// can hold anyone's personal data.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { dayInWords, timeInWords } from "~/lib/time-in-words";
import { unmatchedQueue } from "~/models/inbound/messages.server";
import { getDb } from "~/platform/db.server";
import { loadEnv } from "~/platform/env.server";
import { requireCoordinator } from "~/web/guards.server";
import { answering } from "~/web/respond.server";

export const meta: MetaFunction = () => [{ title: "Mail received · Demarche" }];

const PAGE = 50;

export const loader = /* @__PURE__ */ answering(async ({ request }: LoaderFunctionArgs) => {
  const db = getDb();
  const user = await requireCoordinator(request, db);
  const page = Math.max(1, Math.min(10_000, Number(new URL(request.url).searchParams.get("page")) || 1));
  const queue = await unmatchedQueue(db, user, { limit: PAGE, offset: (page - 1) * PAGE });
  const imap = loadEnv().imap;
  return { ...queue, page, pages: Math.max(1, Math.ceil(queue.total / PAGE)), reading: imap ? imap.label : null };
});

export default function ReceivedMail() {
  const { rows, total, page, pages, reading } = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  const flash = search.get("done");
  return (
    <section>
      <p className="breadcrumbs"><Link to="/">Home</Link> / Mail received</p>
      <h1>Mail received that matched no letter</h1>
      {flash ? <p className="flash" role="status">{flash === "attached" ? "Attached: it now counts as that state's reply." : "Discarded: it is out of the queue (the audit log keeps it)."}</p> : null}
      <p className="muted">
        {reading ? <>Demarche reads <code>{reading}</code>. </> : <>No mailbox is read (set <code>IMAP_URL</code>, see the README). </>}
        Bounces, delivery reports and replies that cite one of our letters are matched by themselves and shown on the outbox and the states' pages; the rest waits here.
      </p>
      {total === 0 ? <p className="empty">Nothing waiting: every message that came back was matched to a letter.</p> : (
        <>
          <p>{total} {total === 1 ? "message waits" : "messages wait"} for a coordinator.</p>
          <table className="list">
            <thead><tr><th scope="col">Received</th><th scope="col">From</th><th scope="col">Subject</th><th scope="col">Beginning</th></tr></thead>
            <tbody>
              {rows.map((m) => (
                <tr key={m.id}>
                  <td><time dateTime={m.received_at} title={timeInWords(m.received_at)}>{dayInWords(m.received_at.slice(0, 10))}</time></td>
                  <td><bdi>{m.from_name ? `${m.from_name} <${m.from_address ?? ""}>` : m.from_address ?? "(no sender)"}</bdi></td>
                  <td><Link to={`/received/${m.id}`}><bdi>{m.subject || "(no subject)"}</bdi></Link>{m.kind === "reply" ? <> <span className="badge">reply to an unknown letter</span></> : null}</td>
                  <td className="muted"><bdi>{m.excerpt ?? ""}</bdi></td>
                </tr>
              ))}
            </tbody>
          </table>
          {pages > 1 ? (
            <p className="toolbar">
              {page > 1 ? <Link to={`?page=${page - 1}`}>Newer</Link> : null}
              <span>Page {page} of {pages}</span>
              {page < pages ? <Link to={`?page=${page + 1}`}>Older</Link> : null}
            </p>
          ) : null}
        </>
      )}
      <p><Link to="/outbox">The outbox</Link> shows what came back for each message we sent.</p>
    </section>
  );
}
