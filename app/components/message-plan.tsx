// What a letter's message will be, shown before anything is sent: every address with
// its name, who will not get it, the subject, the attachment, and the problems that
// stop it. The covering email is shown as text only: its HTML is ours but it is still
// mail, and mail HTML is never rendered in the app's own page.
import { Form } from "@remix-run/react";
import { ErrorList } from "./forms";

type Address = { name: string; address: string };
export type PlanView = {
  letterId: number;
  countryName: string;
  organisationName: string;
  from: Address;
  replyTo: Address | null;
  to: Address[];
  cc: Address[];
  withoutEmail: { name: string; title: string; kind: "addressee" | "copy" }[];
  subject: string;
  attachment: { filename: string; size: number | null; status: string };
  problems: string[];
  /** The message already holding this letter and these recipients, if any. */
  existing?: { status: string } | null;
};

const formatSize = (bytes: number) => (bytes < 1024 ? `${bytes} bytes` : bytes < 1048576 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1048576).toFixed(1)} MB`);
const PDF_WORDS: Record<string, string> = { ready: "ready", queued: "being prepared (waiting its turn)", rendering: "being prepared", failed: "could not be made" };

function Addresses({ list }: { list: Address[] }) {
  if (list.length === 0) return <>nobody</>;
  return <ul className="addresses">{list.map((a) => <li key={a.address}>{a.name} <code>&lt;{a.address}&gt;</code></li>)}</ul>;
}

export function ModeNotice({ mode }: { mode: "sandbox" | "smtp" }) {
  return mode === "sandbox" ? (
    <p className="flash" data-testid="send-mode"><strong>Sandbox mode.</strong> Nothing leaves this machine: the message will appear in the Mailbox, not in the ministry's inbox.</p>
  ) : (
    <p className="flash warn" data-testid="send-mode"><strong>Real email.</strong> This sends real email to a ministry and cannot be undone.</p>
  );
}

export function MessagePlan({ plan }: { plan: PlanView }) {
  return (
    <>
      <dl className="facts">
        <dt>From</dt><dd>{plan.from.name} <code>&lt;{plan.from.address}&gt;</code></dd>
        <dt>Reply-To</dt><dd>{plan.replyTo ? <>{plan.replyTo.name} <code>&lt;{plan.replyTo.address}&gt;</code></> : "none (replies go to the From address)"}</dd>
        <dt>To</dt><dd><Addresses list={plan.to} /></dd>
        <dt>Cc</dt><dd><Addresses list={plan.cc} /></dd>
        {plan.withoutEmail.length ? (
          <><dt>Will not get it</dt><dd>
            <p className="muted">On {plan.countryName}'s recipient list without an email address:</p>
            <ul>{plan.withoutEmail.map((r, i) => <li key={i}>{r.name}{r.title ? `, ${r.title}` : ""} ({r.kind === "addressee" ? "addressee" : "copy"})</li>)}</ul>
          </dd></>
        ) : null}
        <dt>Subject</dt><dd>{plan.subject}</dd>
        <dt>Attachment</dt>
        <dd>{plan.attachment.filename} ({plan.attachment.size !== null ? `${formatSize(plan.attachment.size)}, ` : ""}PDF {PDF_WORDS[plan.attachment.status] ?? plan.attachment.status})</dd>
      </dl>
      {plan.problems.length ? (
        <div className="flash warn" role="alert">
          {/* "Yet" would promise a send that never comes to a letter that already went. */}
          <p><strong>{plan.existing?.status === "sent" ? "This letter is not sent again:" : "This letter cannot be sent yet:"}</strong></p>
          <ul>{plan.problems.map((p) => <li key={p}>{p}</li>)}</ul>
        </div>
      ) : null}
    </>
  );
}

/** The confirming form: the digest of what is shown, one required box, one real submit button. */
export function ConfirmForm({ digest, label, checkboxLabel, errors, formErrors }: { digest: string; label: string; checkboxLabel: string; errors?: string[]; formErrors?: string[] }) {
  const errorId = errors?.length ? "confirm-error" : undefined;
  return (
    <Form method="post" className="stack confirm-send">
      <ErrorList errors={formErrors} />
      <input type="hidden" name="digest" value={digest} />
      <div className="field">
        <label className="checkbox" htmlFor="confirm">
          <input type="checkbox" id="confirm" name="confirm" value="yes" required aria-invalid={errorId ? true : undefined} aria-describedby={errorId} />
          {checkboxLabel}
        </label>
        <ErrorList id={errorId} errors={errors} />
      </div>
      <button type="submit">{label}</button>
    </Form>
  );
}
