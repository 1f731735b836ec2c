// One entry of a state's outreach timeline: a letter, a message that carried one (with
// what came back about its delivery), an automatic answer, or an event logged by a
// person or read from the mailbox.
import { Form, Link } from "@remix-run/react";
import { dayInWords, timeInWords } from "~/lib/time-in-words";
import type { TimelineItem } from "~/models/outreach-timeline.server";

const DELIVERY: Record<string, string> = {
  delivered: "delivered", delayed: "delivery delayed", "soft-bounced": "bounced for now (the server will retry)", bounced: "bounced: the address refused it",
};

const DISPATCH_STATUS: Record<string, string> = {
  queued: "queued", sending: "being sent", sent: "sent", failed: "failed", uncertain: "uncertain: handed to the mail server when the app stopped; a person must confirm", cancelled: "cancelled",
};

export function TimelineEntry({ item, base, canLog, today }: { item: TimelineItem; base: string; canLog: boolean; today: string }) {
  if (item.type === "letter") {
    return <li><strong>{dayInWords(item.on)}</strong>: letter by {item.organisation}: <Link to={`/letters/${item.id}`}>{item.subject}</Link></li>;
  }
  if (item.type === "dispatch") {
    return (
      <li data-dispatch={item.status}>
        <strong>{dayInWords(item.on)}</strong>: message from {item.organisation}, <span className={item.status === "failed" ? "badge bad" : "badge"}>{DISPATCH_STATUS[item.status] ?? item.status}</span>
        {item.letterId ? <> (<Link to={`/letters/${item.letterId}`}>letter</Link>)</> : null}
        <div className="muted">
          Queued {timeInWords(item.queuedAt)}{item.sentAt ? `, sent ${timeInWords(item.sentAt)}` : ""}; {item.attempts} {item.attempts === 1 ? "attempt" : "attempts"}; Message-ID <code>{item.messageId}</code>
        </div>
        {item.delivery ? (
          <div data-delivery={item.delivery}>
            <span className={item.delivery === "bounced" ? "badge bad" : "badge"}>{DELIVERY[item.delivery]}</span>
            {item.deliveryAt ? <> {timeInWords(item.deliveryAt)}</> : null}
            {item.deliveryDetail ? <>: <bdi>{item.deliveryDetail}</bdi></> : null}
          </div>
        ) : null}
        {item.lastError ? <div>Last error: <bdi>{item.lastError}</bdi></div> : null}
      </li>
    );
  }
  if (item.type === "auto-reply") {
    return (
      <li data-event="auto-reply">
        <strong>{dayInWords(item.on)}</strong>: automatic answer (out of office or similar, not a reply){item.from ? <> from <bdi>{item.from}</bdi></> : null}: <bdi>{item.subject || "(no subject)"}</bdi>
        <div><Link to={`/received/${item.id}`}>Read the email</Link></div>
      </li>
    );
  }
  const open = item.kind === "follow_up" && !item.doneOn;
  return (
    <li data-event={item.kind}>
      <strong>{dayInWords(item.on)}</strong>: <bdi>{item.words}</bdi>
      {open && item.dueOn && item.dueOn <= today ? <> <span className="badge bad">due</span></> : null}
      <div className="muted">
        {item.inboundMessageId !== null ? (item.loggedBy ? `Attached from the mail received by ${item.loggedBy}` : "Read from the mailbox: matched to the letter it answers") : `Logged${item.loggedBy ? ` by ${item.loggedBy}` : ""}`}
        {item.organisation ? ` (${item.organisation})` : ""}
      </div>
      {item.inboundMessageId !== null ? <div><Link to={`/received/${item.inboundMessageId}`}>Read the email<span className="visually-hidden">: {item.summary}</span></Link> (with its attachments)</div> : null}
      {item.body ? (
        <details><summary>{item.kind === "reply" ? "Reply text" : "Notes"}</summary><pre className="letter-text" dir="auto">{item.body}</pre></details>
      ) : null}
      {item.attachment ? <div><a href={`${base}/events/${item.id}/attachment`} download>{item.attachment.filename}</a> <span className="muted">({Math.ceil(item.attachment.size / 1024)} KB)</span></div> : null}
      {open && canLog ? (
        <Form method="post" action={`${base}#timeline`} className="inline">
          <input type="hidden" name="intent" value="follow_up_done" />
          <input type="hidden" name="eventId" value={item.id} />
          <button type="submit" className="secondary">Mark done<span className="visually-hidden">: {item.summary}{item.dueOn ? ` (due ${dayInWords(item.dueOn)})` : ""}</span></button>
        </Form>
      ) : null}
      {canLog ? (
        <details className="remove-event">
          <summary>Remove this entry…<span className="visually-hidden"> ({item.words})</span></summary>
          <Form method="post" action={`${base}#timeline`} className="inline">
            <input type="hidden" name="intent" value="remove" />
            <input type="hidden" name="eventId" value={item.id} />
            <label>Why (kept in the audit log) <input name="reason" required maxLength={500} /></label>{" "}
            <button type="submit" className="danger">Remove</button>
          </Form>
        </details>
      ) : null}
    </li>
  );
}
