// The outbox's parts: a progress bar in words and a <progress> element, per statement
// the controls (pause/resume for coordinators, cancel what is still queued), and the
// table of messages with what can be done to each.
import { Form, Link } from "@remix-run/react";
import type { DispatchView, StatusCounts } from "~/models/outbox/overview.server";
import { BADGE, DispatchActions } from "./dispatch-list";

const ORDER = ["queued", "sending", "sent", "failed", "uncertain", "cancelled"] as const;
const WORDS: Record<(typeof ORDER)[number], string> = { queued: "queued", sending: "being sent", sent: "sent", failed: "failed", uncertain: "uncertain", cancelled: "cancelled" };

export function SendingProgress({ counts, pending, refreshSeconds }: { counts: StatusCounts; pending: boolean; refreshSeconds: number }) {
  const total = ORDER.reduce((sum, s) => sum + counts[s], 0);
  if (total === 0) return null;
  const settled = total - counts.queued - counts.sending;
  return (
    <div className="sending-progress" data-testid="sending-progress">
      <p>
        {ORDER.filter((s) => counts[s] > 0).map((s, i) => <span key={s}>{i ? " · " : ""}<strong>{counts[s]}</strong> {WORDS[s]}</span>)}
        <span className="muted"> (letters only; tests not counted)</span>
      </p>
      <progress max={total} value={settled} aria-label="Messages settled">{settled} of {total}</progress>
      {pending ? <p role="status" className="muted">Sending is under way. This page updates itself every {refreshSeconds} seconds until nothing is on its way.</p> : null}
      {counts.uncertain > 0 ? <p className="flash warn">{counts.uncertain} {counts.uncertain === 1 ? "message needs" : "messages need"} a person to say whether it arrived: see the messages marked uncertain below.</p> : null}
    </div>
  );
}

type StatementRow = { id: number; title: string; slug: string; queued: number; paused: boolean };

export function StatementControls({ statements, coordinator }: { statements: StatementRow[]; coordinator: boolean }) {
  const withControls = statements.filter((s) => s.queued > 0 || s.paused || coordinator);
  if (withControls.length === 0) return null;
  return (
    <table className="statement-controls">
      <caption className="visually-hidden">Sending by statement</caption>
      <thead><tr><th scope="col">Statement</th><th scope="col">Sending</th><th scope="col">Actions</th></tr></thead>
      <tbody>
        {withControls.map((s) => (
          <tr key={s.id}>
            <td><Link to={`/outbox?statement=${s.id}`}>{s.title}</Link></td>
            <td>{s.paused ? <span className="badge bad">paused</span> : "running"}{s.queued ? `, ${s.queued} queued` : ""}</td>
            <td className="row-actions">
              {coordinator ? (
                <Form method="post" className="inline">
                  <input type="hidden" name="statementId" value={s.id} />
                  <button type="submit" name="intent" value={s.paused ? "resume" : "pause"} className="secondary">{s.paused ? "Resume sending" : "Pause sending"}</button>
                </Form>
              ) : null}
              {s.queued > 0 ? (
                // One click must not undo a whole campaign's queue: open, then confirm.
                <details className="confirm-cancel">
                  <summary>Cancel everything still queued ({s.queued} {s.queued === 1 ? "message" : "messages"})…</summary>
                  <Form method="post" className="inline">
                    <input type="hidden" name="statementId" value={s.id} />
                    <p>The queued messages of this statement will not be sent. Messages already with the mail server still go. A cancelled letter can be sent again from its page.</p>
                    <button type="submit" name="intent" value="cancel-statement" className="danger">Yes, cancel {s.queued} queued {s.queued === 1 ? "message" : "messages"}</button>
                  </Form>
                </details>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const names = (list: { name: string; address: string }[]) => list.map((a) => a.name || a.address).join(", ");

export function OutboxTable({ dispatches }: { dispatches: DispatchView[] }) {
  return (
    <table className="outbox">
      <thead>
        <tr><th scope="col">Message</th><th scope="col">Status</th><th scope="col">To</th><th scope="col">When</th><th scope="col">What the server said</th><th scope="col">Actions</th></tr>
      </thead>
      <tbody>
        {dispatches.map((d) => (
          <tr key={d.id}>
            <td>
              {d.letterId ? <Link to={`/letters/${d.letterId}`}>{d.country}</Link> : d.country}
              {d.kind === "test" ? <span className="badge"> test</span> : null}
              <div className="muted">{d.organisation} · #{d.id}</div>
            </td>
            <td><span className={BADGE[d.status] ?? "badge"}>{d.statusWords}</span><div className="muted">{d.attempts} {d.attempts === 1 ? "attempt" : "attempts"}{d.nextAttemptAt ? `, next ${d.nextAttemptAt}` : ""}</div></td>
            <td>{names(d.to)}{d.cc.length ? <div className="muted">Cc {names(d.cc)}</div> : null}</td>
            <td>{d.sentAt ? <>sent {d.sentAt}</> : d.status === "failed" || d.status === "cancelled" || d.status === "uncertain" ? <>{d.status} {d.updatedAt}<div className="muted">queued {d.queuedAt}</div></> : <>queued {d.queuedAt}</>}{d.queuedBy ? <div className="muted">by {d.queuedBy}</div> : null}</td>
            <td>
              {d.lastError ? <p>{d.lastError}</p> : null}
              {d.smtpResponse && !(d.lastError ?? "").includes(d.smtpResponse) ? <code>{d.smtpResponse}</code> : null}
              <div className="muted">Message-ID <code>{d.messageId}</code></div>
              {d.mailboxId ? <Link to={`/mailbox/${d.mailboxId}`}>In the Mailbox</Link> : null}
            </td>
            <td><DispatchActions d={d} /></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
