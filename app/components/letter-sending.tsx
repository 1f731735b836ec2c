// The "Sending" part of a letter's page: where its messages stand, approval for bulk
// sending, a test to oneself, and the way to the confirmation page. Nothing here sends
// to a ministry: that takes the confirmation page, which lists every address first.
import { Link } from "@remix-run/react";
import type { DispatchView } from "~/models/outbox/overview.server";
import { DispatchList } from "./dispatch-list";
import { IntentButton } from "./intent-button";

type Props = {
  letter: { id: number; statementSlug: string; statement: string };
  outOfDate: boolean;
  mode: "sandbox" | "smtp";
  sending: {
    dispatches: DispatchView[];
    paused: boolean;
    approval: { current: boolean; lapsed: boolean; by: string | null; at: string };
  };
};

export function LetterSending({ letter, outOfDate, mode, sending }: Props) {
  const { approval } = sending;
  const letters = sending.dispatches.filter((d) => d.kind === "letter");
  const tests = sending.dispatches.filter((d) => d.kind === "test");
  return (
    <section className="sending" aria-labelledby="sending-heading">
      <h2 id="sending-heading">Sending</h2>
      <p className="muted">
        {mode === "sandbox"
          ? "Mail is in sandbox mode: nothing leaves this machine; sent messages appear in the Mailbox."
          : "Mail is sent by real SMTP: sending to the ministry delivers real email and cannot be undone."}
        {sending.paused ? " Sending for this statement is paused by a coordinator: queued messages wait until it is resumed." : ""}
      </p>
      <div className="toolbar">
        <Link to={`/letters/${letter.id}/send`} className="button">Send to the ministry…</Link>
        <IntentButton intent="send-test" className="secondary">Send a test to me</IntentButton>
      </div>

      <h3>Approval for bulk sending</h3>
      {letters.some((d) => d.status === "sent") ? (
        <p className="muted">This letter has been sent. Approval is for letters still to send together; it is not sent twice.</p>
      ) : approval.current ? (
        <div className="row-actions">
          <p>Approved by {approval.by ?? "someone no longer on the platform"} on {approval.at}. Regenerating the letter clears the approval.</p>
          <IntentButton intent="withdraw-approval" className="secondary">Withdraw approval</IntentButton>
        </div>
      ) : (
        <div className="row-actions">
          <p>
            {approval.lapsed ? "The letter changed since it was approved, so the approval no longer holds. " : "Not approved. "}
            Approved letters are sent together from the statement's bulk send page; regenerating a letter clears its approval.
          </p>
          {outOfDate ? <p className="muted">Regenerate the letter before approving it.</p> : <IntentButton intent="approve">Approve for bulk sending</IntentButton>}
        </div>
      )}
      <p><Link to={`/statements/${letter.statementSlug}/send`}>Send all the letters you approved for {letter.statement}…</Link></p>

      <h3>Messages to the ministry</h3>
      <DispatchList dispatches={letters} />
      {tests.length ? (
        <details>
          <summary>Test messages ({tests.length})</summary>
          <DispatchList dispatches={tests} />
        </details>
      ) : null}
      <p><Link to="/outbox">All messages in the outbox</Link></p>
    </section>
  );
}
