// One saved letter: its facts, whether it is out of date (and why) with a button to
// regenerate it, the text version, and the printable HTML in a sandboxed frame. Below
// the facts, sending: the letter's messages and what can be done with them, approval
// for bulk sending, a test to oneself, and the way to the confirmation page. Above them,
// a warning for each recipient whose address bounces, offering its fallback (issue 12).
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { BouncingRecipients, LetterSwaps } from "~/components/bouncing-recipients";
import { LetterSending } from "~/components/letter-sending";
import { ErrorList } from "~/components/forms";
import { ACT_FLASH } from "~/lib/sending-flash";
import { AutoRefresh } from "~/components/auto-refresh";
import { actOnDispatch, letterSendingState, when } from "~/models/outbox/overview.server";
import { sendTestMessage, setLetterApproval } from "~/models/letter-sending.server";
import { letterStatusWords, sendingStatusByLetter } from "~/models/outbox/messages.server";
import { letterIntentSchema, type LetterIntent } from "~/schemas/sending.server";
import { getTransport } from "~/platform/mail-transport.server";
import { letterPdfState } from "~/models/letter-pdf-job.server";
import { isLetterOutOfDate, letterInput, regenerateLetter, requireLetter } from "~/models/letter.server";
import { SOURCE_LABELS } from "~/models/letter-fingerprint.server";
import { bouncingIn } from "~/models/letter-recipients.server";
import { restoreRecipient, swapsInLetter, useFallback } from "~/models/letter-recipient-swap.server";
import { changeContext, type ChangeContext } from "~/models/audit.server";
import { languageName } from "~/models/recipient.server";
import { listSigners } from "~/models/signer.server";
import { type DB, getDb } from "~/platform/db.server";
import { clientIp, type SessionUser } from "~/platform/session.server";
import { requireUser } from "~/web/guards.server";
import { answering, failure, tamperedForm } from "~/web/respond.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.letter.subject ?? "Letter"} · Demarche` }];

export const loader = /* @__PURE__ */ answering(async ({ request, params }: LoaderFunctionArgs) => {
  const db = getDb();
  const user = await requireUser(request, db);
  const l = await requireLetter(db, user, params.id);
  const [freshness, signers, pdf, sending, sent, bouncing, swaps] = await Promise.all([
    isLetterOutOfDate(db, l), listSigners(db, l.organisation_id), letterPdfState(db, l), letterSendingState(db, user, l), sendingStatusByLetter(db, [l.id]), bouncingIn(db, l), swapsInLetter(db, l),
  ]);
  const signerNames = letterInput(l).signerIds.map((id) => signers.find((s) => s.id === id)?.name ?? `signer ${id} (removed)`);
  return {
    letter: {
      id: l.id, subject: l.rendered_subject, statement: l.statement_title, statementSlug: l.statement_slug, country: l.country_name, countryCode: l.country_code,
      sender: l.sender_name, organisationId: l.organisation_id, signers: signerNames, place: l.place, date: l.letter_date, language: languageName(l.language),
      status: letterStatusWords(sent.get(l.id), l.approved_fingerprint === l.fingerprint), generatedAt: when(l.generated_at), text: l.rendered_text, html: l.rendered_html,
    },
    pdf,
    sending,
    mode: getTransport().mode,
    userEmail: user.email,
    outOfDate: freshness.outOfDate,
    changed: freshness.changed.map((s) => SOURCE_LABELS[s]),
    bouncing,
    swaps,
  };
});

/** Does what the button asked; returns the flash to show (see FLASH). */
async function runIntent(db: DB, user: SessionUser, ctx: ChangeContext, letterId: number, act: LetterIntent): Promise<string> {
  switch (act.intent) {
    case "regenerate": await regenerateLetter(db, user, ctx, letterId); return "regenerated";
    case "approve": await setLetterApproval(db, user, ctx, letterId, true); return "approved";
    case "withdraw-approval": await setLetterApproval(db, user, ctx, letterId, false); return "withdrawn";
    case "send-test": await sendTestMessage(db, user, ctx, letterId); return "test";
    case "use-fallback": await useFallback(db, user, ctx, letterId, act.recipientId); return "fallback";
    case "restore-recipient": await restoreRecipient(db, user, ctx, letterId, act.recipientId); return "restored";
    default: return actOnDispatch(db, user, ctx, act);
  }
}

