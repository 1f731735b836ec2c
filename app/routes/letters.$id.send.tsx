// Sending a letter to its ministry, the one irreversible step: GET shows exactly what
// would go out (mode, every address, the covering email, the attachment, what stops it);
// POST queues it only if the person ticked the box and the plan is still the one shown
// (its digest). A refusal stores nothing and shows the fresh plan beside the reason.
// A recipient whose address bounces is named above the plan, with its fallback (issue 12).
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { BouncingRecipients } from "~/components/bouncing-recipients";
import { ConfirmForm, MessagePlan, ModeNotice } from "~/components/message-plan";
import { planLetterMessage } from "~/models/letter-message-plan.server";
import { sendLetter } from "~/models/letter-sending.server";
import { isLetterOutOfDate, requireLetter } from "~/models/letter.server";
import { changeContext } from "~/models/audit.server";
import { ensurePdfQueued } from "~/models/outbox/overview.server";
import { confirmSendSchema } from "~/schemas/sending.server";
import { getDb } from "~/platform/db.server";
import { parseForm } from "~/schemas/form.server";
import { clientIp } from "~/platform/session.server";
import { requireUser } from "~/web/guards.server";
import { aboveForm, invalid } from "~/web/forms.server";
import { answering, failure } from "~/web/respond.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Send the letter to ${data?.plan.countryName ?? "the ministry"} · Demarche` },
  // While the PDF is being made the page refreshes itself (no JavaScript needed).
  ...(data?.preparing ? [{ httpEquiv: "refresh", content: "3" }] : []),
];

export const loader = /* @__PURE__ */ answering(async ({ request, params }: LoaderFunctionArgs) => {
  const db = getDb();
  const user = await requireUser(request, db);
  const letter = await requireLetter(db, user, params.id, "Members send only their own organisation's letters.");
  await ensurePdfQueued(db, letter, (await isLetterOutOfDate(db, letter)).outOfDate);
  const plan = await planLetterMessage(db, user, letter.id);
  const { html: _html, dedupeKey: _key, fingerprint: _fp, ...shown } = plan;
  const preparing = plan.attachment.status === "queued" || plan.attachment.status === "rendering";
  return { plan: shown, preparing, letterSubject: letter.rendered_subject };
});

export const action = /* @__PURE__ */ answering(async ({ request, params }: ActionFunctionArgs) => {
  const db = getDb();
  const user = await requireUser(request, db);
  const letter = await requireLetter(db, user, params.id, "Members send only their own organisation's letters.");
  const form = await request.formData();
  const parsed = parseForm(confirmSendSchema, form);
  // A bad digest is about the whole page, not a field the person can see.
  if (!parsed.ok) return invalid(aboveForm(parsed, ["digest"]));
  try {
    await sendLetter(db, user, changeContext(user, clientIp(request)), letter.id, parsed.data.digest);
  } catch (error) {
    return failure(error, form);
  }
  return redirect(`/letters/${letter.id}?done=sent`);
});

// A refused confirmation must show the plan as it is now (the digest moved on), so the
// page reloads its data after every post, even a refused one.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formMethod, defaultShouldRevalidate }) => formMethod?.toUpperCase() === "POST" || defaultShouldRevalidate;

export default function SendLetter() {
  const { plan, preparing } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const back = <Link to={`/letters/${plan.letterId}`}>Back to the letter</Link>;
  const existing = plan.existing && (plan.existing.status === "failed" || plan.existing.status === "cancelled") ? plan.existing : null;
  return (
    <section>
      <p className="breadcrumbs"><Link to="/">Home</Link> / <Link to="/letters">Letters</Link> / <Link to={`/letters/${plan.letterId}`}>{plan.countryName}</Link> / Send</p>
      <h1>Send the letter to {plan.countryName}</h1>
      <p>From {plan.organisationName}. Check everything below: once sent, a message to a ministry cannot be called back.</p>
      <ModeNotice mode={plan.mode} />
      {result?.formErrors?.length ? <div className="flash warn" role="alert"><p>Nothing was sent.</p><ul className="errors">{result.formErrors.map((e) => <li key={e}>{e}</li>)}</ul></div> : null}
      {existing ? <p className="flash warn">An earlier message of this letter to these recipients was {existing.status}{existing.last_error ? `: ${existing.last_error}` : "."} Confirming sends it again.</p> : null}
      {plan.earlier.length > 0 && plan.problems.length === 0 ? (
        <div className="flash warn" role="note" id="earlier-contact">
          <p><strong>{plan.countryName} has already been contacted for this statement:</strong></p>
          <ul>{plan.earlier.map((e) => <li key={e}>{e}</li>)}</ul>
          <p>The ministry will receive a second letter. Send it only if you mean to, for example with new information.</p>
        </div>
      ) : null}
      <BouncingRecipients list={plan.bouncing} letterId={plan.letterId} countryCode={plan.countryCode} />
      <MessagePlan plan={plan} />
      {preparing ? <p role="status" className="muted">The PDF is being prepared. This page reloads itself every few seconds until it is ready.</p> : null}
      <h2>The covering email</h2>
      <p className="muted">The text part is below; the HTML part says the same. <a href={`/letters/${plan.letterId}/email.html`} target="_blank" rel="noopener">View the HTML part</a> (opens in a new tab).</p>
      <pre className="wrap">{plan.text}</pre>
      {plan.problems.length === 0 ? (
        <ConfirmForm
          digest={plan.digest}
          label={plan.mode === "sandbox" ? "Send (to the Mailbox sandbox)" : "Send real email to the ministry"}
          checkboxLabel={`${plan.earlier.length > 0 ? `I know ${plan.countryName} was already contacted (see above) and want to send this letter as well. ` : ""}${plan.bouncing.length > 0 ? `I know mail to ${plan.bouncing.map((b) => b.address).join(", ")} bounces (see above) and want to send it as it is. ` : ""}I have checked the recipients (${plan.to.length + plan.cc.length} addresses), the covering email and the attachment.`}
          errors={result?.errors?.confirm}
        />
      ) : null}
      <p>{back}</p>
    </section>
  );
}
