// Bulk send: every letter of this statement that the signed-in person approved (and
// that has not changed since): first the ones that will go, each shown as it would go
// out, then the ones left out with their reasons, and one confirmation for all. Queued together, then followed on
// the outbox. Approval is per person: a member sends what they approved themselves.
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { ConfirmForm, MessagePlan, ModeNotice } from "~/components/message-plan";
import { planBulkSend, sendBulk } from "~/models/letter-sending.server";
import { changeContext } from "~/models/audit.server";
import { requireStatement } from "~/models/statement.server";
import { confirmSendSchema } from "~/schemas/sending.server";
import { getDb } from "~/platform/db.server";
import { parseForm } from "~/schemas/form.server";
import { clientIp } from "~/platform/session.server";
import { requireUser } from "~/web/guards.server";
import { aboveForm, invalid } from "~/web/forms.server";
import { answering, failure } from "~/web/respond.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Send approved letters · ${data?.statement.title ?? "Statement"} · Demarche` },
  ...(data?.preparing ? [{ httpEquiv: "refresh", content: "3" }] : []),
];

export const loader = /* @__PURE__ */ answering(async ({ request, params }: LoaderFunctionArgs) => {
  const db = getDb();
  const user = await requireUser(request, db);
  const statement = await requireStatement(db, params.slug);
  const bulk = await planBulkSend(db, user, statement.id);
  // What will go, shown whole (its covering email's text included: it is what is confirmed);
  // what is left out, only its reasons: the person acts on those from the letter's page.
  const toSend = bulk.sendable.map(({ html: _h, dedupeKey: _k, fingerprint: _f, ...shown }) => shown);
  const leftOut = bulk.plans.filter((p) => p.problems.length > 0).map((p) => ({ letterId: p.letterId, countryName: p.countryName, subject: p.subject, reasons: p.problems }));
  const preparing = bulk.plans.some((p) => p.attachment.status === "queued" || p.attachment.status === "rendering");
  return { statement: { id: statement.id, title: statement.title, slug: statement.slug }, mode: bulk.mode, digest: bulk.digest, toSend, leftOut, preparing };
});

export const action = /* @__PURE__ */ answering(async ({ request, params }: ActionFunctionArgs) => {
  const db = getDb();
  const user = await requireUser(request, db);
  const statement = await requireStatement(db, params.slug);
  const form = await request.formData();
  const parsed = parseForm(confirmSendSchema, form);
  // A bad digest is about the whole page, not a field the person can see.
  if (!parsed.ok) return invalid(aboveForm(parsed, ["digest"]));
  try {
    const { bulkId } = await sendBulk(db, user, changeContext(user, clientIp(request)), statement.id, parsed.data.digest);
    return redirect(`/outbox?${new URLSearchParams({ statement: String(statement.id), bulk: bulkId, done: "bulk" })}`);
  } catch (error) {
    return failure(error, form);
  }
});

// After a refusal the list must be the current one (its digest moved on).
export const shouldRevalidate: ShouldRevalidateFunction = ({ formMethod, defaultShouldRevalidate }) => formMethod?.toUpperCase() === "POST" || defaultShouldRevalidate;

export default function BulkSend() {
  const { statement, mode, digest, toSend, leftOut, preparing } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const approved = toSend.length + leftOut.length;
  const n = toSend.length;
  return (
    <section>
      <p className="breadcrumbs"><Link to="/">Home</Link> / <Link to="/letters">Letters</Link> / Send approved letters</p>
      <h1>Send your approved letters for {statement.title}</h1>
      <p>
        The letters you approved that have not changed since. Letters you have not approved are not sent: approve them on
        their page first (<Link to={`/letters?statement=${statement.id}`}>the statement's letters</Link>).
      </p>
      <ModeNotice mode={mode} />
      {result?.formErrors?.length ? <div className="flash warn" role="alert"><p>Nothing was sent.</p><ul className="errors">{result.formErrors.map((e) => <li key={e}>{e}</li>)}</ul></div> : null}
      {preparing ? <p role="status" className="muted">Some PDFs are being prepared. This page reloads itself every few seconds.</p> : null}
      {approved === 0 ? <p className="empty">You have not approved any letter for this statement yet.</p> : (
        <>
          <p><strong>{n}</strong> of {approved} approved {approved === 1 ? "letter" : "letters"} will be sent{leftOut.length ? `; ${leftOut.length} ${leftOut.length === 1 ? "is" : "are"} left out, with the reasons under “Left out”` : ""}.</p>
          <h2 id="will-be-sent">Will be sent ({n})</h2>
          {n === 0 ? <p className="empty">None of your approved letters can be sent now: see the reasons under “Left out”.</p> : (
            <ol className="plans">
              {toSend.map((p) => (
                <li key={p.letterId} className="plan">
                  <h3>{p.countryName}: <Link to={`/letters/${p.letterId}`}>{p.subject}</Link> <span className="badge ok">will be sent</span></h3>
                  <MessagePlan plan={p} />
                  <details>
                    <summary>Covering email to {p.countryName} (text)</summary>
                    <p className="muted">The HTML part says the same. <a href={`/letters/${p.letterId}/email.html`} target="_blank" rel="noopener">View the HTML part</a> (opens in a new tab).</p>
                    <pre className="wrap">{p.text}</pre>
                  </details>
                </li>
              ))}
            </ol>
          )}
          {leftOut.length ? <LeftOut letters={leftOut} /> : null}
        </>
      )}
      {n > 0 ? (
        <ConfirmForm
          digest={digest}
          label={`${mode === "sandbox" ? "Send" : "Send real email:"} ${n} ${n === 1 ? "letter" : "letters"}${mode === "sandbox" ? " (to the Mailbox sandbox)" : ""}`}
          checkboxLabel={n === 1
            ? `I have checked the recipients, the covering email and the attachment of the letter to ${toSend[0].countryName} under “Will be sent”.`
            : `I have checked the recipients, covering emails and attachments of the ${n} letters under “Will be sent”.`}
          errors={result?.errors?.confirm}
        />
      ) : null}
      <p><Link to="/letters">Back to the letters</Link></p>
    </section>
  );
}

/** Letters left out of this send: the state and why, in a line or two each; the details are on each letter's page. */
function LeftOut({ letters }: { letters: { letterId: number; countryName: string; subject: string; reasons: string[] }[] }) {
  return (
    <>
      <h2 id="left-out">Left out ({letters.length})</h2>
      <ul className="left-out">
        {letters.map((l) => (
          <li key={l.letterId} data-letter={l.letterId}>
            <Link to={`/letters/${l.letterId}`}>{l.countryName}</Link> <span className="badge bad">left out</span>
            {l.reasons.length === 1 ? <span>: {l.reasons[0]}</span> : <ul>{l.reasons.map((r) => <li key={r}>{r}</li>)}</ul>}
          </li>
        ))}
      </ul>
    </>
  );
}
