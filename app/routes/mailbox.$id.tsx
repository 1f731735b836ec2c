import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { findMailboxMessage, formatCapturedAt, linksInText } from "~/models/outbox/mailbox.server";
import { getDb } from "~/platform/db.server";
import { assertCanReadMailboxMessage } from "~/models/outbox/mailbox-access.server";
import { requireUser } from "~/web/guards.server";
import { answering } from "~/web/respond.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.message.subject ?? "Message"} · Mailbox · Demarche` }];

export const loader = /* @__PURE__ */ answering(async ({ request, params }: LoaderFunctionArgs) => {
  const db = getDb();
  const user = await requireUser(request, db);
  const id = Number(params.id);
  if (Number.isSafeInteger(id) && id > 0) await assertCanReadMailboxMessage(db, user, id);
  const message = Number.isSafeInteger(id) && id > 0 ? await findMailboxMessage(db, id) : null;
  if (!message) throw new Response("There is no such message in the Mailbox.", { status: 404 });
  // Links come from the text part: the HTML part sits in a sandbox where they cannot be followed.
  return { message, when: formatCapturedAt(message.captured_at), links: linksInText(message.text_body) };
});

function formatSize(bytes: number): string {
  return bytes < 1024 ? `${bytes} bytes` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1048576).toFixed(1)} MB`;
}

export default function MailboxMessage() {
  const { message, when, links } = useLoaderData<typeof loader>();
  const base = `/mailbox/${message.id}`;
  return (
    <section>
      <p className="breadcrumbs"><Link to="/">Home</Link> / <Link to="/mailbox">Mailbox</Link> / Message</p>
      <h1>{message.subject || "(no subject)"}</h1>
      <dl className="facts">
        <dt>From</dt><dd>{message.from_address}</dd>
        <dt>To</dt><dd>{message.to_addresses}</dd>
        {message.cc_addresses ? <><dt>Cc</dt><dd>{message.cc_addresses}</dd></> : null}
        {message.reply_to ? <><dt>Reply-To</dt><dd>{message.reply_to}</dd></> : null}
        <dt>Subject</dt><dd>{message.subject}</dd>
        <dt>Date</dt><dd><time dateTime={message.captured_at}>{when}</time></dd>
        <dt>Message-ID</dt><dd><code>{message.message_id}</code></dd>
      </dl>
      <p><a href={`${base}/raw`} download>Download .eml</a> (the complete message as it would have been sent)</p>

      {message.attachments.length > 0 ? (
        <>
          <h2>Attachments</h2>
          <ul>
            {message.attachments.map((a) => (
              <li key={a.id}>
                <a href={`${base}/attachments/${a.id}`} download>{a.filename}</a>{" "}
                <span className="muted">({a.content_type}, {formatSize(a.size)})</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <h2>Text part</h2>
      {message.text_body ? <pre className="wrap">{message.text_body}</pre> : <p className="muted">This message has no text part.</p>}
      {links.length > 0 ? (
        <>
          <h3>Links in this message</h3>
          <ul data-testid="mailbox-links">
            {links.map((href) => <li key={href}><a href={href} rel="noreferrer">{href}</a></li>)}
          </ul>
        </>
      ) : null}

      <h2>HTML part</h2>
      {message.html_body ? (
        <>
          {/* sandbox="" : no scripts, no forms, no same-origin access to this page or its cookies. */}
          <iframe className="mail-html" title="HTML part of the message" sandbox="" srcDoc={message.html_body} />
          <details>
            <summary>Show the HTML source</summary>
            <pre className="wrap">{message.html_body}</pre>
          </details>
        </>
      ) : (
        <p className="muted">This message has no HTML part.</p>
      )}

      <p><Link to="/mailbox">Back to the Mailbox</Link></p>
    </section>
  );
}
