// Editing one letter template (/templates/en/cover-letter.html.hbs). One form holds the
// text: "Preview" renders the unsaved text against a chosen statement, country and
// sender; "Save as new version" stores it once it compiles and renders. The history
// below offers reverts, each behind a confirmation (?confirm=<version> or =default).
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { ErrorList, Field, SelectField, TextAreaField } from "~/components/forms";
import { todayUtc } from "~/models/country.server";
import { letterFormChoices } from "~/models/letter.server";
import { changeContext } from "~/models/audit.server";
import { languageName } from "~/models/recipient.server";
import {
  currentTemplate, previewTemplate, revertTemplate, saveTemplateVersion, templateFileOr404, templateHistory,
  templatePreviewSchema, templateRevertSchema, templateSaveSchema,
} from "~/models/template-version.server";
import { getDb } from "~/platform/db.server";
import { formValues, parseForm } from "~/schemas/form.server";
import { clientIp } from "~/platform/session.server";
import { invalid } from "~/web/forms.server";
import { requireCoordinator } from "~/web/guards.server";
import { templateChanges } from "~/models/template-changes.server";
import { TemplateChangesTable } from "~/components/template-changes";
import { answering, failure, tamperedForm } from "~/web/respond.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.file.path ?? "Template"} · Templates · Demarche` }];

export const loader = /* @__PURE__ */ answering(async ({ request, params }: LoaderFunctionArgs) => {
  const db = getDb();
  const user = await requireCoordinator(request, db);
  const file = templateFileOr404(params["*"]);
  const [current, history, choices] = await Promise.all([currentTemplate(db, file), templateHistory(db, file), letterFormChoices(db, user)]);
  return {
    file, current, today: todayUtc(),
    history: history.map((v) => ({ version: v.version, note: v.note, revertedFrom: v.reverted_from, author: v.author, createdAt: v.created_at })),
    changes: templateChanges(file, history),
    statements: choices.statements, countries: choices.countries, senders: choices.senders.map((s) => ({ id: s.id, name: s.name })),
    languages: choices.languages.map((code) => ({ code, name: languageName(code) })),
  };
});

export const action = /* @__PURE__ */ answering(async ({ request, params }: ActionFunctionArgs) => {
  const db = getDb();
  const user = await requireCoordinator(request, db);
  const file = templateFileOr404(params["*"]);
  const form = await request.formData();
  const values = formValues(form);
  const keep = { preview: null };
  const refuse = (errors: Record<string, string[] | undefined>, formErrors: string[] = []) => invalid({ errors, formErrors, values }, keep);
  const ctx = changeContext(user, clientIp(request));
  const intent = form.get("intent");
  try {
    if (intent === "preview") {
      const parsed = parseForm(templatePreviewSchema, form);
      if (!parsed.ok) return refuse(parsed.errors, parsed.formErrors);
      return { errors: {} as Record<string, string[] | undefined>, formErrors: [] as string[], values, preview: await previewTemplate(db, file, parsed.data) };
    }
    if (intent === "save") {
      const parsed = parseForm(templateSaveSchema, form);
      if (!parsed.ok) return refuse(parsed.errors, parsed.formErrors);
      const version = await saveTemplateVersion(db, ctx, file, parsed.data);
      return redirect(`/templates/${file.path}?done=saved&version=${version}`);
    }
    if (intent === "revert") {
      const parsed = parseForm(templateRevertSchema, form);
      if (!parsed.ok) return refuse({}, Object.values(parsed.errors).flat() as string[]);
      const version = await revertTemplate(db, ctx, file, parsed.data.version, parsed.data.baseVersion);
      return redirect(`/templates/${file.path}?done=reverted&version=${version}`);
    }
  } catch (error) {
    return failure(error, form, { keep });
  }
  throw tamperedForm();
});

const FLASH: Record<string, string> = {
  saved: "Saved as version {v}. Letters generated from now on use it; saved letters show as out of date until regenerated.",
  reverted: "Reverted: version {v} holds the earlier text. Nothing in the history was removed.",
};

