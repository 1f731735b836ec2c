// One saved letter: its facts, whether it is out of date (and why) with a button to
// regenerate it, the text version, and the printable HTML in a sandboxed frame.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { ErrorList } from "~/components/forms";
import { letterPdfState } from "~/models/letter-pdf-job.server";
import { isLetterOutOfDate, letterFor, letterInput, regenerateLetter, SOURCE_LABELS } from "~/models/letter.server";
import { changeContext, FieldInputError } from "~/models/organisation.server";
import { languageName } from "~/models/recipient.server";
import { listSigners } from "~/models/signer.server";
import { getDb } from "~/services/db.server";
import { clientIp, forbidden, requireUser, type SessionUser } from "~/services/session.server";
import type { DB } from "~/services/db.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.letter.subject ?? "Letter"} · Demarche` }];

async function requireLetter(db: DB, user: SessionUser, id: string | undefined) {
  const letter = await letterFor(db, user, id);
  if (letter === 404) throw new Response("There is no such letter.", { status: 404, statusText: "Not Found" });
  if (letter === 403) throw forbidden("Members see only their own organisation's letters.");
  return letter;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const user = await requireUser(request, db);
  const l = await requireLetter(db, user, params.id);
  const [freshness, signers, pdf] = await Promise.all([isLetterOutOfDate(db, l), listSigners(db, l.organisation_id), letterPdfState(db, l)]);
  const signerNames = letterInput(l).signerIds.map((id) => signers.find((s) => s.id === id)?.name ?? `signer ${id} (removed)`);
  return {
    letter: {
      id: l.id, subject: l.rendered_subject, statement: l.statement_title, statementSlug: l.statement_slug, country: l.country_name, countryCode: l.country_code,
      sender: l.sender_name, organisationId: l.organisation_id, signers: signerNames, place: l.place, date: l.letter_date, language: languageName(l.language),
      status: l.status, generatedAt: l.generated_at, text: l.rendered_text, html: l.rendered_html,
    },
    pdf,
    outOfDate: freshness.outOfDate,
    changed: freshness.changed.map((s) => SOURCE_LABELS[s]),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const db = getDb();
  const user = await requireUser(request, db);
  const letter = await requireLetter(db, user, params.id);
  const form = await request.formData();
  if (form.get("intent") !== "regenerate") throw new Response("The form was incomplete. Reload the page and try again.", { status: 400 });
  try {
    await regenerateLetter(db, user, changeContext(user, clientIp(request)), letter.id);
  } catch (error) {
    if (!(error instanceof FieldInputError)) throw error;
    return data({ formErrors: Object.values(error.errors).flat() as string[] }, { status: 400 });
  }
  return redirect(`/letters/${letter.id}?done=regenerated`);
}

const FLASH: Record<string, string> = { created: "Letter saved as a draft.", regenerated: "Letter regenerated from the current statement, recipients, sender and templates." };

export default function LetterPage() {
  const { letter: l, pdf, outOfDate, changed } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const flash = FLASH[params.get("done") ?? ""];
  return (
    <section>
      <p className="breadcrumbs"><Link to="/">Home</Link> / <Link to="/letters">Letters</Link> / {l.country}</p>
      <h1>{l.subject}</h1>
      {flash ? <p className="flash" role="status">{flash}</p> : null}
      <ErrorList errors={actionData?.formErrors} />
      {outOfDate ? (
        <div className="flash warn" role="status">
          <p>This letter is out of date. Changed since it was generated: {changed.join("; ")}.</p>
          <Form method="post"><input type="hidden" name="intent" value="regenerate" /><button type="submit">Regenerate</button></Form>
        </div>
      ) : null}
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
