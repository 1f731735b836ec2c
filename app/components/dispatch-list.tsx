// Messages as people follow them: status in words, to whom, when, how many attempts,
// what the server said, and the one thing that can be done now (cancel a queued one,
// settle an uncertain one, send a failed letter again through its confirmation page).
// Used by the letter page and the outbox; the buttons post to the page they sit on.
import { Form, Link } from "@remix-run/react";
import type { DispatchView } from "~/models/outbox/overview.server";
import { IntentButton } from "./intent-button";

type Address = { name: string; address: string };
const list = (addresses: Address[]) => addresses.map((a) => (a.name ? `${a.name} <${a.address}>` : a.address)).join(", ");
/** Badge classes per message status, shared with the outbox table. */
export const BADGE: Record<string, string> = { sent: "badge ok", failed: "badge bad", uncertain: "badge bad", cancelled: "badge" };

function Act({ intent, id, label, className }: { intent: string; id: number; label: string; className?: string }) {
  return <IntentButton intent={intent} fields={{ dispatchId: id }} className={className}>{label}</IntentButton>;
}

export function DispatchActions({ d }: { d: DispatchView }) {
  if (d.status === "queued") return <Act intent="cancel" id={d.id} label={`Cancel this message to ${d.country}`} className="secondary" />;
  if (d.status === "uncertain") {
    return (
      <div className="uncertain">
        <p>
          The app stopped while this message was with the mail server, so nobody knows whether it was delivered. Ask the
          recipient, or look for its Message-ID in the mail relay's log, then say what happened. Sending it again could
          reach the ministry twice.
        </p>
        <div className="row-actions">
          <Act intent="arrived" id={d.id} label={`It arrived (${d.country})`} />
        </div>
        <details className="resend">
          <summary>Send to {d.country} again…</summary>
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="resend" />
            <input type="hidden" name="dispatchId" value={d.id} />
            <label className="checkbox">
              <input type="checkbox" name="confirm" value="yes" required />
              I checked: the first message did not arrive. Send it again{d.mode === "smtp" ? " (real email to the ministry)" : ""}.
            </label>
            <button type="submit" className="secondary">Send to {d.country} again</button>
          </Form>
        </details>
      </div>
    );
  }
  if (d.status === "failed" && d.kind === "letter" && d.letterId) {
    // A refusal (5xx) will come back the same unless the address changes: say where to fix it.
    const permanent = /\(5\d\d\)|refused the message/.test(d.lastError ?? "");
    return (
      <span>
        {permanent ? <><Link to={`/countries/${d.countryCode}/recipients`}>Correct the recipients</Link>, regenerate the letter, then </> : null}
        <Link to={`/letters/${d.letterId}/send`}>{permanent ? "send again…" : "Send again…"}</Link>
      </span>
    );
  }
  return null;
}

export function DispatchDetails({ d }: { d: DispatchView }) {
  return (
    <dl className="facts">
      <dt>Status</dt><dd><span className={BADGE[d.status] ?? "badge"}>{d.statusWords}</span>{d.kind === "test" ? " (test to you only)" : ""}{d.mode === "sandbox" ? " · sandbox" : " · real SMTP"}</dd>
      <dt>To</dt><dd>{list(d.to)}</dd>
      {d.cc.length ? <><dt>Cc</dt><dd>{list(d.cc)}</dd></> : null}
      <dt>Queued</dt><dd>{d.queuedAt}{d.queuedBy ? ` by ${d.queuedBy}` : ""}</dd>
      {d.sentAt ? <><dt>Sent</dt><dd>{d.sentAt}</dd></> : null}
      <dt>Attempts</dt><dd>{d.attempts}{d.nextAttemptAt ? ` (next try ${d.nextAttemptAt})` : ""}</dd>
      {d.delivery ? <><dt>Delivery</dt><dd data-testid="delivery"><span className={d.delivery.bad ? "badge bad" : "badge"}>{d.delivery.words}</span>{d.delivery.detail ? <> <code>{d.delivery.detail}</code></> : null} <span className="muted">{d.delivery.at}</span></dd></> : null}
      {d.lastError ? <><dt>Last error</dt><dd>{d.lastError}</dd></> : null}
      {d.smtpResponse && !(d.lastError ?? "").includes(d.smtpResponse) ? <><dt>Server said</dt><dd><code>{d.smtpResponse}</code></dd></> : null}
      <dt>Message-ID</dt><dd><code>{d.messageId}</code></dd>
      {d.mailboxId ? <><dt>Mailbox</dt><dd><Link to={`/mailbox/${d.mailboxId}`}>See it in the Mailbox</Link></dd></> : null}
    </dl>
  );
}

/** The letter page's list: every message of the letter, newest first. */
export function DispatchList({ dispatches }: { dispatches: DispatchView[] }) {
  if (dispatches.length === 0) return <p className="empty">Not sent yet.</p>;
  return (
    <ol className="dispatches">
      {dispatches.map((d) => (
        <li key={d.id} className="dispatch">
          <h3>{d.kind === "test" ? "Test message" : "Message"} #{d.id}: {d.statusWords}</h3>
          <DispatchDetails d={d} />
          <DispatchActions d={d} />
        </li>
      ))}
    </ol>
  );
}