export const action = /* @__PURE__ */ answering(async ({ request, params }: ActionFunctionArgs) => {
  const db = getDb();
  const user = await requireUser(request, db);
  const letter = await requireLetter(db, user, params.id);
  const form = await request.formData();
  const parsed = letterIntentSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) throw tamperedForm();
  let done: string;
  try {
    done = await runIntent(db, user, changeContext(user, clientIp(request)), letter.id, parsed.data);
  } catch (error) {
    // A page of buttons: every refusal is said above them, and answered 400.
    return failure(error, form, { aboveForm: "all", status: 400 });
  }
  return redirect(`/letters/${letter.id}?done=${done}`);
});

const FLASH: Record<string, string> = {
  created: "Letter saved as a draft.",
  regenerated: "Letter regenerated from the current statement, recipients, sender and templates.",
  approved: "Letter approved: it will go out with your next bulk send for this statement.",
  withdrawn: "Approval withdrawn: a bulk send will leave this letter out.",
  fallback: "The fallback now takes the bouncing recipient's place in this letter, which was built again: check it before sending (an approval has to be given again).",
  restored: "The recipient is back in this letter, which was built again.",
  sent: "The letter is queued. Its status is below; this page updates itself until it has gone.",
  ...ACT_FLASH,
};

export default function LetterPage() {
  const { letter: l, pdf, outOfDate, changed, sending, mode, userEmail, bouncing, swaps } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const done = params.get("done") ?? "";
  const flash = done === "test" ? (
    <>
      A test message is queued to you only, at {userEmail}, with &ldquo;[Test]&rdquo; in its subject.{" "}
      {mode === "sandbox" ? <>Nothing leaves this machine: it will appear in the <Link to="/mailbox">Mailbox</Link> in a moment.</> : "It is sent by real email."}
    </>
  ) : done === "sent" && l.status.startsWith("sent") ? "The letter has gone: the mail server accepted it." : FLASH[done];
  // While a message of this letter is queued or on its way, keep the page current.
  const moving = sending.dispatches.some((d) => (d.status === "queued" && !sending.paused) || d.status === "sending");
  return (
    <section>
      <p className="breadcrumbs"><Link to="/">Home</Link> / <Link to="/letters">Letters</Link> / {l.country}</p>
      <h1>{l.subject}</h1>
      <AutoRefresh active={moving} seconds={3} />
      {flash ? <p className="flash" role="status">{flash}</p> : null}
      <ErrorList errors={actionData?.formErrors} />
      {outOfDate ? (
        <div className="flash warn" role="status">
          <p>This letter is out of date. Changed since it was generated: {changed.join("; ")}.</p>
          <Form method="post"><input type="hidden" name="intent" value="regenerate" /><button type="submit">Regenerate</button></Form>
        </div>
      ) : null}
      <BouncingRecipients list={bouncing} letterId={l.id} countryCode={l.countryCode} />
      <LetterSwaps swaps={swaps} letterId={l.id} />
      <dl className="facts">
        <dt>Statement</dt><dd><Link to={`/s/${l.statementSlug}`}>{l.statement}</Link></dd>
        <dt>Written to</dt><dd><Link to={`/countries/${l.countryCode}/recipients`}>{l.country}</Link></dd>
        <dt>Sender</dt><dd><Link to={`/organisations/${l.organisationId}`}>{l.sender}</Link></dd>
        <dt>Signed by</dt><dd>{l.signers.join(", ")}</dd>
        <dt>Place and date</dt><dd>{l.place}, {l.date}</dd>
        <dt>Language</dt><dd>{l.language}</dd>
        <dt>Status</dt><dd>{l.status}</dd>
        <dt>Generated</dt><dd>{l.generatedAt}</dd>
        <dt>PDF</dt>
        <dd>{pdf.status === "ready" ? <a href={`/letters/${l.id}/pdf`}>Download PDF</a> : pdf.status === "failed" ? <>could not be made: {pdf.error} <a href={`/letters/${l.id}/pdf?retry=1`}>Try again</a></> : <>being prepared… <a href={`/letters/${l.id}/pdf`}>Download when ready</a></>}</dd>
      </dl>
      <LetterSending letter={l} outOfDate={outOfDate} sending={sending} mode={mode} />
      <p className="toolbar">
        <a href={`/letters/${l.id}/preview`} target="_blank" rel="noreferrer">Printable letter</a>
        <a href={`/api/letters/${l.id}.txt`}>Text (.txt)</a>
        <a href={`/api/letters/${l.id}.html`}>HTML (.html)</a>
        {pdf.status === "ready" ? <a href={`/letters/${l.id}/pdf`}>PDF (.pdf)</a> : null}
      </p>
      <h2>As it will print</h2>
      <iframe className="mail-html" title="The letter as it will print" sandbox="" srcDoc={l.html} />
      <h2>Text version</h2>
      <pre className="letter-text">{l.text}</pre>
    </section>
  );
}