export default function TemplateEditor() {
  const { file, current, history, changes, statements, countries, senders, languages, today } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const errors: Record<string, string[] | undefined> = actionData?.errors ?? {};
  const values: Record<string, string | undefined> = actionData?.values ?? {};
  const flash = FLASH[params.get("done") ?? ""]?.replace("{v}", params.get("version") ?? "");
  const confirm = params.get("confirm");
  const confirming = confirm === "default" ? (current.fromFile ? null : "default") : history.some((v) => String(v.version) === confirm && v.version !== current.version) ? confirm : null;
  const preview = actionData?.preview;
  return (
    <section>
      <p className="breadcrumbs"><Link to="/">Home</Link> / <Link to="/templates">Templates</Link> / {file.path}</p>
      <h1>{file.path}</h1>
      <p className="muted">
        In use: {current.fromFile ? "the file emails/letters/" + file.path : `version ${current.version}`}.
        {file.language ? null : " A shared partial: every language reads it, unless the language has its own with the same name."}
      </p>
      {flash ? <p className="flash" role="status">{flash}</p> : null}
      {confirming ? (
        <Form method="post" className="flash warn" aria-labelledby="confirm-revert">
          <p id="confirm-revert">
            {confirming === "default"
              ? "Go back to the file's text? A new version is added; letters then use the file again, including later changes to it."
              : `Revert to version ${confirming}? A new version is added with its text; the history is kept.`}
          </p>
          <input type="hidden" name="intent" value="revert" />
          <input type="hidden" name="version" value={confirming} />
          <input type="hidden" name="baseVersion" value={current.version} />
          <p className="toolbar"><button type="submit">{confirming === "default" ? "Yes, back to the file" : `Yes, revert to version ${confirming}`}</button><Link to={`/templates/${file.path}`}>Cancel</Link></p>
        </Form>
      ) : null}
      <Form method="post" className="stack" noValidate>
        <ErrorList errors={actionData?.formErrors} />
        <input type="hidden" name="baseVersion" value={current.version} />
        <TextAreaField label="Template text (Handlebars)" hint="See emails/letters/README.md for the variables and helpers. Errors name the file and the line."
          errors={errors.body}
          textareaProps={{ name: "body", defaultValue: values.body ?? current.body, rows: 24, spellCheck: false, style: { fontFamily: 'ui-monospace, "DejaVu Sans Mono", monospace', width: "100%" } }} />
        <fieldset>
          <legend>Preview against</legend>
          <SelectField label="Statement" name="statementId" defaultValue={values.statementId ?? String(statements[0]?.id ?? "")} errors={errors.statementId}
            options={statements.map((s) => ({ value: String(s.id), label: s.title }))} />
          <SelectField label="Country (its recipient list)" name="countryCode" defaultValue={values.countryCode ?? (countries.some((c) => c.code === "NO") ? "NO" : countries[0]?.code ?? "")} errors={errors.countryCode}
            options={countries.map((c) => ({ value: c.code, label: c.name }))} />
          <SelectField label="Sending organisation (and its signers)" name="organisationId" defaultValue={values.organisationId ?? String(senders[0]?.id ?? "")} errors={errors.organisationId}
            options={senders.map((s) => ({ value: String(s.id), label: s.name }))} />
          {file.language ? null : (
            <SelectField label="Language" name="language" defaultValue={values.language ?? languages[0]?.code} errors={errors.language}
              options={languages.map((l) => ({ value: l.code, label: `${l.name} (${l.code})` }))} />
          )}
          <Field label="Letter date" errors={errors.date} inputProps={{ name: "date", type: "date", defaultValue: values.date ?? today }} />
        </fieldset>
        <Field label="Note" hint="Optional: why you changed it, for the history" errors={errors.note} inputProps={{ name: "note", defaultValue: values.note }} />
        <p className="toolbar">
          <button type="submit" name="intent" value="preview" className="secondary">Preview</button>
          <button type="submit" name="intent" value="save">Save as new version</button>
        </p>
      </Form>
      {preview ? (
        <section aria-labelledby="preview-heading">
          <h2 id="preview-heading">Preview (not saved): {preview.subject}</h2>
          <iframe className="mail-html" title="Preview of the HTML version" sandbox="" srcDoc={preview.html} />
          <h3>Text version</h3>
          <pre className="letter-text">{preview.text}</pre>
        </section>
      ) : null}
      <h2>History</h2>
      {history.length === 0 ? <p className="empty">No versions yet: letters use the file.</p> : <TemplateChangesTable history={history} changes={changes} current={current.version} />}
      {current.fromFile ? null : <p className="toolbar"><Link to="?confirm=default">Back to the file default…</Link></p>}
    </section>
  );
}
