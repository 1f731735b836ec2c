// Bulk send: every letter of this statement that the signed-in person approved (and
// that has not changed since), each shown as it would go out, the ones that cannot go
// with their reasons, and one confirmation for all. Queued together, then followed on
// the outbox. Approval is per person: a member sends what they approved themselves.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import type { FieldErrors } from "~/components/forms";
import { ConfirmForm, MessagePlan, ModeNotice } from "~/components/message-plan";
import { planBulkSend, sendBulk, SendRefused } from "~/models/letter-sending.server";
import { changeContext } from "~/models/organisation.server";
import { requireStatement } from "~/models/statement.server";
import { confirmSendSchema } from "~/schemas/sending.server";
import { getDb } from "~/services/db.server";
import { parseForm } from "~/services/forms.server";
import { clientIp, requireUser } from "~/services/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Send approved letters · ${data?.statement.title ?? "Statement"} · Demarche` },
  ...(data?.preparing ? [{ httpEquiv: "refresh", content: "3" }] : []),
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const user = await requireUser(request, db);
  const statement = await requireStatement(db, params.slug);
  const bulk = await planBulkSend(db, user, statement.id);
  const plans = bulk.plans.map(({ html: _h, dedupeKey: _k, fingerprint: _f, text: _t, ...shown }) => shown);
  const preparing = bulk.plans.some((p) => p.attachment.status === "queued" || p.attachment.status === "rendering");
  return { statement: { id: statement.id, title: statement.title, slug: statement.slug }, mode: bulk.mode, digest: bulk.digest, plans, sendable: bulk.sendable.length, preparing };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const db = getDb();
  const user = await requireUser(request, db);
  const statement = await requireStatement(db, params.slug);
  const parsed = parseForm(confirmSendSchema, await request.formData());
  if (!parsed.ok) {
    const { digest, ...errors } = parsed.errors;
    return data({ errors: errors as FieldErrors, formErrors: [...parsed.formErrors, ...(digest ?? [])] }, { status: 400 });
  }
  try {
    const { bulkId } = await sendBulk(db, user, changeContext(user, clientIp(request)), statement.id, parsed.data.digest);
    return redirect(`/outbox?${new URLSearchParams({ statement: String(statement.id), bulk: bulkId, done: "bulk" })}`);
  } catch (error) {
    if (!(error instanceof SendRefused)) throw error;
    return data({ errors: {} as FieldErrors, formErrors: [error.message] }, { status: 409 });
  }
}

// After a refusal the list must be the current one (its digest moved on).
export const shouldRevalidate: ShouldRevalidateFunction = ({ formMethod, defaultShouldRevalidate }) => formMethod?.toUpperCase() === "POST" || defaultShouldRevalidate;

export default function BulkSend() {
  const { statement, mode, digest, plans, sendable, preparing } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const skipped = plans.filter((p) => p.problems.length > 0);
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
      {plans.length === 0 ? <p className="empty">You have not approved any letter for this statement yet.</p> : (
        <>
          <p><strong>{sendable}</strong> of {plans.length} approved {plans.length === 1 ? "letter" : "letters"} can be sent now{skipped.length ? `; ${skipped.length} will be left out, with the reasons below` : ""}.</p>
          <ol className="plans">
            {plans.map((p) => (
              <li key={p.letterId} className="plan">
                <h2>{p.countryName}: <Link to={`/letters/${p.letterId}`}>{p.subject}</Link> {p.problems.length ? <span className="badge bad">left out</span> : <span className="badge ok">will be sent</span>}</h2>
                <MessagePlan plan={p} />
              </li>
            ))}
          </ol>
        </>
      )}
      {sendable > 0 ? (
        <ConfirmForm
          digest={digest}
          label={`${mode === "sandbox" ? "Send" : "Send real email:"} ${sendable} ${sendable === 1 ? "letter" : "letters"}${mode === "sandbox" ? " (to the Mailbox sandbox)" : ""}`}
          checkboxLabel={`I have checked the recipients, covering emails and attachments of the ${sendable} ${sendable === 1 ? "letter" : "letters"} above.`}
          errors={result?.errors?.confirm}
        />
      ) : null}
      <p><Link to="/letters">Back to the letters</Link></p>
    </section>
  );
}
