// Editing a statement. What may change depends on its state (statement-lifecycle);
// a published statement's corrections show "Updated on" publicly, so the page says so
// and the save must be confirmed with a tick.
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ErrorList } from "~/components/forms";
import { StatementFields, StatementPreview, StatusBadge, formatUtc, statementFormValues } from "~/components/statement-form";
import { changeContext } from "~/models/audit.server";
import { languageOptions, organisationChoices, previewStatement, requireStatement, statementSchema, updateStatement } from "~/models/statement.server";
import { acceptsSignatures, canChange, changeRule, refusalReason } from "~/models/statement-lifecycle.server";
import { getDb } from "~/platform/db.server";
import { statementOverview } from "~/workflows/statement-overview.server";
import { formValues, parseForm } from "~/schemas/form.server";
import { invalid } from "~/web/forms.server";
import { clientIp } from "~/platform/session.server";
import { requireCoordinator } from "~/web/guards.server";
import { answering, failure } from "~/web/respond.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Edit ${data?.statement.title ?? "statement"} · Demarche` }];

export const loader = /* @__PURE__ */ answering(async ({ request, params }: LoaderFunctionArgs) => {
  const db = getDb();
  await requireCoordinator(request, db);
  const [{ statement, parts, counts }, organisations] = await Promise.all([statementOverview(db, params.slug), organisationChoices(db)]);
  const locked: { slug?: string; deadline?: string } = {};
  if (!canChange(statement.status, "slug")) locked.slug = refusalReason(statement.status, "slug");
  if (!canChange(statement.status, "deadline")) locked.deadline = refusalReason(statement.status, "deadline");
  return {
    statement,
    values: statementFormValues(statement, parts.points, parts.footnotes),
    preview: previewStatement({ body: statement.body_markdown, points: parts.points.map((p) => p.text) }),
    signed: counts.pending + counts.approved,
    organisations,
    languages: languageOptions(),
    locked,
    // A published statement's corrections are noted publicly ("Updated on"): the page warns and asks to confirm.
    noted: changeRule(statement.status, "text") === "noted",
    signaturesClose: acceptsSignatures(statement) ? statement.signing_deadline : null,
    today: new Date().toISOString().slice(0, 10),
  };
});

export const action = /* @__PURE__ */ answering(async ({ request, params }: ActionFunctionArgs) => {
  const db = getDb();
  const user = await requireCoordinator(request, db);
  const statement = await requireStatement(db, params.slug);
  const form = await request.formData();
  const parsed = parseForm(statementSchema, form);
  if (!parsed.ok) return invalid(parsed);
  if (form.get("intent") === "preview") return { ok: true as const, preview: previewStatement(parsed.data), values: formValues(form) };
  try {
    const { changed, slug } = await updateStatement(db, changeContext(user, clientIp(request)), statement.id, parsed.data);
    return redirect(`/statements/${slug}?${changed.length ? "saved=1" : "unchanged=1"}`);
  } catch (error) {
    return failure(error, form, { formErrors: ["Nothing was saved. Correct the fields marked below."] });
  }
});

export default function EditStatement() {
  const { statement: s, values: stored, preview: storedPreview, signed, organisations, languages, locked, noted, signaturesClose, today } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const failed = actionData && !actionData.ok ? actionData : undefined;
  const preview = actionData?.ok ? actionData.preview : storedPreview;
  const values = actionData?.values ?? stored;
  const errors = failed?.errors ?? {};
  return (
    <section>
      <p className="breadcrumbs">
        <Link to="/">Home</Link> / <Link to="/statements">Statements</Link> / <Link to={`/statements/${s.slug}`}>{s.title}</Link> / Edit
      </p>
      <h1>Edit statement <StatusBadge status={s.status} /></h1>
      {noted ? (
        <p className="flash warn" role="note">
          This statement is published{s.published_at ? ` (since ${s.published_at.slice(0, 10)})` : ""}. Saving a change to its text, demands or
          footnotes shows “Updated on {today}” on the public page
          {s.text_updated_at ? <> (last updated {s.text_updated_at.slice(0, 10)})</> : null}.
        </p>
      ) : signed > 0 ? (
        <p className="flash warn" role="note">
          {signed} {signed === 1 ? "organisation has" : "organisations have"} already signed this text. Tell them about any change that alters what they signed.
        </p>
      ) : null}
      {signaturesClose ? <p className="muted">Signatures close {formatUtc(signaturesClose)}.</p> : null}
      <Form method="post" className="stack" noValidate>
        <ErrorList errors={failed?.formErrors} />
        <StatementFields values={values} errors={errors} organisations={organisations} languages={languages} locked={locked} />
        {noted ? (
          <div className="field">
            <label>
              <input type="checkbox" name="confirm_update" value="yes" defaultChecked={values.confirm_update === "yes"} aria-describedby={errors.confirm_update ? "confirm-update-error" : undefined} />{" "}
              I understand that the public page will say the text was updated today.
            </label>
            <ErrorList id="confirm-update-error" errors={errors.confirm_update} />
          </div>
        ) : null}
        <p className="toolbar">
          <button type="submit" name="intent" value="save" disabled={busy}>{busy ? "Saving…" : "Save changes"}</button>
          <button type="submit" name="intent" value="preview" className="secondary" disabled={busy}>Preview</button>
          <Link to={`/statements/${s.slug}`}>Cancel</Link>
        </p>
      </Form>
      <StatementPreview title={values.title} bodyHtml={preview.bodyHtml} pointsHtml={preview.pointsHtml} />
    </section>
  );
}
